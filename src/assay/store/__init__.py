"""Storage: the :class:`Store` protocol and the SQLAlchemy implementation behind it."""

from assay.store.base import (
    AddResult,
    NewSpan,
    SeriesQuery,
    SpanQuery,
    Store,
    TraceQuery,
)
from assay.store.factory import open_store

__all__ = ["AddResult", "NewSpan", "SeriesQuery", "SpanQuery", "Store", "TraceQuery", "open_store"]
