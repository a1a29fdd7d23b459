"""Where an experiment goes while it runs: a server (cases stream in batches) or a local file.

The local file is JSON lines: first ``{"type": "experiment", ...}``, then ``case`` and
``spans`` lines in the order they happened, last ``{"type": "finish", ...}``.
``assay experiments push FILE`` uploads it later (:func:`push_file`).
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import orjson

from assay.errors import ServerUnavailableError, UsageError
from assay.evals._api import ApiClient, ApiError, ApiNotFoundError, q
from assay.schema.eval import Comparison, Experiment, SummaryScore
from assay.sdk._util import encode, log

CASE_BATCH = 500
SEND_INTERVAL = 0.5


def git_info(cwd: str | Path | None = None) -> dict[str, Any] | None:
    """Commit, branch and dirty flag of the git repository around ``cwd``, or None."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=5, check=True
        )
        return done.stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        branch = git("rev-parse", "--abbrev-ref", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "branch": None if branch == "HEAD" else branch, "dirty": dirty}


def now_iso() -> str:
    """The current time as an RFC 3339 string in UTC."""
    return datetime.now(UTC).isoformat()


class Reporter(Protocol):
    """Receives the experiment while it runs."""

    name: str
    id: str
    location: str

    def add(self, case: dict[str, Any]) -> None:
        """Take one finished case (called on the event loop; must not block)."""

    def finish(
        self,
        status: str,
        flush_spans: Callable[[], object],
        summary: Mapping[str, SummaryScore] | None = None,
    ) -> Comparison | None:
        """Deliver what is left, close the experiment, return the comparison if any."""


# ------------------------------------------------------------------------------ local file
class LocalReporter:
    """Writes the experiment, its cases and its spans to one JSONL file."""

    def __init__(self, folder: Path, experiment: dict[str, Any], project: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        base = experiment["name"]
        name, n = base, 1
        while (folder / f"{_safe(name)}.jsonl").exists():
            n += 1
            name = f"{base}-{n}"
        self.name = name
        self.id = str(uuid.uuid4())
        self.path = folder / f"{_safe(name)}.jsonl"
        self.location = str(self.path)
        self._lock = threading.Lock()
        self._fh = self.path.open("ab")
        head = {**experiment, "name": name, "id": self.id, "project": project}
        self._write({"type": "experiment", "experiment": head})

    def _write(self, line: dict[str, Any]) -> None:
        data = encode(line) + b"\n"
        with self._lock:
            if not self._fh.closed:
                self._fh.write(data)

    def add(self, case: dict[str, Any]) -> None:
        """Append one case."""
        self._write({"type": "case", "case": case})

    # the span exporter of the local mode: spans land in the same file
    def export(self, spans: list[dict[str, Any]]) -> None:
        """Append a batch of spans (called on the SDK's exporter thread)."""
        self._write({"type": "spans", "spans": spans})

    def shutdown(self) -> None:
        """Nothing to release here; :meth:`finish` closes the file."""

    def finish(
        self,
        status: str,
        flush_spans: Callable[[], object],
        summary: Mapping[str, SummaryScore] | None = None,
    ) -> Comparison | None:
        """Write the last spans and the finish line (with the summary scores), close the file."""
        flush_spans()
        line: dict[str, Any] = {"type": "finish", "status": status, "ended_at": now_iso()}
        if summary:
            line["summary_scores"] = _dump_summary(summary)
        self._write(line)
        with self._lock:
            self._fh.close()
        return None


def _dump_summary(summary: Mapping[str, SummaryScore]) -> dict[str, Any]:
    return {name: score.model_dump(mode="json") for name, score in summary.items()}


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "experiment"


# ----------------------------------------------------------------------------------- server
class ServerReporter:
    """Creates the experiment on the server and streams cases to it from a background thread."""

    def __init__(self, api: ApiClient, project: str, experiment: dict[str, Any]) -> None:
        self.api = api
        self.project = project
        created = Experiment.model_validate(
            api.post(f"/projects/{q(project)}/experiments", experiment)
        )
        self.name = created.name
        self.id = created.id
        self.location = f"{api.api_url}/projects/{q(project)}/experiments/{q(created.name)}"
        self.failed = 0
        self._queue: deque[dict[str, Any]] = deque()
        self._wake = threading.Event()
        self._stop = False
        self._flush_spans: Callable[[], object] | None = None
        self._thread = threading.Thread(target=self._run, name="assay-eval-sender", daemon=True)
        self._thread.start()

    @property
    def _path(self) -> str:
        return f"/projects/{q(self.project)}/experiments/{q(self.name)}"

    def add(self, case: dict[str, Any]) -> None:
        """Queue one case; the sender thread posts it with the next batch."""
        self._queue.append(case)
        if len(self._queue) >= CASE_BATCH:
            self._wake.set()

    def set_span_flusher(self, flush: Callable[[], object]) -> None:
        """Spans are flushed before each case batch, so a case never arrives before its trace."""
        self._flush_spans = flush

    def _run(self) -> None:
        while not self._stop:
            self._wake.wait(SEND_INTERVAL)
            self._wake.clear()
            self._drain()

    def _drain(self) -> None:
        """Send the cases queued now: one span flush first, then batches of ``CASE_BATCH``.

        Cases that finish meanwhile wait for the next round, so a run makes a few large
        requests per second instead of one per handful of cases.
        """
        left = len(self._queue)
        if not left:
            return
        if self._flush_spans is not None:
            self._flush_spans()
        while left > 0:
            batch = [self._queue.popleft() for _ in range(min(CASE_BATCH, left))]
            left -= len(batch)
            self._send(batch)

    def _send(self, batch: list[dict[str, Any]]) -> None:
        for attempt in range(6):
            try:
                answer = self.api.post(self._path + "/cases", {"cases": batch})
            except ServerUnavailableError as exc:
                if attempt == 5:
                    self.failed += len(batch)
                    log.warning("assay: %d eval cases were not delivered: %s", len(batch), exc)
                    return
                time.sleep(min(2.0, 0.1 * 2**attempt))
                continue
            except ApiError as exc:
                self.failed += len(batch)
                log.warning("assay: the server refused %d eval cases: %s", len(batch), exc)
                return
            rejected = (answer or {}).get("rejected") or []
            if rejected:
                self.failed += len(rejected)
                log.warning(
                    "assay: the server rejected %d eval cases, e.g. %s", len(rejected), rejected[:3]
                )
            return

    def finish(
        self,
        status: str,
        flush_spans: Callable[[], object],
        summary: Mapping[str, SummaryScore] | None = None,
    ) -> Comparison | None:
        """Send the last cases, finish the experiment and fetch the comparison."""
        self._stop = True
        self._wake.set()
        self._thread.join()
        self._flush_spans = flush_spans
        self._drain()
        body: dict[str, Any] = {"status": status, "ended_at": now_iso()}
        if summary:
            body["summary_scores"] = _dump_summary(summary)
        self.api.post(self._path + "/finish", body)
        return fetch_comparison(self.api, self.project, self.name)


def fetch_comparison(api: ApiClient, project: str, name: str) -> Comparison | None:
    """The comparison of experiment ``name`` with its baseline, or None when it has none."""
    try:
        answer = api.get(f"/projects/{q(project)}/experiments/{q(name)}/compare")
    except ApiNotFoundError:
        return None
    return Comparison.model_validate(answer)


# ------------------------------------------------------------------------------------ push
@dataclass
class LocalRun:
    """What a local experiment file holds."""

    experiment: dict[str, Any]
    cases: list[dict[str, Any]] = field(default_factory=list)
    span_batches: list[list[Any]] = field(default_factory=list)
    status: str = "interrupted"
    summary_scores: dict[str, Any] = field(default_factory=dict)


def read_local(path: Path) -> LocalRun:
    """The experiment, cases, span batches, final status and summary scores of a local file."""
    head: dict[str, Any] | None = None
    cases: list[dict[str, Any]] = []
    spans: list[list[Any]] = []
    status = "interrupted"
    summary: dict[str, Any] = {}
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                line = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise UsageError(
                    f"{path}: line {number} is not JSON; is this an experiment file?"
                ) from None
            kind = line.get("type") if isinstance(line, dict) else None
            if kind == "experiment":
                head = line["experiment"]
            elif kind == "case":
                cases.append(line["case"])
            elif kind == "spans":
                spans.append(line["spans"])
            elif kind == "finish":
                status = line.get("status", "finished")
                summary = line.get("summary_scores") or {}
    if head is None:
        raise UsageError(
            f"{path} has no experiment line; pass a file written by Eval without a server"
        )
    return LocalRun(head, cases, spans, status, summary)


def push_file(path: str | Path, api: ApiClient) -> Experiment:
    """Upload a local experiment file: the experiment, its spans, its cases, then finish it.

    Returns:
        The experiment as the server stored it (its name may have gained a ``-2`` suffix).
    """
    run = read_local(Path(path))
    head, cases, span_batches = run.experiment, run.cases, run.span_batches
    project = head["project"]
    local_id = head.get("id")
    body = {
        k: head[k]
        for k in ("name", "dataset", "metadata", "git", "baseline", "trial_count", "started_at")
        if head.get(k) is not None
    }
    created = Experiment.model_validate(api.post(f"/projects/{q(project)}/experiments", body))
    for batch in span_batches:
        for s in batch:
            if s.get("experiment_id") == local_id:
                s["experiment_id"] = created.id
        for i in range(0, len(batch), 1000):
            api.post("/spans", {"project": project, "spans": batch[i : i + 1000]})
    path_ = f"/projects/{q(project)}/experiments/{q(created.name)}"
    for i in range(0, len(cases), CASE_BATCH):
        api.post(path_ + "/cases", {"cases": cases[i : i + CASE_BATCH]})
    finish: dict[str, Any] = {"status": run.status}
    if run.summary_scores:
        finish["summary_scores"] = run.summary_scores
    finished = api.post(path_ + "/finish", finish)
    return Experiment.model_validate(finished)
