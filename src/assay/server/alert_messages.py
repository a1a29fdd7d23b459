"""What an alert's webhook receives, and the POST that delivers it.

Two formats. ``json``: one object with the alert, its state and figures, the link and a
sentence. ``slack``: ``{"text": ...}`` with Slack's link markup, which Slack's incoming
webhooks, Mattermost, Rocket.Chat and Discord's ``/slack`` endpoint all accept::

    :red_circle: assay alert *high errors* is firing: error_rate 0.31 > 0.2 over the last
    5 min. <https://assay.example/projects/shop/traces?...|Open the traces>
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import httpx

from assay.schema import Alert

TIMEOUT_SECONDS = 10.0
State = Literal["firing", "resolved"]
_EMOJI = {"firing": ":red_circle:", "resolved": ":white_check_mark:"}
_SIGN = {("above", True): ">", ("above", False): "≤", ("below", True): "<", ("below", False): "≥"}


@dataclass(frozen=True, slots=True)
class Notice:
    """One notification: which state, with which value and threshold, when, and the link."""

    state: State
    value: float | None
    threshold: float
    link: str
    at: datetime
    test: bool = False


@dataclass(frozen=True, slots=True)
class Delivery:
    """How a POST went: delivered on a 2xx, else the status code or the network error."""

    delivered: bool
    status_code: int | None = None
    error: str | None = None


def figure(value: float | None) -> str:
    """A value as a short number (4 significant digits), or ``n/a``."""
    return "n/a" if value is None else f"{value:.4g}"


def window_text(seconds: int) -> str:
    """``300`` → ``5 min``, ``7200`` → ``2 h``, ``86400`` → ``1 day``, ``45`` → ``45 s``."""
    if seconds % 86_400 == 0:
        days = seconds // 86_400
        return f"{days} day" + ("s" if days > 1 else "")
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def sentence(alert: Alert, notice: Notice, *, slack: bool = False) -> str:
    """``assay alert "NAME" is firing: METRIC VALUE > THRESHOLD over the last WINDOW``
    (the name in bold, ``*NAME*``, for chat tools)."""
    sign = _SIGN[(alert.operator, notice.state == "firing")]
    test = " (test notification)" if notice.test else ""
    name = f"*{_slack_escape(alert.name)}*" if slack else f'"{alert.name}"'
    return (
        f"assay alert {name} is {notice.state}{test}: {alert.metric} "
        f"{figure(notice.value)} {sign} {notice.threshold:g} over the last "
        f"{window_text(alert.window_seconds)}"
    )


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message(alert: Alert, notice: Notice) -> dict[str, Any]:
    """The body POSTed to the alert's webhook, in its ``webhook_format``."""
    if alert.webhook_format == "slack":
        line = f"{_EMOJI[notice.state]} {sentence(alert, notice, slack=True)}."
        if notice.link:
            line += f" <{notice.link}|Open the traces>"
        return {"text": line}
    return {
        "alert": alert.name,
        "project": alert.project,
        "state": notice.state,
        "metric": alert.metric,
        "value": notice.value,
        "operator": alert.operator,
        "threshold": notice.threshold,
        "window_seconds": alert.window_seconds,
        "link": notice.link,
        "at": notice.at.isoformat().replace("+00:00", "Z"),
        "text": f"{sentence(alert, notice)}." + (f" {notice.link}" if notice.link else ""),
        "test": notice.test,
    }


async def post(url: str, body: dict[str, Any], *, timeout: float = TIMEOUT_SECONDS) -> Delivery:
    """POST ``body`` as JSON to ``url``; a 2xx is delivered, anything else is not."""
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            answer = await client.post(url, json=body, headers={"user-agent": "assay-alerts"})
    except httpx.HTTPError as exc:
        reason = str(exc) or type(exc).__name__
        return Delivery(False, error=f"POST {url} failed: {reason}")
    if 200 <= answer.status_code < 300:
        return Delivery(True, status_code=answer.status_code)
    snippet = answer.text[:200].strip()
    return Delivery(
        False,
        status_code=answer.status_code,
        error=f"POST {url} answered {answer.status_code}" + (f": {snippet}" if snippet else ""),
    )
