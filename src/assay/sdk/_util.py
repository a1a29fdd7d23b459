"""Small internals shared by the SDK modules: ids, JSON snapshots, calm error handling."""

from __future__ import annotations

import dataclasses
import logging
import os
import random
from typing import Any

import orjson

log = logging.getLogger("assay")

_warned: set[str] = set()

# A private generator: user code that calls random.seed() for reproducibility must not make
# span ids repeat between runs. Reseeded from os.urandom in forked children.
_rng = random.Random()
os.register_at_fork(after_in_child=_rng.seed)
_bits = _rng.getrandbits

#: Types kept as they are when a span ends (immutable, cheap); anything else is snapshotted.
PRIMITIVES: frozenset[type] = frozenset({str, int, float, bool, type(None)})

_JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def new_trace_id() -> str:
    """A random W3C trace id: 32 lower-case hex characters, never all zeros."""
    return f"{(_bits(128) or 1):032x}"


def new_span_id() -> str:
    """A random W3C span id: 16 lower-case hex characters, never all zeros."""
    return f"{(_bits(64) or 1):016x}"


def warn_once(key: str, message: str, *args: object) -> None:
    """Log ``message`` as a warning on the ``assay`` logger the first time ``key`` is seen."""
    if key in _warned:
        return
    _warned.add(key)
    log.warning(message, *args)


#: Set by assay's own test suite so that a failure of the SDK itself fails the test. Left
#: False everywhere else, including in users' test suites: the SDK never breaks its host.
RAISE_INTERNAL_ERRORS = False


def internal_error(exc: BaseException, where: str) -> None:
    """Contain a failure of the SDK itself: warn once and carry on.

    With ``RAISE_INTERNAL_ERRORS`` (assay's own tests) the exception is re-raised instead.
    """
    if RAISE_INTERNAL_ERRORS:
        raise exc
    warn_once(
        "internal:" + where,
        "assay: internal error in %s (%s: %s); the program continues, this span may be incomplete",
        where,
        type(exc).__name__,
        exc,
    )


def _default(obj: Any) -> Any:
    """orjson fallback for objects it cannot encode: pydantic models, sets, bytes, then str()."""
    dump = getattr(obj, "model_dump", None)
    if callable(dump) and not isinstance(obj, type):
        try:
            return dump(mode="json")
        except Exception:
            return str(obj)
    if isinstance(obj, set | frozenset):
        return list(obj)
    if isinstance(obj, bytes | bytearray | memoryview):
        return bytes(obj).decode("utf-8", "replace")
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        try:
            return dataclasses.asdict(obj)
        except Exception:
            return str(obj)
    return str(obj)


def encode(value: Any) -> bytes:
    """Encode any Python value as JSON bytes; never raises.

    orjson first; objects it cannot encode fall back to ``model_dump``, dataclasses and
    finally ``str()``. A value that still cannot be encoded becomes its ``repr`` string.
    """
    try:
        return orjson.dumps(value, default=_default, option=_JSON_OPTIONS)
    except Exception:
        try:
            return orjson.dumps(_sanitize(value, 0), default=_default, option=_JSON_OPTIONS)
        except Exception:
            return b'"<unserializable value>"'


def _sanitize(value: Any, depth: int) -> Any:
    """Slow path for values orjson refused: rebuild containers, stringify what still fails."""
    if depth > 50:
        return str(value)
    if isinstance(value, dict):
        return {
            k if isinstance(k, str) else str(k): _sanitize(v, depth + 1) for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_sanitize(v, depth + 1) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        return str(value)
    try:
        orjson.dumps(value, default=_default, option=_JSON_OPTIONS)
        return value
    except Exception:
        return str(value)


def to_plain(value: Any) -> Any:
    """Turn any value into plain JSON-compatible Python data (dicts, lists, str, numbers)."""
    if type(value) in PRIMITIVES:
        return value
    return orjson.loads(encode(value))
