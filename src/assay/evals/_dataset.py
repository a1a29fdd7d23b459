"""``assay.dataset(project, name)``: a versioned dataset on the server, as the SDK sees it.

Every insert, update or delete call makes one new version on the server; iteration reads the
records as they were at a version (the latest unless pinned with :meth:`Dataset.at`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from assay.errors import UsageError
from assay.evals._api import ApiClient, ApiNotFoundError, q
from assay.schema.eval import Dataset as DatasetInfo
from assay.schema.eval import DatasetRecord, RecordBatchResult

_MISSING: Any = object()
PAGE = 1000


class Dataset:
    """A handle on one dataset of a project; nothing is sent until it is used.

    The dataset is created on the server by the first insert. Iterating yields
    :class:`assay.schema.DatasetRecord` objects, which ``Eval(data=...)`` accepts directly.
    """

    def __init__(
        self,
        project: str,
        name: str,
        *,
        api_url: str | None = None,
        api_key: str | None = None,
        pinned: int | None = None,
        api: ApiClient | None = None,
    ) -> None:
        """Make a handle; see :func:`dataset`."""
        if not project or not name:
            raise UsageError(f"dataset needs a project and a name; got {project!r}, {name!r}")
        self.project = project
        self.name = name
        self.pinned = pinned
        self._api = api or ApiClient(api_url, api_key)

    def __repr__(self) -> str:
        at = f" at version {self.pinned}" if self.pinned is not None else ""
        return f"<Dataset {self.project}/{self.name}{at}>"

    @property
    def api_url(self) -> str:
        """The server this handle talks to."""
        return self._api.api_url

    @property
    def _path(self) -> str:
        return f"/projects/{q(self.project)}/datasets/{q(self.name)}"

    # ------------------------------------------------------------------ reading
    def info(self) -> DatasetInfo | None:
        """The dataset as the server has it, or None when it does not exist yet."""
        try:
            return DatasetInfo.model_validate(self._api.get(self._path))
        except ApiNotFoundError:
            return None

    @property
    def version(self) -> int:
        """The pinned version, else the latest (0 when the dataset is empty or missing)."""
        if self.pinned is not None:
            return self.pinned
        found = self.info()
        return 0 if found is None else found.version

    def at(self, version: int) -> Dataset:
        """A handle that reads the records as they were at ``version``."""
        return Dataset(self.project, self.name, pinned=version, api=self._api)

    def records(self, version: int | None = None) -> Iterator[DatasetRecord]:
        """Yield the records at ``version`` (the pinned or latest one when None), page by page."""
        version = self.pinned if version is None else version
        cursor: str | None = None
        while True:
            try:
                page = self._api.get(
                    self._path + "/records", version=version, limit=PAGE, cursor=cursor
                )
            except ApiNotFoundError:
                if cursor is None and version is None:
                    return  # the dataset does not exist yet: no records
                raise
            for item in page.get("items", []):
                yield DatasetRecord.model_validate(item)
            cursor = page.get("next_cursor")
            if not cursor:
                return

    def __iter__(self) -> Iterator[DatasetRecord]:
        return self.records()

    def to_list(self, version: int | None = None) -> list[DatasetRecord]:
        """All records at ``version`` (the pinned or latest one when None)."""
        return list(self.records(version))

    # ------------------------------------------------------------------ writing
    def _post_records(self, records: list[dict[str, Any]]) -> RecordBatchResult:
        body = {"records": records}
        try:
            answer = self._api.post(self._path + "/records", body)
        except ApiNotFoundError:
            self._create()
            answer = self._api.post(self._path + "/records", body)
        return RecordBatchResult.model_validate(answer)

    def _create(self) -> None:
        from assay.evals._api import ApiError

        try:
            self._api.post(f"/projects/{q(self.project)}/datasets", {"name": self.name})
        except ApiError as exc:
            if exc.status != 409:  # created meanwhile by someone else: fine
                raise

    def insert(
        self,
        input: Any,
        *,
        expected: Any = None,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
        id: str | None = None,
        source: dict[str, Any] | None = None,
    ) -> str:
        """Add one record (or update the record ``id`` when it exists); makes a new version.

        Args:
            input: What the task receives.
            expected: The reference answer.
            metadata: Extra key/value pairs.
            tags: Labels.
            id: Stable id; the server makes one when None.
            source: The production span it came from: ``{"trace_id", "span_id"}``.

        Returns:
            The record's id.
        """
        record = _record(input, expected, metadata, tags, id, source)
        result = self._post_records([record])
        if result.rejected or not result.ids or result.ids[0] is None:
            reason = result.rejected[0].reason if result.rejected else "no id returned"
            raise UsageError(f"the server rejected the record: {reason}")
        return result.ids[0]

    def insert_many(self, records: Iterable[dict[str, Any]]) -> RecordBatchResult:
        """Add many records in one call (one new version); see :meth:`insert` for the fields.

        Returns:
            The new version, the ids in order (None for rejected ones) and the rejections.
        """
        rows = [dict(r) for r in records]
        if not rows:
            raise UsageError("insert_many got no records")
        return self._post_records(rows)

    def update(
        self,
        id: str,
        *,
        input: Any = _MISSING,
        expected: Any = _MISSING,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
    ) -> DatasetRecord:
        """Change the fields given of record ``id``; makes a new version."""
        body: dict[str, Any] = {}
        if input is not _MISSING:
            body["input"] = input
        if expected is not _MISSING:
            body["expected"] = expected
        if metadata is not None:
            body["metadata"] = metadata
        if tags is not None:
            body["tags"] = tags
        answer = self._api.request("PATCH", f"{self._path}/records/{q(id)}", json=body)
        return DatasetRecord.model_validate(answer)

    def delete(self, id: str) -> int:
        """Delete record ``id``; returns the new version."""
        answer = self._api.request("DELETE", f"{self._path}/records/{q(id)}")
        return int(answer["version"])


def _record(
    input: Any,
    expected: Any,
    metadata: dict[str, Any] | None,
    tags: list[str] | None,
    id: str | None,
    source: dict[str, Any] | None,
) -> dict[str, Any]:
    record: dict[str, Any] = {"input": input}
    if expected is not None:
        record["expected"] = expected
    if metadata:
        record["metadata"] = metadata
    if tags:
        record["tags"] = tags
    if id is not None:
        record["id"] = id
    if source:
        record["source"] = source
    return record


def dataset(
    project: str, name: str, *, api_url: str | None = None, api_key: str | None = None
) -> Dataset:
    """A handle on dataset ``name`` of ``project`` (created on the server by the first insert).

    Example::

        ds = assay.dataset("support-bot", "golden")
        ds.insert(input="Where is my order?", expected="It ships tomorrow.")
        Eval("support-bot", data=ds, task=answer, scores=[exact_match()])

    Args:
        project: Project name.
        name: Dataset name.
        api_url: Base URL of the server (``ASSAY_API_URL`` when None).
        api_key: Project API key (``ASSAY_API_KEY`` when None).

    Returns:
        The handle.
    """
    return Dataset(project, name, api_url=api_url, api_key=api_key)
