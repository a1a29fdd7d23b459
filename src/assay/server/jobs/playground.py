"""Job kind ``playground_experiment``: a playground variant run over a dataset with scorers,
written as an experiment (cases, scores, summary), page by page with progress; cancellable.

:func:`start` creates the experiment (the dataset pinned to a version, the variant in its
metadata) and enqueues one job. Each run of the job takes one page of records (:data:`PAGE`, or
the run's concurrency when larger; the cursor is in the payload), runs the variant on them with
up to ``concurrency`` in flight, scores each output and stores the case and its trace as soon
as it ends (so progress moves case by case, and a cancelled run stops within one case), then
queues itself again for the next page (``JobOutcome.again``: a fresh set of attempts per page).
After the last page the experiment is finished; its summary is computed from the cases, as for
any experiment.

Nothing is written twice: cases are idempotent per case id (the record id) and trial, trace ids
are derived from the experiment and the record, and a page retried after a provider outage
skips the records it stored already (their ids travel in the retry's payload). Cancelling
(:func:`cancel`) cancels the job and ends the experiment as ``interrupted``, keeping the cases
done. A page that fails on its last attempt ends the experiment as ``interrupted`` too; the
job's error says why.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from datetime import UTC, datetime
from typing import Any

from assay.errors import ConflictError
from assay.schema import (
    DatasetRecord,
    DatasetRef,
    Experiment,
    ExperimentIn,
    Job,
    PlaygroundExperiment,
    PlaygroundExperimentIn,
    PlaygroundVariant,
    RuleScorer,
)
from assay.scorers import REGISTRY
from assay.server.jobs.base import Handler, JobContext, Periodic
from assay.server.jobs.playground_case import CaseRun, CaseSpec, run_record
from assay.server.playground import ResolvedVariant, resolve_variant
from assay.server.rule_scorers import resolve
from assay.store.base import Store
from assay.store.shapes import ClaimedJob, JobOutcome, JobQuery, JobRetry, NewJob, RecordQuery

KIND = "playground_experiment"
PAGE = 20
"""Records one run of the job takes (at least the run's concurrency)."""
SOURCE = "playground"
"""``metadata.source`` of the experiments the playground makes."""
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_OPEN = ("queued", "running")


# ------------------------------------------------------------------------------ starting
def check_scorers(
    store: Store, project_id: str, project: str, specs: list[RuleScorer]
) -> list[dict[str, Any]]:
    """Every scorer that cannot run (field and reason each): a judge or judge version that does
    not exist, an unknown built-in scorer, arguments it refuses. Empty when all can run."""
    details: list[dict[str, Any]] = []
    for index, spec in enumerate(specs):
        _, problems = resolve(store, project_id, [spec], providers=False)
        if not problems:
            continue
        reason = problems[0]
        if spec.judge is not None:
            field = "judge"
            reason += f"; create it with POST /api/v1/projects/{project}/judges or name another"
        elif spec.scorer not in REGISTRY:
            field = "scorer"
            reason += f"; the built-in scorers are {', '.join(sorted(REGISTRY))}"
        else:
            field = "args"
        details.append({"field": f"body.scorers.{index}.{field}", "reason": reason})
    return details


def default_name(resolved: ResolvedVariant, now: datetime | None = None) -> str:
    """``playground-<prompt, agent or model>-<UTC time>``, safe in a URL path."""
    base = resolved.prompt_name or resolved.agent or resolved.model or "variant"
    base = _UNSAFE.sub("-", base).strip("-")[:150] or "variant"
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return f"playground-{base}-{stamp}"


def _metadata(variant: PlaygroundVariant, resolved: ResolvedVariant) -> dict[str, Any]:
    """The variant as recorded on the experiment: what produced its outputs."""
    meta: dict[str, Any] = {"source": SOURCE}
    if variant.label:
        meta["variant"] = variant.label
    if resolved.prompt_name is not None:
        meta["prompt"] = {"name": resolved.prompt_name, "version": resolved.prompt_version}
    if resolved.agent is not None:
        meta["agent"] = resolved.agent
        meta["parameters"] = dict(resolved.parameters)
    else:
        meta["model"] = resolved.model
        meta["params"] = dict(resolved.params)
    return meta


def _pinned(variant: PlaygroundVariant, resolved: ResolvedVariant) -> dict[str, Any]:
    """The variant with its saved prompt pinned to the version resolved now (a label moved
    during the run does not change the pages that follow)."""
    dumped = variant.model_dump(mode="json")
    if variant.prompt is not None and resolved.prompt_version is not None:
        dumped["prompt"] = {"name": variant.prompt.name, "version": resolved.prompt_version}
    return dumped


def start(
    store: Store,
    project_id: str,
    body: PlaygroundExperimentIn,
    resolved: ResolvedVariant,
    *,
    version: int,
    total: int,
) -> PlaygroundExperiment:
    """Create the experiment and enqueue the job that runs it (blocking)."""
    made = store.create_experiment(
        project_id,
        ExperimentIn(
            name=body.name or default_name(resolved),
            dataset=DatasetRef(name=body.dataset, version=version),
            metadata=_metadata(body.variant, resolved),
            baseline=body.baseline,
        ),
    )
    payload = {
        "experiment": made.name,
        "experiment_id": made.id,
        "dataset": body.dataset,
        "version": version,
        "variant": _pinned(body.variant, resolved),
        "scorers": [s.model_dump(mode="json", exclude_defaults=True) for s in body.scorers],
        "concurrency": body.concurrency,
        "cursor": None,
    }
    job = NewJob(kind=KIND, payload=payload, project_id=project_id, progress_total=total)
    try:
        job_id = store.enqueue_jobs([job])[0]
    except Exception:  # no job will ever run it: do not leave it running forever (the error
        # itself reaches the caller and the server log)
        store.finish_running_experiment(project_id, made.name, status="interrupted")
        raise
    assert job_id is not None  # no dedupe key: always enqueued
    return PlaygroundExperiment(experiment=made.name, job_id=job_id, status="queued", total=total)


# ----------------------------------------------------------------------- progress, cancel
def find_job(store: Store, project_id: str, experiment_id: str) -> Job | None:
    """The job running an experiment (newest jobs first: a recent run is found at once)."""
    cursor: str | None = None
    while True:
        page = store.list_jobs(project_id, JobQuery(kind=KIND, limit=100, cursor=cursor))
        for job in page.items:
            if job.payload.get("experiment_id") == experiment_id:
                return job
        cursor = page.next_cursor
        if cursor is None:
            return None


def _view(experiment: Experiment, job: Job | None) -> PlaygroundExperiment:
    status: str = experiment.status
    if status == "running" and job is not None:
        status = job.status  # queued or running (retrying after a failure: queued)
    shown_error = job is not None and experiment.status != "finished"
    return PlaygroundExperiment(
        experiment=experiment.name,
        job_id="" if job is None else job.id,
        status=status,
        total=(job.progress_total or 0) if job is not None else experiment.case_count,
        done=experiment.case_count,  # cases are stored one by one: finer than the job's
        error=job.error if shown_error and job is not None else None,
    )


def progress(store: Store, project_id: str, experiment: Experiment) -> PlaygroundExperiment:
    """A playground experiment's status and progress (blocking). A run whose job died without
    ending it (its worker stopped on the last attempt) is ended as interrupted here."""
    job = find_job(store, project_id, experiment.id)
    stopped = job is not None and job.status in ("dead", "cancelled")
    if experiment.status == "running" and stopped:
        store.finish_running_experiment(project_id, experiment.name, status="interrupted")
        experiment = store.get_experiment(project_id, experiment.name) or experiment
    return _view(experiment, job)


def cancel(store: Store, project_id: str, experiment: Experiment) -> PlaygroundExperiment:
    """Cancel the job and end the experiment as interrupted, keeping the cases done.

    Raises:
        ConflictError: The experiment has ended already.
    """
    ended = ConflictError(
        f"experiment {experiment.name!r} is {experiment.status} already; only a running "
        "one can be cancelled"
    )
    if experiment.status != "running":
        raise ended
    job = find_job(store, project_id, experiment.id)
    if job is not None and job.status in _OPEN:
        try:
            job = store.cancel_job(job.id)
        except ConflictError:  # it finished meanwhile
            now = store.get_experiment(project_id, experiment.name)
            if now is not None and now.status != "running":
                raise ended from None
    # only while still running: a run that finished just now stays finished (then a 409)
    ended_now = store.finish_running_experiment(project_id, experiment.name, status="interrupted")
    finished = store.get_experiment(project_id, experiment.name) or experiment
    if not ended_now:
        raise ConflictError(
            f"experiment {experiment.name!r} is {finished.status} already; only a running one "
            "can be cancelled"
        )
    return _view(finished, job)


# ---------------------------------------------------------------------------- the job
@dataclasses.dataclass(slots=True)
class _Page:
    spec: CaseSpec
    runs: list[CaseRun]
    next_cursor: str | None
    notes: list[str]


async def _run_page(ctx: JobContext, job: ClaimedJob, state: dict[str, Any]) -> _Page | str:
    """Run the records of the page in ``state``, storing each case as it ends; a string says
    why there is nothing to run."""
    store, project_id = ctx.store, str(job.project_id)
    experiment = await ctx.run(store.get_experiment, project_id, str(state["experiment"]))
    if experiment is None or experiment.id != state.get("experiment_id"):
        return "the experiment was deleted"
    if experiment.status != "running":
        return f"the experiment is {experiment.status}"
    variant = PlaygroundVariant.model_validate(state["variant"])
    resolved = await ctx.run(resolve_variant, store, project_id, variant)
    specs = [RuleScorer.model_validate(s) for s in state.get("scorers") or []]
    runners, notes = await ctx.run(resolve, store, project_id, specs)  # judges: project keys
    concurrency = max(1, int(state.get("concurrency") or 1))
    query = RecordQuery(
        version=int(state["version"]), limit=max(PAGE, concurrency), cursor=state.get("cursor")
    )
    page = await ctx.run(store.list_dataset_records, project_id, str(state["dataset"]), query)
    skip = set(state.get("skip") or [])
    spec = CaseSpec(project_id, experiment.id, experiment.name, resolved, runners)
    gate = asyncio.Semaphore(concurrency)
    held = True

    async def one(record: DatasetRecord) -> CaseRun | None:
        nonlocal held
        async with gate:
            held = held and await ctx.heartbeat()
            if not held:  # cancelled (the claim is gone): start nothing new
                return None
            run = await run_record(store, spec, record)
            if run.transient is None:
                await _write(ctx, spec, run)
            return run

    runs = await asyncio.gather(*(one(r) for r in page.items if r.id not in skip))
    return _Page(spec, [r for r in runs if r is not None], page.next_cursor, notes)


async def _write(ctx: JobContext, spec: CaseSpec, run: CaseRun) -> None:
    """Store a finished case: its spans first, then the case that points at them."""
    if run.spans:
        await ctx.run(ctx.store.add_spans, spec.project_id, run.spans)
    await ctx.run(ctx.store.add_experiment_cases, spec.project_id, spec.experiment, [run.case])


async def _interrupt(ctx: JobContext, job: ClaimedJob) -> None:
    """End the experiment as interrupted (this was the job's last attempt)."""
    name = str(job.payload.get("experiment"))
    end = ctx.store.finish_running_experiment
    await ctx.run(end, str(job.project_id), name, status="interrupted")


async def _after(
    ctx: JobContext, job: ClaimedJob, state: dict[str, Any], page: _Page
) -> JobOutcome:
    done = job.progress_done + sum(1 for r in page.runs if r.transient is None)
    failed = [r for r in page.runs if r.transient is not None]
    if failed:
        stored = [r.case.case_id for r in page.runs if r.transient is None]
        state["skip"] = [*(state.get("skip") or []), *stored]
        error = f"{len(failed)} record(s) could not run; first: {failed[0].transient}"
        if job.attempts >= job.max_attempts:
            await _interrupt(ctx, job)
        return JobOutcome(progress_done=done, retry=JobRetry(payload=state, error=error))
    state["pages"] = int(state.get("pages") or 0) + 1
    if page.next_cursor is not None:
        state.update(cursor=page.next_cursor, skip=[])
        return JobOutcome(progress_done=done, again=state)
    name = page.spec.experiment
    end = ctx.store.finish_running_experiment  # not over a cancel that landed meanwhile
    await ctx.run(end, page.spec.project_id, name, status="finished")
    result: dict[str, Any] = {"experiment": name, "pages": state["pages"], "cases": done}
    if page.notes:
        result["errors"] = page.notes[:3]
    return JobOutcome(progress_done=done, progress_total=done, result=result)


async def run_playground_experiment(ctx: JobContext, job: ClaimedJob) -> JobOutcome:
    """Run one page of a playground experiment, then queue the next page or finish it."""
    if job.project_id is None:
        return JobOutcome(result={"skipped": "the job names no project"})
    state: dict[str, Any] = dict(job.payload)
    try:
        page = await _run_page(ctx, job, state)
        if isinstance(page, str):
            return JobOutcome(result={"skipped": page})
        return await _after(ctx, job, state, page)
    except Exception:
        if job.attempts >= job.max_attempts:  # dead after this: the run has stopped
            await _interrupt(ctx, job)
        raise


HANDLERS: dict[str, Handler] = {KIND: run_playground_experiment}
PERIODIC: list[Periodic] = []
