"""Turning a :class:`NewSpan` into a row, and merging partial events of one span.

Bodies (input, output, expected, metadata) become JSON text kept on the row when they are at most
``inline_limit`` bytes, otherwise a blob keyed by its sha256 with a pointer in the row's ``refs``.
Every row also gets short previews; a row whose input or output went to a blob also gets a bounded
lower-case ``search_text``, so text search reads the inline columns or that copy, never a blob.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from assay.store.base import NewSpan

PREVIEW_CHARS = 200
SEARCH_CHARS = 2048  # per side: input and output each, so search_text stays within 4 KB of text
FILTER_VALUE_CHARS = 256
# The columns of ``spans`` and ``open_spans`` in the order of the tuples ``Encoder.row`` makes.
SPAN_COLUMNS = (
    "project_id", "trace_id", "span_id", "parent_id", "name", "kind", "start_time", "end_time",
    "duration_us", "status", "error", "input", "output", "expected", "metadata", "refs", "tags",
    "metrics", "prompt_tokens", "completion_tokens", "total_tokens", "cost", "model",
    "session_id", "user_id", "environment", "release", "experiment_id", "input_preview",
    "output_preview", "search_text",
)  # fmt: skip
COLUMN = {name: index for index, name in enumerate(SPAN_COLUMNS)}
BODY_FIELDS = ("input", "output", "expected", "metadata")
_EMPTY_LIST = "[]"
_EMPTY_DICT = "{}"
_FILLABLE = (
    "parent_id", "error", "input", "output", "expected", "model", "session_id",
    "user_id", "environment", "release", "experiment_id",
)  # fmt: skip


def dumps(value: Any) -> bytes:
    """JSON bytes of a plain value; anything JSON cannot hold becomes its ``str()`` (integers
    beyond 64 bits included, which orjson refuses)."""
    try:
        return orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return orjson.dumps(_big_ints_as_text(value), default=str, option=orjson.OPT_NON_STR_KEYS)


def _big_ints_as_text(value: Any) -> Any:
    """``value`` with every integer outside the 64-bit range replaced by its decimal text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**64 else str(value)
    if isinstance(value, dict):
        return {k: _big_ints_as_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_big_ints_as_text(v) for v in value]
    return value


def keep(
    raw: bytes, name: str, inline_limit: int, blobs: dict[str, bytes], refs: dict[str, Any]
) -> str | None:
    """Inline JSON text of body ``name``, or None once it is moved to ``blobs``.

    A body over ``inline_limit`` bytes goes to ``blobs`` (keyed by sha256) with a pointer in
    ``refs``. Spans, dataset records and experiment cases all store bodies this way.
    """
    if len(raw) <= inline_limit:
        return raw.decode()
    digest = hashlib.sha256(raw).hexdigest()
    blobs[digest] = raw
    refs[name] = {"store": "db", "key": digest, "sha256": digest, "length": len(raw)}
    return None


def blob_rows(project_id: str, data: Mapping[str, bytes]) -> list[dict[str, Any]]:
    """Rows of the ``blobs`` table in sha256 order.

    Every writer inserts in the same order, so two transactions sharing blobs cannot deadlock
    on PostgreSQL.
    """
    return [
        {"project_id": project_id, "sha256": k, "length": len(data[k]), "data": data[k]}
        for k in sorted(data)
    ]


@dataclass(slots=True)
class Encoder:
    """Builds span rows for one project and collects the blobs they point to."""

    project_id: str
    inline_limit: int
    blobs: dict[str, bytes] = field(default_factory=dict)

    def _body(self, name: str, value: Any, refs: dict[str, Any]) -> tuple[str | None, str | None]:
        """Return (inline JSON text or None, plain text for previews).

        The plain text never holds NUL characters (PostgreSQL text refuses them); the JSON text
        escapes them, so nothing is lost.
        """
        if value is None:
            return None, None
        raw = dumps(value)
        if name == "metadata" and b"\\u0000" in raw:
            # filters read metadata as JSONB on PostgreSQL, which refuses NUL characters
            raw = dumps(without_nul(value))
        text = keep(raw, name, self.inline_limit, self.blobs, refs)
        if text is not None:
            if not isinstance(value, str):
                return text, text
            return text, value.replace("\x00", "") if "\x00" in value else value
        if isinstance(value, str):
            return None, value[: 2 * SEARCH_CHARS].replace("\x00", "")
        return None, raw[: 4 * SEARCH_CHARS].decode(errors="ignore")

    def row(self, span: NewSpan, *, finished: bool = True) -> tuple[Any, ...]:
        """The row of ``span`` for the ``spans`` (or ``open_spans``) table, in SPAN_COLUMNS order.

        A tuple, not a dict: the driver takes it as it is, and ingest builds one per span.
        """
        refs: dict[str, Any] = {}
        body = self._body
        inp, in_text = body("input", span.input, refs)
        out, out_text = body("output", span.output, refs)
        expected = None if span.expected is None else body("expected", span.expected, refs)[0]
        meta: str | None = None
        if span.metadata:
            meta, _ = body("metadata", span.metadata, refs)
            if meta is None:  # kept as a blob: keep the short scalar values filterable
                meta = dumps(_filterable(span.metadata)).decode()
        metrics = span.metrics
        if metrics:
            prompt = int(metrics.get("prompt_tokens", 0) or 0)
            completion = int(metrics.get("completion_tokens", 0) or 0)
            total = int(metrics.get("total_tokens", 0) or 0) or prompt + completion
            cost = float(metrics.get("cost", 0.0) or 0.0)
            metrics_text = dumps(metrics).decode()
        else:
            prompt = completion = total = 0
            cost = 0.0
            metrics_text = _EMPTY_DICT
        end = span.end_time
        search = None
        if ("input" in refs or "output" in refs) and (in_text is not None or out_text is not None):
            # Inline bodies are searched where they are; only blobs need a searchable copy.
            search = (_clip(in_text or "") + "\n" + _clip(out_text or "")).lower()
        error = span.error
        return (
            self.project_id,
            span.trace_id,
            span.span_id,
            span.parent_id,
            span.name,
            span.kind,
            span.start_time,
            end,
            None if end is None else max(end - span.start_time, 0),
            span.status if finished else "unset",
            None if error is None else dumps(error).decode(),
            inp,
            out,
            expected,
            meta,
            dumps(refs).decode() if refs else None,
            dumps(span.tags).decode() if span.tags else _EMPTY_LIST,
            metrics_text,
            prompt,
            completion,
            total,
            cost,
            span.model,
            span.session_id,
            span.user_id,
            span.environment,
            span.release,
            span.experiment_id,
            None if in_text is None else in_text[:PREVIEW_CHARS],
            None if out_text is None else out_text[:PREVIEW_CHARS],
            search,
        )


def without_nul(value: Any) -> Any:
    """``value`` with NUL characters removed from every string in it, keys included."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(str(k)): without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [without_nul(v) for v in value]
    return value


def _clip(text: str) -> str:
    """At most SEARCH_CHARS of ``text``: its head and, for long text, its tail.

    Chat inputs put the system prompt first and the user's words last, so both ends count.
    """
    if len(text) <= SEARCH_CHARS:
        return text
    head = SEARCH_CHARS // 4
    return text[:head] + "\n" + text[len(text) - (SEARCH_CHARS - head - 1) :]


def _filterable(metadata: dict[str, Any]) -> dict[str, Any]:
    """The scalar, short values of ``metadata`` (what key=value filters can match)."""
    return {
        k: v
        for k, v in metadata.items()
        if isinstance(v, int | float | bool)
        or (isinstance(v, str) and len(v) <= FILTER_VALUE_CHARS)
    }


def merge(old: NewSpan, new: NewSpan) -> NewSpan:
    """One span from two events of it: ``new`` wins where it says something, ``old`` fills gaps.

    Metadata and metrics are merged key by key, tags are united in order of arrival.
    """
    tags = list(dict.fromkeys([*old.tags, *new.tags]))
    filled = {name: getattr(old, name) for name in _FILLABLE if getattr(new, name) is None}
    return replace(
        new,
        kind=old.kind if new.kind == "span" else new.kind,
        start_time=min(old.start_time, new.start_time),
        metadata={**old.metadata, **new.metadata},
        metrics={**old.metrics, **new.metrics},
        tags=tags,
        **filled,
    )
