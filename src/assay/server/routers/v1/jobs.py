"""``/api/v1/projects/{project}/jobs``: the job queue of a project, its dead letters, retries.

Online scoring, backfills and the other background work of a project are jobs; this is where
people see what is waiting, what runs, and what failed for good (``dead``, with its error), and
where they retry a dead job or cancel one.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from assay.schema import Job, JobPage
from assay.schema.online import JobStatus
from assay.server.deps import project_id_of, reject_nul, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.routers.v1._items import json_response
from assay.server.worker import notify_all
from assay.store.base import Store
from assay.store.shapes import JobQuery

router = APIRouter(tags=["jobs"], dependencies=[Depends(reject_nul)])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A parameter cannot be used."},
    404: {"model": ErrorResponse, "description": "The project, rule or job does not exist."},
    409: {"model": ErrorResponse, "description": "The job's status does not allow it."},
    422: {"model": ErrorResponse, "description": "A parameter is invalid (details per field)."},
}
ProjectName = Annotated[str, Path(description="Project name.")]
JobId = Annotated[str, Path(description="Job id.")]
_BASE = "/api/v1/projects/{project}/jobs"


def _job_of(store: Store, project: str, job_id: str) -> Job:
    """Job ``job_id`` of ``project``, or a 404 (a job of another project is not found here)."""
    project_id_of(store, project)
    job = store.get_job(job_id)
    if job is None or job.project != project:
        raise ApiError(
            404,
            f"Job {job_id!r} does not exist in project {project!r}; "
            f"GET {_BASE.format(project=project)} lists its jobs.",
        )
    return job


@router.get(_BASE, operation_id="listJobs", response_model=JobPage, responses=ERRORS)
def list_jobs(
    request: Request,
    project: ProjectName,
    status: Annotated[JobStatus | None, Query(description="Only jobs in this status.")] = None,
    kind: Annotated[str | None, Query(description="Only jobs of this kind (score, …).")] = None,
    rule: Annotated[str | None, Query(description="Only the jobs of this rule (its name).")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Jobs per page.")] = 50,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page.")] = None,
) -> Response:
    """The project's jobs, newest first, with how many there are in each status."""
    store = store_of(request)
    project_id = project_id_of(store, project)
    rule_id = None
    if rule is not None:
        found = store.get_rule(project_id, rule, stats=False)
        if found is None:
            raise ApiError(
                404,
                f"Rule {rule!r} does not exist in project {project!r}; GET "
                f"/api/v1/projects/{project}/rules lists them (a deleted rule's jobs are listed "
                "without the rule filter).",
            )
        rule_id = found.id
    query = JobQuery(status=status, kind=kind, rule_id=rule_id, limit=limit, cursor=cursor)
    return json_response(store.list_jobs(project_id, query))


@router.get(_BASE + "/{job_id}", operation_id="getJob", response_model=Job, responses=ERRORS)
def get_job(request: Request, project: ProjectName, job_id: JobId) -> Response:
    """One job: its payload, attempts, progress, result or last error."""
    return json_response(_job_of(store_of(request), project, job_id))


@router.post(
    _BASE + "/{job_id}/retry", operation_id="retryJob", response_model=Job, responses=ERRORS
)
def retry_job(request: Request, project: ProjectName, job_id: JobId) -> Response:
    """Queue a dead or cancelled job again now, with its attempts reset (409 otherwise)."""
    store = store_of(request)
    _job_of(store, project, job_id)
    job = store.retry_job(job_id)
    notify_all()
    return json_response(job)


@router.post(
    _BASE + "/{job_id}/cancel", operation_id="cancelJob", response_model=Job, responses=ERRORS
)
def cancel_job(request: Request, project: ProjectName, job_id: JobId) -> Response:
    """Cancel a queued or running job; a running one's outcome is then discarded (409 when the
    job is done or dead)."""
    store = store_of(request)
    _job_of(store, project, job_id)
    return json_response(store.cancel_job(job_id))
