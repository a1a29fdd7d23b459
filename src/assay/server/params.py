"""Parsing of query parameters that FastAPI cannot check by type alone."""

from __future__ import annotations

import re

from assay.server.errors import ApiError
from assay.server.native import ItemError, check_id, to_micros

_BUCKET = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def time_param(value: str | None, name: str) -> int | None:
    """An RFC 3339 time or Unix seconds as microseconds; None passes through."""
    if value is None or value == "":
        return None
    try:
        return to_micros(value, name)
    except ItemError as exc:
        raise _bad(name, exc.reason) from None


def id_param(value: str, name: str, size: int) -> str:
    """A hex id from the path, lower-cased; 400 when malformed."""
    try:
        return check_id(value, name, size)
    except ItemError as exc:
        raise _bad(name, exc.reason) from None


def metadata_params(values: list[str] | None) -> dict[str, str]:
    """Repeated ``key=value`` parameters as a dict."""
    result: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise _bad("metadata", f"{item!r} must look like key=value (e.g. metadata=env=prod)")
        result[key] = value
    return result


def bucket_param(value: str) -> int:
    """A bucket size like ``1m``, ``5m``, ``1h``, ``1d`` or plain seconds."""
    match = _BUCKET.match(value)
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)] if match else 0
    if seconds <= 0:
        raise _bad("bucket", f"{value!r} is not a bucket size; use e.g. 1m, 5m, 1h, 1d or 300")
    return seconds


def _bad(name: str, reason: str) -> ApiError:
    return ApiError(
        400,
        f"Query parameter {name!r}: {reason}.",
        details=[{"field": f"query.{name}", "reason": reason}],
    )
