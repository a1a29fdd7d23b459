"""``Eval()`` and ``run_eval()``: resolve the settings, pick server or local file, run, report."""

from __future__ import annotations

import asyncio
import concurrent.futures
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from assay import config
from assay.errors import ServerUnavailableError, UsageError
from assay.evals._api import ApiClient, ApiNotFoundError
from assay.evals._dataset import Dataset
from assay.evals._report import LocalReporter, Reporter, ServerReporter, git_info, now_iso
from assay.evals._result import EvalResult, summary_from
from assay.evals._runner import Runner, RunSpec, TotalsSink
from assay.evals._scoring import prepare
from assay.evals._summary import prepare_summary, run_summary
from assay.schema.eval import SummaryScore
from assay.sdk._client import Client, get_client
from assay.sdk._span import sink_override

#: Concurrency when ``max_concurrency`` is None.
DEFAULT_CONCURRENCY = 16
#: Folder of local experiment files when no server is used.
LOCAL_DIR = Path(".assay") / "experiments"


@dataclass
class Session:
    """Set by ``assay eval`` while it runs eval files: collects results, shows progress."""

    results: list[EvalResult] = field(default_factory=list)
    quiet: bool = True
    progress: Callable[[str, int | None], Callable[[dict[str, Any]], None]] | None = None


#: The active session of the ``assay eval`` command, if any.
SESSION: list[Session] = []


def _default_name(task: Any) -> str:
    stem = getattr(task, "__name__", None) or type(task).__name__
    return f"{stem}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"


def _experiment_body(
    name: str, data: Any, metadata: dict[str, Any] | None, baseline: str | None, trials: int
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "metadata": metadata or {},
        "trial_count": trials,
        "started_at": now_iso(),
    }
    if isinstance(data, Dataset):
        body["dataset"] = {"name": data.name, "version": data.pinned}
    git = git_info()
    if git is not None:
        body["git"] = git
    if baseline:
        body["baseline"] = baseline
    return body


def _open_reporter(
    project: str,
    body: dict[str, Any],
    api_url: str | None,
    api_key: str | None,
    local_dir: str | Path | None,
    quiet: bool,
) -> tuple[Reporter, ApiClient | None]:
    if local_dir is None:
        api = ApiClient(api_url, api_key)
        try:
            return ServerReporter(api, project, body), api
        except (ServerUnavailableError, ApiNotFoundError) as exc:
            api.close()  # no server, or one without the experiments API
            if not quiet:
                print(f"assay: {exc}; writing the results to a local file instead", file=sys.stderr)
    folder = Path(local_dir) if local_dir is not None else LOCAL_DIR
    return LocalReporter(folder, body, project), None


def _span_client(project: str, reporter: Reporter, api: ApiClient | None) -> tuple[Client, bool]:
    """The SDK client the case spans go to, and whether this run owns it."""
    existing = get_client()
    if api is not None and existing is not None and existing.project == project:
        return existing, False
    if api is not None:
        from assay.sdk._http import HttpExporter

        exporter: Any = HttpExporter(api_url=api.api_url, project=project, api_key=api.api_key)
    else:
        exporter = reporter
    batch = int(config.get("batch_size"))
    # With a server the case sender flushes the spans before each batch of cases, so the
    # client's own timer only picks up what falls between (fewer, larger requests).
    interval = 1.0 if api is not None else 0.25
    return Client(
        project=project, exporter=exporter, batch_size=batch, flush_interval=interval
    ), True


async def run_eval(
    project: str,
    *,
    data: Any,
    task: Callable[..., Any],
    scores: Sequence[Any] = (),
    summary_scores: Sequence[Any] = (),
    experiment_name: str | None = None,
    metadata: dict[str, Any] | None = None,
    max_concurrency: int | None = None,
    trial_count: int = 1,
    timeout: float | None = None,
    baseline: str | None = None,
    api_url: str | None = None,
    api_key: str | None = None,
    local_dir: str | Path | None = None,
    quiet: bool = False,
) -> EvalResult:
    """Run an eval on the running event loop; the arguments are those of :func:`Eval`."""
    if not project:
        raise UsageError(
            "Eval needs a project name as its first argument, e.g. Eval('support-bot', ...)"
        )
    if not callable(task):
        raise UsageError(f"task is {task!r:.60}; pass a function (sync or async) taking the input")
    if trial_count < 1:
        raise UsageError(f"trial_count is {trial_count}; it must be at least 1")
    concurrency = DEFAULT_CONCURRENCY if max_concurrency is None else int(max_concurrency)
    if concurrency < 1:
        raise UsageError(f"max_concurrency is {max_concurrency}; it must be at least 1")
    if timeout is not None and timeout <= 0:
        raise UsageError(f"timeout is {timeout}; it must be a positive number of seconds")
    scorers = [prepare(s) for s in scores]
    summarizers = [prepare_summary(s) for s in summary_scores]
    session = SESSION[-1] if SESSION else None
    warn = not quiet  # the fallback to a local file is said on stderr under `assay eval` too
    quiet = quiet or (session is not None and session.quiet)
    if isinstance(data, Dataset) and data.pinned is None:
        data = await asyncio.to_thread(lambda: data.at(data.version))
    name = experiment_name or _default_name(task)
    body = _experiment_body(name, data, metadata, baseline, trial_count)
    reporter, api = await asyncio.to_thread(
        _open_reporter, project, body, api_url, api_key, local_dir, not warn
    )
    client, owned = _span_client(project, reporter, api)
    if isinstance(reporter, ServerReporter):
        reporter.set_span_flusher(lambda: client.flush(30.0))
    on_case: Callable[[dict[str, Any]], None] = reporter.add
    if session is not None and session.progress is not None:
        show = session.progress(
            reporter.name, len(data) * trial_count if isinstance(data, list) else None
        )
        add = reporter.add

        def on_case(case: dict[str, Any]) -> None:
            add(case)
            show(case)

    spec = RunSpec(
        name=reporter.name,
        experiment_id=reporter.id,
        task=task,
        scorers=scorers,
        concurrency=concurrency,
        trial_count=trial_count,
        timeout=timeout,
        on_case=on_case,
        from_dataset=isinstance(data, Dataset),
    )
    sink_token = sink_override.set(TotalsSink(client))
    started = time.perf_counter()
    status = "finished"
    summary: dict[str, SummaryScore] = {}
    try:
        await Runner(spec).run(data)
        summary = await run_summary(summarizers, spec.cases)
    except BaseException:  # Ctrl-C, cancellation, bad data or a bug: the run did not finish
        status = "interrupted"
        raise
    finally:
        sink_override.reset(sink_token)
        result = await asyncio.to_thread(
            _finish, project, reporter, client, owned, spec, status, started, api, summary
        )
        if session is not None:
            session.results.append(result)
        if not quiet:
            print(render(result))
    return result


def _finish(
    project: str,
    reporter: Reporter,
    client: Client,
    owned: bool,
    spec: RunSpec,
    status: str,
    started: float,
    api: ApiClient | None,
    summary: dict[str, SummaryScore],
) -> EvalResult:
    try:
        comparison = reporter.finish(status, lambda: client.flush(30.0), summary)
    finally:
        if owned:
            client.shutdown()
        if api is not None:
            api.close()
    return EvalResult(
        project=project,
        experiment_name=reporter.name,
        experiment_id=reporter.id,
        url=reporter.location if isinstance(reporter, ServerReporter) else None,
        local_file=reporter.path if isinstance(reporter, LocalReporter) else None,
        status=status,
        summary=summary_from(spec.cases.score_values(), spec.cases.score_error_counts()),
        summary_scores=summary,
        cases=spec.cases,
        comparison=comparison,
        duration_s=time.perf_counter() - started,
    )


def render(result: EvalResult) -> str:
    """A plain-text summary of a result (what ``Eval`` prints)."""
    where = result.url or (str(result.local_file) if result.local_file else "")
    lines = [
        f"experiment {result.experiment_name!r} {result.status}: {len(result.cases)} cases, "
        f"{result.error_count} errors, {result.duration_s:.1f}s  {where}"
    ]
    for name, stats in result.summary.items():
        mean = "n/a" if stats.mean is None else f"{stats.mean:.4f}"
        line = f"  {name:<24} mean {mean:>8}  n={stats.count}  errors={stats.errors}"
        cmp = result.scorer_comparison(name)
        if cmp is not None and cmp.diff is not None:
            line += (
                f"  vs {result.comparison.baseline if result.comparison else ''}: "
                f"{cmp.diff:+.4f} [{cmp.ci_low:+.4f}, {cmp.ci_high:+.4f}]"
            )
        lines.append(line)
    for name, score in result.summary_scores.items():
        lines.append("  " + _summary_line(name, score, result))
    return "\n".join(lines)


def _summary_line(name: str, score: SummaryScore, result: EvalResult) -> str:
    meta = score.metadata
    if score.value is None:
        error = meta.get("error") or {}
        why = f"{error.get('type')}: {error.get('message')}" if error else "no value"
        return f"{name:<24} {'n/a':>13}  ({why})"
    line = f"{name:<24} value {score.value:>7.4f}"
    low, high = meta.get("ci_low"), meta.get("ci_high")
    if isinstance(low, int | float) and isinstance(high, int | float):
        line += f"  [{low:.4f}, {high:.4f}]"
    if isinstance(meta.get("n"), int):
        line += f"  n={meta['n']}"
    cmp = result.summary_comparison(name)
    if cmp is not None and cmp.diff is not None:
        line += f"  vs baseline: {cmp.diff:+.4f}"
    return line


def Eval(
    project: str,
    *,
    data: Any,
    task: Callable[..., Any],
    scores: Sequence[Any] = (),
    summary_scores: Sequence[Any] = (),
    experiment_name: str | None = None,
    metadata: dict[str, Any] | None = None,
    max_concurrency: int | None = None,
    trial_count: int = 1,
    timeout: float | None = None,
    baseline: str | None = None,
    api_url: str | None = None,
    api_key: str | None = None,
    local_dir: str | Path | None = None,
    quiet: bool = False,
) -> EvalResult:
    """Run ``task`` over ``data``, score every output, record the experiment; blocks until done.

    Every case becomes a trace in the experiment (a root span of kind ``eval``, a ``task``
    span, one ``score`` span per scorer). With a server (``api_url``/``ASSAY_API_URL``) the
    cases stream to it and the comparison with the baseline comes back; without one the run is
    written to ``.assay/experiments/<name>.jsonl`` (or ``local_dir``) for
    ``assay experiments push``. Ctrl-C stops the run, keeps the finished cases, marks the
    experiment ``interrupted`` and raises KeyboardInterrupt.

    Args:
        project: Project name.
        data: A list, generator, async iterable, callable returning one, a .jsonl/.csv path
            or ``assay.dataset(...)``; items are dicts with ``input`` (``expected``,
            ``metadata``, ``id``) or :class:`Case` objects.
        task: Sync or async function of the input (and of a :class:`Hooks` object when it
            takes two arguments).
        scores: Scorers: callables taking keyword arguments among input, output, expected,
            metadata and returning a number, a Score, a list of them, or None.
        summary_scores: Scorers of the whole run, called once after the last case with
            keyword arguments among inputs, outputs, expecteds, metadatas (lists, one entry
            per case) and scores (case score values by name); e.g.
            ``assay.scorers.agreement_scores()`` for a judge evaluated against human labels.
        experiment_name: Name of the experiment (default: task name and time).
        metadata: Parameters of the run (prompt version, model, …).
        max_concurrency: Cases in flight at once; also the size of the thread pool of sync
            tasks and scorers (default 16).
        trial_count: Runs per case, to measure variance.
        timeout: Seconds one case (task and scorers) may take.
        baseline: Name of the experiment to compare with (default: the latest earlier
            experiment of the project on the same dataset).
        api_url: Base URL of the assay server (``ASSAY_API_URL``).
        api_key: Project API key (``ASSAY_API_KEY``).
        local_dir: Write to this folder and skip the server.
        quiet: Print nothing.

    Returns:
        The result: summary per scorer, cases, comparison, and ``passed()`` for gates.
    """
    coro = run_eval(
        project,
        data=data,
        task=task,
        scores=scores,
        summary_scores=summary_scores,
        experiment_name=experiment_name,
        metadata=metadata,
        max_concurrency=max_concurrency,
        trial_count=trial_count,
        timeout=timeout,
        baseline=baseline,
        api_url=api_url,
        api_key=api_key,
        local_dir=local_dir,
        quiet=quiet,
    )
    try:
        asyncio.get_running_loop()
        in_loop = True
    except RuntimeError:
        in_loop = False
    if not in_loop:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="assay-eval-loop") as pool:
        return pool.submit(asyncio.run, coro).result()
