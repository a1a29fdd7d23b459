"""``ReviewStore``: the score config, queue and review methods of :class:`SqlStore`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

import sqlalchemy as sa

from assay.errors import UsageError
from assay.schema import (
    NextItems,
    Queue,
    QueueIn,
    QueueItemPage,
    QueueItemRef,
    QueueProgress,
    Review,
    ScoreConfig,
    ScoreConfigIn,
)
from assay.store.base import AddedItems, ReviewWrite, TraceQuery
from assay.store.sql import engine as engines
from assay.store.sql import queues, reviews, score_configs
from assay.store.sql.dialect import Dialect


class ReviewStore:
    """Score configs, queues and reviews; mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

    # ----------------------------------------------------------------- score configs
    def create_score_config(self, project_id: str, config: ScoreConfigIn) -> ScoreConfig | None:
        """Create score config ``config.name``; None when the project already has one."""
        with engines.writing(self.engine) as conn:
            self._project_name(conn, project_id)
            return score_configs.create(conn, self.dialect, project_id, config)

    def list_score_configs(
        self, project_id: str, *, include_archived: bool = False
    ) -> list[ScoreConfig]:
        """The project's score configs by name (archived ones only when asked)."""
        with engines.reading(self.engine) as conn:
            self._project_name(conn, project_id)
            return score_configs.list_all(conn, project_id, include_archived=include_archived)

    def get_score_config(self, project_id: str, name: str) -> ScoreConfig | None:
        """Score config ``name`` (archived or not), or None."""
        with engines.reading(self.engine) as conn:
            row = score_configs.find(conn, project_id, name)
            return None if row is None else score_configs.to_model(row)

    def update_score_config(
        self, project_id: str, name: str, changes: dict[str, Any]
    ) -> ScoreConfig:
        """Change some of description, min, max, step, categories, archived."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            return score_configs.update(conn, project_id, project, name, changes)

    # ------------------------------------------------------------------------ queues
    def create_queue(self, project_id: str, queue: QueueIn) -> Queue | None:
        """Create queue ``queue.name``; None when the project already has one."""
        with engines.writing(self.engine) as conn:
            self._project_name(conn, project_id)
            row = queues.create(conn, self.dialect, project_id, queue)
            return None if row is None else queues.to_model(row, QueueProgress())

    def list_queues(self, project_id: str) -> list[Queue]:
        """The project's queues with their progress, newest first."""
        now = queues.now_micros()
        with engines.reading(self.engine) as conn:
            self._project_name(conn, project_id)
            return [
                queues.to_model(row, queues.progress(conn, row, now=now))
                for row in queues.list_rows(conn, project_id)
            ]

    def get_queue(self, project_id: str, name: str, *, progress: bool = True) -> Queue | None:
        """Queue ``name`` with its progress (zeros when ``progress`` is False), or None."""
        with engines.reading(self.engine) as conn:
            row = queues.find(conn, project_id, name)
            if row is None:
                return None
            if not progress:
                return queues.to_model(row, QueueProgress())
            return queues.to_model(row, queues.progress(conn, row, now=queues.now_micros()))

    def update_queue(self, project_id: str, name: str, changes: dict[str, Any]) -> Queue:
        """Change some of instructions, assignees, reviews_per_item, archived."""
        unknown = set(changes) - set(queues.CHANGEABLE)
        if unknown:
            raise UsageError(
                f"update_queue cannot change {sorted(unknown)}; only {list(queues.CHANGEABLE)}"
            )
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = queues.require(conn, project_id, project, name, lock=True)
            if changes:
                row = queues.update(conn, row, changes)
            return queues.to_model(row, queues.progress(conn, row, now=queues.now_micros()))

    def add_queue_items(
        self, project_id: str, queue: str, items: Sequence[QueueItemRef]
    ) -> AddedItems:
        """Enqueue traces or spans; an item already queued is a duplicate."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = queues.require(conn, project_id, project, queue, lock=True)
            return queues.add_items(conn, row, items, project=project)

    def add_queue_items_from_traces(
        self,
        project_id: str,
        queue: str,
        query: TraceQuery,
        *,
        sample: int | None = None,
        target: Literal["trace", "root_span"] = "trace",
    ) -> AddedItems:
        """Enqueue every trace matching ``query`` (or ``sample`` random ones), in SQL."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = queues.require(conn, project_id, project, queue, lock=True)
            return queues.add_from_traces(
                conn, self.dialect, row, query, sample=sample, target=target
            )

    def list_queue_items(
        self,
        project_id: str,
        queue: str,
        *,
        status: Literal["pending", "done", "all"] = "all",
        limit: int = 50,
        cursor: str | None = None,
    ) -> QueueItemPage:
        """A page of a queue's items in queue order."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = queues.require(conn, project_id, project, queue)
            return queues.list_items(conn, row, status=status, limit=limit, cursor=cursor)

    # ----------------------------------------------------------------------- reviews
    def next_queue_items(
        self,
        project_id: str,
        queue: str,
        *,
        reviewer: str,
        count: int = 1,
        after: str | None = None,
        now: int | None = None,
    ) -> NextItems:
        """Hold and return the next items ``reviewer`` should review, with the progress."""
        at = queues.now_micros() if now is None else now
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = queues.require(conn, project_id, project, queue, lock=True)
            items = reviews.next_items(
                conn, self.dialect, row, reviewer=reviewer, count=count, after=after, now=at
            )
            return NextItems(items=items, progress=queues.progress(conn, row, now=at))

    def submit_review(
        self, project_id: str, queue: str, item_id: str, review: ReviewWrite
    ) -> Review:
        """Store a review and its score rows; supersede the reviewer's previous one."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = queues.require(conn, project_id, project, queue, lock=True)
            return reviews.submit(conn, self.dialect, row, item_id, review, now=queues.now_micros())

    def skip_queue_item(self, project_id: str, queue: str, item_id: str, reviewer: str) -> None:
        """Release the reviewer's hold; they are not offered the item again."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = queues.require(conn, project_id, project, queue, lock=True)
            reviews.skip(conn, self.dialect, row, item_id, reviewer, now=queues.now_micros())

    def list_queue_reviews(
        self,
        project_id: str,
        queue: str,
        *,
        item_id: str | None = None,
        reviewer: str | None = None,
    ) -> list[Review]:
        """The current reviews of a queue, oldest first."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = queues.require(conn, project_id, project, queue)
            return reviews.list_reviews(conn, row, item_id=item_id, reviewer=reviewer)
