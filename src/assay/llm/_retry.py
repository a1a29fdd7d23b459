"""Which provider failures are worth another try, how long to wait, and the error raised.

429, 5xx (500, 502, 503, 504, 529), timeouts and connection errors are retried after an
exponential backoff with full jitter (a random wait up to ``base * 2**retry``, at most
``cap``), or after the provider's ``Retry-After`` (seconds or an HTTP date; ``retry-after-ms``
too) when it sends one, up to :data:`MAX_RETRY_AFTER` seconds. Other failures (400, 401, 403,
404, 422, ...) are raised at once.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass
from typing import Any

from assay.errors import (
    ModelNotFoundError,
    ProviderAuthError,
    ProviderError,
    ProviderRateLimitError,
    ProviderUnavailableError,
)
from assay.llm._route import Provider

#: Longest Retry-After honoured, in seconds; a longer one is cut to this.
MAX_RETRY_AFTER = 60.0

_RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 529})

_random = random.Random()


@dataclass(frozen=True, slots=True)
class Failure:
    """A failed request as the retry logic sees it.

    Attributes:
        status: HTTP status, None when no answer arrived.
        message: The provider's own message (or the connection error's).
        retry_after: Seconds the provider asked us to wait, if it did.
        timeout: True when the request timed out.
        in_answer: True when the provider reported the error inside its answer (an error
            event of a stream), which is not retried.
    """

    status: int | None
    message: str
    retry_after: float | None = None
    timeout: bool = False
    in_answer: bool = False

    @property
    def retryable(self) -> bool:
        """Whether another attempt may succeed."""
        if self.in_answer:
            return False
        return self.status is None or self.status in _RETRY_STATUS or self.status >= 500


def describe(
    exc: BaseException, *, status_error: type, connection_error: type, api_error: type
) -> Failure | None:
    """A :class:`Failure` from an openai/anthropic client exception, None for other errors."""
    if isinstance(exc, status_error):
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None) or {}
        return Failure(
            status=int(getattr(exc, "status_code", 0) or 0),
            message=_message(exc),
            retry_after=retry_after(headers),
        )
    if isinstance(exc, connection_error):
        timeout = "Timeout" in type(exc).__name__
        cause = exc.__cause__ or exc.__context__
        detail = f"{exc}" + (f" ({type(cause).__name__}: {cause})" if cause else "")
        return Failure(status=None, message=detail, timeout=timeout)
    if isinstance(exc, api_error):
        return Failure(status=None, message=_message(exc), in_answer=True)
    return None


def _message(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner["message"])
    text = getattr(exc, "message", None) or str(exc)
    return str(text)


def retry_after(headers: Any) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or HTTP date)."""
    try:
        millis = headers.get("retry-after-ms")
        if millis is not None:
            return max(0.0, float(millis) / 1000)
        value = headers.get("retry-after")
    except (AttributeError, TypeError, ValueError):
        return None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def backoff(provider: Provider, retry: int, failure: Failure) -> float:
    """Seconds to wait before retry number ``retry`` (0 for the first)."""
    if failure.retry_after is not None:
        return min(failure.retry_after, MAX_RETRY_AFTER)
    bound = min(provider.backoff_cap, provider.backoff_base * (2**retry))
    return _random.uniform(0, bound)


def to_error(provider: Provider, model: str, failure: Failure, attempts: int) -> ProviderError:
    """The error a caller gets for ``failure`` after ``attempts`` requests."""
    where = f"provider {provider.name!r} (base_url {provider.base_url})"
    said = _scrub(failure.message, provider.api_key)
    tries = f"{attempts} attempt" + ("s" if attempts != 1 else "")
    status = failure.status
    kwargs: dict[str, Any] = {
        "provider": provider.name,
        "model": model,
        "status": status,
        "attempts": attempts,
    }
    if status in (401, 403):
        env = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}[provider.kind]
        key_hint = f"set {env} or " if provider.name == provider.kind else ""
        return ProviderAuthError(
            f"{where} rejected the API key ({status}: {said}); "
            f"{key_hint}configure_provider({provider.name!r}, api_key=...)",
            **kwargs,
        )
    if status == 404:
        return ModelNotFoundError(
            f"{where} has no model {model!r} (404: {said}); check the model name, and that "
            "base_url points at the API root",
            **kwargs,
        )
    if status == 429:
        return ProviderRateLimitError(
            f"{where} still rate-limits model {model!r} after {tries} (429: {said}); lower "
            "the provider's concurrency or raise max_retries with configure_provider(...)",
            **kwargs,
        )
    if failure.in_answer:
        return ProviderError(
            f"{where} reported an error in its answer from model {model!r}: {said}", **kwargs
        )
    if failure.retryable:
        what = "timed out" if failure.timeout else "could not be reached"
        what = f"failed with {status}" if status is not None else what
        return ProviderUnavailableError(
            f"{where} {what} for model {model!r} after {tries}: {said}", **kwargs
        )
    return ProviderError(
        f"{where} refused the call to model {model!r} ({status}: {said}); the request was "
        "not retried, fix it and call again",
        **kwargs,
    )


def _scrub(text: str, secret: str | None) -> str:
    if secret and len(secret) >= 8 and secret in text:
        return text.replace(secret, "***")
    return text
