"""``SqlStore``: the :class:`~assay.store.base.Store` over SQLAlchemy, for SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import sqlalchemy as sa

from assay import config
from assay.errors import NotFoundError
from assay.schema import Project, SeriesPoint, Span, SpanPage, Trace, TracePage
from assay.store.base import AddResult, NewSpan, SeriesQuery, SpanQuery, TraceQuery
from assay.store.sql import engine as engines
from assay.store.sql import migrate as migrations
from assay.store.sql import projects, read, search, write
from assay.store.sql import query as query_module
from assay.store.sql.access_store import SqlAccessStore
from assay.store.sql.agent_store import SqlAgentStore
from assay.store.sql.alert_store import SqlAlertStore
from assay.store.sql.audit_store import SqlAuditStore
from assay.store.sql.dialect import Dialect
from assay.store.sql.evals import EvalStore
from assay.store.sql.identity_store import SqlIdentityStore
from assay.store.sql.job_store import SqlJobStore
from assay.store.sql.prompt_store import SqlPromptStore
from assay.store.sql.provider_store import SqlProviderStore
from assay.store.sql.review_store import ReviewStore
from assay.store.sql.rule_store import SqlRuleStore
from assay.store.sql.trace_json import encode_trace


class SqlStore(
    EvalStore,
    ReviewStore,
    SqlJobStore,
    SqlRuleStore,
    SqlAlertStore,
    SqlIdentityStore,
    SqlAccessStore,
    SqlAuditStore,
    SqlPromptStore,
    SqlProviderStore,
    SqlAgentStore,
):
    """Spans, traces, projects, datasets, experiments, scores, judges, reviews, jobs, rules and
    alerts in one database.

    Args:
        url: A SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://...``).
        inline_limit: Bodies larger than this many bytes go to the blob table; default is the
            ``inline_limit`` setting.
    """

    def __init__(self, url: str | sa.URL, *, inline_limit: int | None = None) -> None:
        self.engine = engines.create(sa.make_url(url))
        self.dialect = Dialect(self.engine.dialect.name)
        self.inline_limit = int(config.get("inline_limit", inline_limit))
        self._names: dict[str, str] = {}
        self._ids: dict[str, str] = {}
        self._names_lock = threading.Lock()

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (cheap when already there)."""
        migrations.upgrade(self.engine)

    def ensure_project(self, name: str) -> str:
        """Return the id of project ``name``, creating it on first use.

        Projects are never renamed or deleted, so a name found once is remembered (every
        ingest request asks).
        """
        found = self._ids.get(name)
        if found is not None:
            return found
        with engines.reading(self.engine) as conn:
            found = projects.find(conn, name)
        if found is None:
            with engines.writing(self.engine) as conn:
                found = projects.create(conn, self.dialect, name)
        self._ids[name] = found
        return found

    def find_project(self, name: str) -> str | None:
        """Return the id of project ``name``, or None when there is none."""
        with engines.reading(self.engine) as conn:
            return projects.find(conn, name)

    def list_projects(self) -> list[Project]:
        """Every project with its volume, newest activity first."""
        with engines.reading(self.engine) as conn:
            return projects.list_all(conn)

    def add_spans(
        self,
        project_id: str,
        spans: Sequence[NewSpan],
        *,
        followup: write.Followup | None = None,
    ) -> AddResult:
        """Commit spans; idempotent per (project, trace_id, span_id). Returns after commit.

        ``followup`` gets the finished spans newly written, inside the write transaction; the
        jobs it returns are enqueued in that transaction.
        """
        if not spans:
            return AddResult()
        with read.gc_paused():
            prepared = write.prepare(project_id, spans, inline_limit=self.inline_limit)
            with engines.writing(self.engine) as conn:
                return write.add_spans(conn, self.dialect, prepared, followup=followup)

    def get_trace(self, project_id: str, trace_id: str, *, bodies: bool = True) -> Trace | None:
        """One trace as a tree; ``bodies=False`` leaves out input, output, expected, metadata."""
        with engines.reading(self.engine) as conn:
            name = self._project_name(conn, project_id)
            return read.get_trace(conn, project_id, name, trace_id, with_bodies=bodies)

    def trace_json(self, project_id: str, trace_id: str, *, bodies: bool = True) -> bytes | None:
        """``get_trace`` already serialized as JSON, built without a model per span."""
        with engines.reading(self.engine) as conn, read.gc_paused():
            name = self._project_name(conn, project_id)
            found = read.trace_rows(conn, project_id, trace_id, with_bodies=bodies)
            if not found:
                return None
            return encode_trace(conn, project_id, name, trace_id, found, with_bodies=bodies)

    def get_span(self, project_id: str, trace_id: str, span_id: str) -> Span | None:
        """One span with its bodies."""
        with engines.reading(self.engine) as conn:
            name = self._project_name(conn, project_id)
            return read.get_span(conn, project_id, name, trace_id, span_id)

    def list_traces(self, project_id: str, query: TraceQuery) -> TracePage:
        """A page of the trace list."""
        with engines.reading(self.engine) as conn:
            name = self._project_name(conn, project_id)
            return query_module.list_traces(conn, self.dialect, project_id, name, query)

    def list_spans(self, project_id: str, query: SpanQuery) -> SpanPage:
        """A page of the span list, newest first."""
        with engines.reading(self.engine) as conn:
            name = self._project_name(conn, project_id)
            return query_module.list_spans(conn, self.dialect, project_id, name, query)

    def series(self, project_id: str, query: SeriesQuery) -> list[SeriesPoint]:
        """Aggregates per time bucket (traces by start time)."""
        with engines.reading(self.engine) as conn:
            return query_module.series(conn, self.dialect, project_id, query)

    def index_search_text(self, *, limit: int = 2000) -> int:
        """Add up to ``limit`` spans to SQLite's word index of span text, in one write
        transaction; returns how many (0 when it is complete, and always on PostgreSQL)."""
        if not self.dialect.is_sqlite:
            return 0
        with engines.writing(self.engine) as conn:
            return search.index_next(conn, self.dialect, limit=limit)

    def close(self) -> None:
        """Release connections."""
        self.engine.dispose()

    def _project_name(self, conn: sa.Connection, project_id: str) -> str:
        name = self._names.get(project_id)
        if name is None:
            name = projects.name_of(conn, project_id)
            if name is None:
                raise NotFoundError(
                    f"no project has id {project_id!r}; get ids from ensure_project(name) or "
                    "list_projects()"
                )
            with self._names_lock:
                self._names[project_id] = name
        return name
