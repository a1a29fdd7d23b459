"""The part of the Store protocol that keeps the audit log, project settings and data
retention (issue 8).

The audit log records who changed membership, roles, API keys, users and settings: every
router that makes such a change calls :meth:`AuditStore.record_audit` after it. Events of a
project carry its id; instance-wide events (users) carry ``None``.
"""

from __future__ import annotations

from typing import Any, Protocol

from assay.schema import AuditPage, Project, ProjectSettings


class AuditStore(Protocol):
    """The audit log, project settings and data retention."""

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
        """Append one event (``project_id`` None: instance-wide); returns its id.

        ``action`` is a dotted verb such as ``member.add``, ``key.revoke`` or
        ``settings.update``; ``details`` is any JSON object (old and new values, say).
        """

    def list_audit(
        self,
        project_id: str | None,
        *,
        limit: int = 50,
        cursor: str | None = None,
        action: str | None = None,
    ) -> AuditPage:
        """A page of a project's events (None: the instance-wide ones), newest first.

        ``action`` keeps only events of that action, or of that family when it ends in ``.``
        (``member.``). Raises UsageError for a cursor not made by this listing.
        """

    def create_project(self, name: str) -> Project | None:
        """Create project ``name``; None when a project of that name exists already."""

    def get_project_settings(self, project_id: str) -> ProjectSettings:
        """The project's settings (NotFoundError when there is no such project)."""

    def update_project_settings(self, project_id: str, changes: dict[str, Any]) -> ProjectSettings:
        """Change some settings (keys of ``ProjectSettings``); returns them all, as stored."""

    def retention_policies(self) -> dict[str, int]:
        """Project id → ``retention_days``, for every project that has it set."""

    def delete_traces_before(
        self, project_id: str, before_us: int, *, chunk: int = 2000, max_chunks: int | None = None
    ) -> int:
        """Delete the production traces of a project that started before ``before_us`` (µs).

        Their spans, open spans, rollups, scores and annotation queue items (with the items'
        holds and reviews) go too, ``chunk`` traces per transaction so ingest keeps flowing;
        blobs no longer referenced by anything are deleted at the end. Experiment traces are
        kept (they belong to their experiment). ``max_chunks`` stops after that many
        transactions (call again while the count returned is ``chunk * max_chunks``). Returns
        how many traces were deleted.
        """
