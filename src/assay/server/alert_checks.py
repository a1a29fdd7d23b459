"""What the alert routes check before storing an alert, each problem as a 422 naming the field."""

from __future__ import annotations

import math
from typing import Any, get_args
from urllib.parse import urlsplit

from pydantic import ValidationError

from assay.schema import AlertIn, TraceListFilter
from assay.schema.judge import AgreementMetric
from assay.server.errors import ApiError
from assay.server.trace_filter import trace_query
from assay.store.base import Store

AGREEMENT_METRICS: tuple[str, ...] = get_args(AgreementMetric)
#: The parameter each metric needs; the others must be left out.
_OWNER = {"score_name": "score_mean", "judge": "judge_agreement"}
_OWNER["agreement_metric"] = "judge_agreement"
#: Trace filters an alert sets itself: the window, and the production log.
_NOT_IN_FILTER = {
    "start_from": "the alert's window sets the time range",
    "start_to": "the alert's window sets the time range",
    "experiment_id": "alerts watch production traffic only",
}


def invalid(field: str, reason: str, advice: str = "") -> ApiError:
    """A 422 naming ``body.<field>``."""
    message = f"{field}: {reason}." + (f" {advice}" if advice else "")
    return ApiError(422, message, details=[{"field": f"body.{field}", "reason": reason}])


def check_webhook(url: str | None) -> None:
    """Refuse a webhook_url that is not an absolute http(s) URL."""
    if url is None:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise invalid(
            "webhook_url",
            f"{url[:80]!r} is not an http:// or https:// URL",
            "Send the full URL of the incoming webhook, e.g. https://hooks.slack.com/services/…",
        )


def check_trace_filter(alert: AlertIn) -> None:
    """Refuse a trace_filter the trace list would not take, or one the alert cannot apply."""
    if not alert.trace_filter:
        return
    if alert.metric == "judge_agreement":
        raise invalid(
            "trace_filter",
            "does not apply to judge_agreement (the judge's scored pairs are compared)",
            "Leave trace_filter out.",
        )
    for key, reason in _NOT_IN_FILTER.items():
        if alert.trace_filter.get(key) not in (None, ""):
            raise invalid(f"trace_filter.{key}", f"cannot be set: {reason}", "Leave it out.")
    try:
        parsed = TraceListFilter.model_validate(alert.trace_filter)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        field = f"trace_filter.{where}" if where else "trace_filter"
        raise invalid(field, first["msg"], "It takes the trace list's filters.") from None
    try:
        trace_query(parsed)
    except ApiError as exc:
        detail = exc.details[0] if exc.details else {"field": "", "reason": exc.message}
        name = str(detail.get("field", "")).rsplit(".", 1)[-1]
        raise invalid(f"trace_filter.{name}".rstrip("."), str(detail["reason"])) from None


def check_params(alert: AlertIn) -> None:
    """Refuse a missing parameter of the metric, one of another metric, an unknown agreement
    statistic, a threshold that is not a number."""
    if alert.metric == "score_mean" and not alert.score_name:
        raise invalid("score_name", 'metric "score_mean" needs score_name: the scores to average')
    if alert.metric == "judge_agreement" and not alert.judge:
        raise invalid("judge", 'metric "judge_agreement" needs judge: the judge to compare')
    for field, metric in _OWNER.items():
        if getattr(alert, field) is not None and alert.metric != metric:
            raise invalid(
                field,
                f"applies to metric {metric!r} only, not {alert.metric!r}",
                "Leave it out (or null).",
            )
    wanted = alert.agreement_metric
    if wanted is not None and wanted not in AGREEMENT_METRICS:
        raise invalid(
            "agreement_metric",
            f"{wanted!r} is not one of {', '.join(AGREEMENT_METRICS)}",
            'Leave it out for "cohen_kappa".',
        )
    if not math.isfinite(alert.threshold):
        raise invalid("threshold", f"{alert.threshold} is not a finite number")


def check_judge(store: Store, project: str, alert: AlertIn) -> None:
    """Refuse a judge_agreement alert on a judge the project does not have."""
    if alert.metric != "judge_agreement" or alert.judge is None:
        return
    project_id = store.find_project(project)
    if project_id is None or store.get_judge(project_id, alert.judge) is None:
        raise invalid(
            "judge",
            f"{alert.judge!r} is not a judge of project {project!r}",
            f"Create it with POST /api/v1/projects/{project}/judges, or pick one from GET on "
            "the same path.",
        )


def check_alert(store: Store, project: str, alert: AlertIn) -> None:
    """Every check of a new alert (or of an alert as a PATCH would leave it)."""
    check_params(alert)
    check_webhook(alert.webhook_url)
    check_trace_filter(alert)
    check_judge(store, project, alert)


def merged(current: dict[str, Any], changes: dict[str, Any]) -> AlertIn:
    """The alert a PATCH would leave (the PATCH body's types are checked already); pass it to
    :func:`check_alert`."""
    return AlertIn.model_construct(**{**current, **changes})
