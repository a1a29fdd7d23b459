"""Versioned datasets: create, list, read, insert/update/delete records, read any version."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from assay.schema import (
    Dataset,
    DatasetIn,
    DatasetRecord,
    DatasetRecordIn,
    DatasetVersion,
    RecordBatch,
    RecordBatchResult,
    RecordPage,
    RecordPatch,
    RecordsFromTraces,
    VersionResult,
)
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.routers.v1._items import (
    check_text,
    json_list,
    json_response,
    validate_items,
)
from assay.server.trace_filter import trace_query
from assay.store.base import RecordQuery, Store, TraceQuery

router = APIRouter(tags=["datasets"], dependencies=[Depends(reject_nul)])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    404: {"model": ErrorResponse, "description": "The project, dataset or record does not exist."},
    409: {"model": ErrorResponse, "description": "A dataset of that name exists."},
    422: {"model": ErrorResponse, "description": "The body is invalid (details per item)."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
DatasetName = Annotated[str, Path(description="Dataset name.")]
_BASE = "/api/v1/projects/{project}/datasets"


@router.post(
    _BASE,
    operation_id="createDataset",
    status_code=201,
    response_model=Dataset,
    responses=_ERRORS,
)
def create_dataset(request: Request, project: ProjectName, body: DatasetIn) -> Response:
    """Create an empty dataset (version 0); the project is created on first use."""
    check_text(project, "project", limit=200)
    check_text(body.name, "name", limit=200)
    if body.description is not None and "\x00" in body.description:
        raise ApiError(400, "description contains a NUL character; remove it.")
    store = store_of(request)
    created = store.create_dataset(
        store.ensure_project(project), body.name, description=body.description
    )
    if created is None:
        raise ApiError(
            409,
            f"Dataset {body.name!r} already exists in project {project!r}; insert records with "
            f"POST {_BASE.format(project=project)}/{body.name}/records or pick another name.",
        )
    return json_response(created, 201)


@router.get(_BASE, operation_id="listDatasets", response_model=list[Dataset], responses=_ERRORS)
def list_datasets(request: Request, project: ProjectName) -> Response:
    """Every dataset of the project with its latest version, by name."""
    store = store_of(request)
    return json_list(store.list_datasets(project_id_of(store, project)))


@router.get(_BASE + "/{name}", operation_id="getDataset", response_model=Dataset, responses=_ERRORS)
def get_dataset(request: Request, project: ProjectName, name: DatasetName) -> Response:
    """One dataset with its latest version and record count."""
    store = store_of(request)
    found = store.get_dataset(project_id_of(store, project), name)
    if found is None:
        raise ApiError(
            404,
            f"Dataset {name!r} does not exist in project {project!r}; "
            f"GET {_BASE.format(project=project)} lists them.",
        )
    return json_response(found)


@router.post(
    _BASE + "/{name}/records",
    operation_id="insertDatasetRecords",
    response_model=RecordBatchResult,
    responses=_ERRORS,
)
def insert_records(
    request: Request, project: ProjectName, name: DatasetName, body: RecordBatch
) -> Response:
    """Insert records (a given id that exists is updated) as one new version.

    Invalid records are listed in ``rejected`` with their index, field and reason; the valid
    ones are stored. When every record is invalid the answer is a 422.
    """
    store = store_of(request)
    project_id = project_id_of(store, project)
    good, rejected = validate_items(body.records, DatasetRecordIn, prefix="records", what="records")
    for index, record in list(good):
        if record.id is not None and (not record.id.strip() or len(record.id) > 200):
            rejected.append(
                {"index": index, "field": f"records.{index}.id", "reason": "must be 1 to 200 chars"}
            )
            good.remove((index, record))
    if not good:
        if rejected:
            raise ApiError(422, "Every record was rejected; see details.", details=rejected)
        raise ApiError(422, "'records' is empty; send at least one record.")
    written = store.write_dataset_records(project_id, name, [r for _, r in good])
    ids: list[str | None] = [None] * len(body.records)
    for (index, _), record_id in zip(good, written.ids, strict=True):
        ids[index] = record_id
    rejected.sort(key=lambda r: r["index"])
    result = RecordBatchResult.model_validate(
        {"version": written.version, "ids": ids, "rejected": rejected}
    )
    return json_response(result)


@router.post(
    _BASE + "/{name}/records/from-traces",
    operation_id="addRecordsFromTraces",
    response_model=RecordBatchResult,
    responses=_ERRORS,
)
def add_records_from_traces(
    request: Request, project: ProjectName, name: DatasetName, body: RecordsFromTraces
) -> Response:
    """One record per trace matching the filter (newest first, at most ``limit``) as one new
    version: the root span's input as input, its output as expected, the span as source.

    No matching trace makes no version (``ids`` is empty).
    """
    store = store_of(request)
    project_id = project_id_of(store, project)
    if store.get_dataset(project_id, name) is None:
        raise ApiError(
            404,
            f"Dataset {name!r} does not exist in project {project!r}; create it with "
            f"POST {_BASE.format(project=project)}.",
        )
    roots = _matching_roots(store, project_id, trace_query(body.filter), body.limit)
    written = store.add_dataset_records_from_spans(project_id, name, roots)
    result = RecordBatchResult(version=written.version, ids=list(written.ids))
    return json_response(result)


def _matching_roots(
    store: Store, project_id: str, query: TraceQuery, limit: int
) -> list[tuple[str, str]]:
    """(trace_id, root span id) of the newest ``limit`` traces of the query, page by page."""
    roots: list[tuple[str, str]] = []
    while len(roots) < limit:
        query.limit = min(1000, limit - len(roots))
        page = store.list_traces(project_id, query)
        roots += [(t.trace_id, t.root_span_id) for t in page.items if t.root_span_id]
        if page.next_cursor is None:
            break
        query.cursor = page.next_cursor
    return roots[:limit]


@router.patch(
    _BASE + "/{name}/records/{record_id}",
    operation_id="updateDatasetRecord",
    response_model=DatasetRecord,
    responses=_ERRORS,
)
def update_record(
    request: Request, project: ProjectName, name: DatasetName, record_id: str, body: RecordPatch
) -> Response:
    """Change the fields sent of one record; makes a new version."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    changes = body.model_dump(mode="json", include=body.model_fields_set)
    if not changes:
        raise ApiError(
            422, "The body changes nothing; send some of input, expected, metadata, tags."
        )
    if any(v is None for k, v in changes.items() if k in ("metadata", "tags")):
        raise ApiError(422, "metadata and tags cannot be null; send {} or [] to clear them.")
    return json_response(store.update_dataset_record(project_id, name, record_id, changes))


@router.delete(
    _BASE + "/{name}/records/{record_id}",
    operation_id="deleteDatasetRecord",
    response_model=VersionResult,
    responses=_ERRORS,
)
def delete_record(
    request: Request, project: ProjectName, name: DatasetName, record_id: str
) -> Response:
    """Delete one record from the next version (older versions keep it)."""
    store = store_of(request)
    version = store.delete_dataset_record(project_id_of(store, project), name, record_id)
    return json_response(VersionResult(version=version))


@router.get(
    _BASE + "/{name}/records",
    operation_id="listDatasetRecords",
    response_model=RecordPage,
    responses=_ERRORS,
)
def list_records(
    request: Request,
    project: ProjectName,
    name: DatasetName,
    version: Annotated[int | None, Query(ge=0, description="Default: the latest.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: str | None = None,
    q: Annotated[str | None, Query(description="Text searched in input and expected.")] = None,
) -> Response:
    """A page of the records as they were at a version, in insertion order."""
    store = store_of(request)
    query = RecordQuery(version=version, limit=limit, cursor=cursor or None, text=q or None)
    return json_response(store.list_dataset_records(project_id_of(store, project), name, query))


@router.get(
    _BASE + "/{name}/versions",
    operation_id="listDatasetVersions",
    response_model=list[DatasetVersion],
    responses=_ERRORS,
)
def list_versions(request: Request, project: ProjectName, name: DatasetName) -> Response:
    """Every version of the dataset: what it changed and how many records it left."""
    store = store_of(request)
    return json_list(store.list_dataset_versions(project_id_of(store, project), name))
