"""``SqlAuditStore``: the audit, project settings and retention methods of :class:`SqlStore`
(issue 8)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from assay.schema import AuditPage, Project, ProjectSettings
from assay.store.sql import (
    audit,
    auth_tables,  # noqa: F401  (its tables join the metadata)
    retention,
)
from assay.store.sql import engine as engines
from assay.store.sql.dialect import Dialect

log = logging.getLogger("assay.store")


class SqlAuditStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

    def record_audit(
        self,
        project_id: str | None,
        *,
        actor: str,
        action: str,
        target: str | None = None,
        details: dict[str, Any] | None = None,
        address: str | None = None,
    ) -> str:
        """Append one event (``project_id`` None: instance-wide); returns its id."""
        with engines.writing(self.engine) as conn:
            return audit.record(
                conn,
                project_id,
                actor=actor,
                action=action,
                target=target,
                details=details,
                address=address,
            )

    def list_audit(
        self,
        project_id: str | None,
        *,
        limit: int = 50,
        cursor: str | None = None,
        action: str | None = None,
    ) -> AuditPage:
        """A page of a project's events (None: the instance-wide ones), newest first."""
        with engines.reading(self.engine) as conn:
            return audit.list_page(conn, project_id, limit=limit, cursor=cursor, action=action)

    def create_project(self, name: str) -> Project | None:
        """Create project ``name``; None when a project of that name exists already."""
        with engines.writing(self.engine) as conn:
            return audit.create_project(conn, self.dialect, name)

    def get_project_settings(self, project_id: str) -> ProjectSettings:
        """The project's settings (NotFoundError when there is no such project)."""
        with engines.reading(self.engine) as conn:
            return audit.get_settings(conn, project_id)

    def update_project_settings(self, project_id: str, changes: dict[str, Any]) -> ProjectSettings:
        """Change some settings (keys of ``ProjectSettings``); returns them all, as stored."""
        with engines.writing(self.engine) as conn:
            return audit.update_settings(conn, project_id, changes)

    def retention_policies(self) -> dict[str, int]:
        """Project id → ``retention_days``, for every project that has it set."""
        with engines.reading(self.engine) as conn:
            return audit.retention_policies(conn)

    def delete_traces_before(
        self, project_id: str, before_us: int, *, chunk: int = 2000, max_chunks: int | None = None
    ) -> int:
        """Delete the project's production traces that started before ``before_us``, ``chunk``
        traces per transaction (at most ``max_chunks`` of them), then the blobs nothing points
        at; returns the traces deleted."""
        deleted = 0
        candidates: set[str] = set()
        rounds = 0
        while max_chunks is None or rounds < max_chunks:
            rounds += 1
            with engines.writing(self.engine) as conn:
                ids = retention.old_trace_ids(conn, project_id, before_us, limit=chunk)
                if ids:
                    candidates |= retention.delete_traces(conn, self.dialect, project_id, ids)
            deleted += len(ids)
            if len(ids) < chunk:
                break
        if candidates:
            with engines.writing(self.engine) as conn:
                blobs = retention.delete_unused_blobs(conn, project_id, candidates)
            log.info("retention deleted %d unused blobs of project %s", blobs, project_id)
        return deleted
