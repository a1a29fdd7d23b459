"""``assay demo``: a server on a fresh database, filled by an example agent through the real SDK.

The server runs in this process (main thread, so Ctrl-C stops it as usual). A worker thread
starts the fake model server and the refund sub-agent as child processes, runs the support-bot
supervisor and a plain OpenTelemetry job against them, and then prints what to look at.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay.cli import _process, _server
from assay.errors import UsageError
from assay.server.search_indexer import SearchIndexer

if TYPE_CHECKING:
    import uvicorn

PROJECT = "support-bot"
DATASET = "support-golden"
MARKER = ".assay-demo"


@dataclass
class _Run:
    """State shared by the server thread and the worker that fills it."""

    server: uvicorn.Server
    base_url: str
    exit_when_done: bool
    children: list[_process.Child] = field(default_factory=list)
    failure: str | None = None


def prepare_data_dir(path: Path) -> Path:
    """Empty ``path`` (only if an earlier demo made it) and return it, created and marked."""
    if path.exists():
        if not path.is_dir():
            raise UsageError(f"--data-dir {str(path)!r} is a file; pass a folder for the demo")
        if any(path.iterdir()) and not (path / MARKER).exists():
            raise UsageError(
                f"--data-dir {str(path)!r} is not empty and was not made by `assay demo` "
                f"(no {MARKER} file in it); pick a new folder, the demo wipes it at start"
            )
        shutil.rmtree(path)
    path.mkdir(parents=True)
    (path / MARKER).write_text("made by `assay demo`; wiped at every start\n")
    return path


def run(args: argparse.Namespace) -> int:
    """Serve a freshly filled demo database until Ctrl-C (or until filled, with ``--exit``)."""
    data_dir = prepare_data_dir(Path(args.data_dir).expanduser().resolve())
    _server.use_data_dir(data_dir)  # the secret key and the agents' prompt copies live there
    sock = _server.bind_socket("127.0.0.1", args.port)
    try:
        store = _server.open_migrated_store(f"sqlite:///{data_dir / 'assay.db'}")
        try:
            state = _Run(
                server=_server.make_server(store, log_level="warning"),
                base_url=_server.socket_url(sock),
                exit_when_done=args.exit,
            )
            print(f"assay demo: server on {state.base_url}, data in {data_dir}", flush=True)
            threading.Thread(target=_fill, args=(state,), daemon=True).start()
            # Alerts are evaluated every 10 s in the demo (60 s by default), so its alert
            # fires soon after the data is in.
            os.environ.setdefault("ASSAY_ALERT_INTERVAL", "10")
            worker = _server.start_worker(store, url=state.base_url, enabled=True)
            indexer = SearchIndexer(store).start()
            try:
                state.server.run(sockets=[sock])
            finally:
                indexer.stop()
                if worker is not None:
                    worker.stop(5.0)
        finally:
            for child in state.children:
                child.stop()
            store.close()
    finally:
        sock.close()
    if state.failure:
        print(f"assay demo: error: {state.failure}", flush=True)
        return 1
    return 0


def _fill(state: _Run) -> None:
    try:
        _wait_started(state.server)
        _produce(state)
        _print_summary(state.base_url)
    except Exception as exc:  # shown to the user, then the server stops
        state.failure = str(exc) or type(exc).__name__
        state.server.should_exit = True
        return
    if state.exit_when_done:
        state.server.should_exit = True
    else:
        print("Serving until Ctrl-C.", flush=True)


def _wait_started(server: uvicorn.Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not server.started:
        if server.should_exit or time.monotonic() > deadline:
            raise RuntimeError("the demo server did not start")
        time.sleep(0.02)


def _produce(state: _Run) -> None:
    env = _process.python_env(ASSAY_API_URL=state.base_url, ASSAY_PROJECT=PROJECT)
    env.pop("ASSAY_API_KEY", None)
    llm = _process.start_service(
        "fake model server", "assay.testing.fake_llm", "--port", "0", "--delay", "0.05", env=env
    )
    state.children.append(llm)
    llm_url = llm.url + "/v1"
    # The server's worker (in this process) runs the online rule's judge on the fake model.
    from assay import llm as providers

    providers.configure_provider("openai", base_url=llm_url, api_key="sk-demo")
    refund = _process.start_service(
        "refund agent", "assay.cli._demo.refund_agent", "--llm-url", llm_url, env=env
    )
    state.children.append(refund)
    print(f"assay demo: fake model at {llm.url}, refund agent at {refund.url}", flush=True)
    print("assay demo: the bot's reply prompt (production, staging) and the model provider")
    _process.run_program("assay.cli._demo.prompts", "--llm-url", llm_url, env=env)
    _process.run_program(
        "assay.cli._demo.agent", "--llm-url", llm_url, "--refund-url", refund.url, env=env
    )
    _process.run_program("assay.cli._demo.otel_job", "--api-url", state.base_url, env=env)
    print("assay demo: a golden dataset and two experiments on it", flush=True)
    _process.run_program("assay.cli._demo.evals", "--llm-url", llm_url, env=env)
    print(
        "assay demo: an LLM judge on the production traces, against a person's labels", flush=True
    )
    _process.run_program("assay.cli._demo.judges", "--llm-url", llm_url, env=env)
    refund.stop()  # it flushes its spans when it stops; the model stays for the online rule
    _wait_for_traces(state.base_url)
    print("assay demo: an online rule judging every conversation, and an alert", flush=True)
    _process.run_program("assay.cli._demo.online", env=env)
    bot = _process.start_service(
        "support bot agent", "assay.cli._demo.bot_agent", "--llm-url", llm_url, env=env
    )
    state.children.append(bot)
    _put(f"{state.base_url}/api/v1/projects/{PROJECT}/agents/support-bot", {"url": bot.url})
    print(f"assay demo: the support bot served for the playground at {bot.url}", flush=True)


def _put(url: str, body: Any) -> Any:
    data = json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    request = urllib.request.Request(url, data=data, headers=headers, method="PUT")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _wait_for_traces(base_url: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        projects = {p["name"]: p for p in _get(f"{base_url}/api/v1/projects")}
        if projects.get(PROJECT, {}).get("trace_count", 0) > 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"no traces arrived in project {PROJECT!r} within {timeout:.0f}s")


def _print_summary(base_url: str) -> None:
    from rich.console import Console
    from rich.table import Table

    projects = _get(f"{base_url}/api/v1/projects")
    table = Table(title="Stored through the ingest API", title_justify="left")
    for column in ("project", "traces", "spans", "errors"):
        table.add_column(column, justify="left" if column == "project" else "right")
    for p in projects:
        table.add_row(p["name"], str(p["trace_count"]), str(p["span_count"]), str(p["error_count"]))
    api = f"{base_url}/api/v1/projects/{PROJECT}"
    console = Console()
    console.print(table)
    ui = f"{base_url}/projects/{PROJECT}"
    console.print("\n[bold]Open in a browser[/bold]")
    for what, url in (
        ("the traces", f"{ui}/traces"),
        ("traces with an error", f"{ui}/traces?status=error"),
        (
            "shorter-prompt vs baseline-prompt",
            f"{ui}/experiments/compare?experiments=baseline-prompt,shorter-prompt",
        ),
        ("the golden dataset", f"{ui}/datasets/{DATASET}"),
        ("monitoring", f"{ui}/monitoring?range=24h"),
        ("the helpfulness judge vs people", f"{ui}/judges/helpfulness"),
        ("review the refund answers", f"{ui}/queues/refund-answers/review"),
        ("the online rule", f"{ui}/online/helpfulness-live"),
        ("background jobs", f"{ui}/jobs"),
        ("alerts", f"{ui}/alerts"),
        ("the reply prompt: versions, labels", f"{ui}/prompts/reply"),
        ("edit and run it in the playground", f"{ui}/playground?prompt=reply&label=production"),
        ("run the whole bot there", f"{ui}/playground?agent=support-bot"),
    ):
        console.print(f"  {what:34} {url}", soft_wrap=True, highlight=False)
    console.print("\n[bold]Or through the HTTP API[/bold]")
    for what, url in (
        ("the HTTP API's schema", f"{base_url}/openapi.json"),
        ("newest traces", f"{api}/traces"),
        ("traces with an error", f"{api}/traces?status=error"),
        ("traces tagged refund", f"{api}/traces?tag=refund"),
        ("every LLM call", f"{api}/spans?kind=llm"),
        ("per minute: volume, latency, cost", f"{api}/series?bucket=1m"),
        ("the golden dataset, its records", f"{api}/datasets/{DATASET}/records"),
        ("its versions", f"{api}/datasets/{DATASET}/versions"),
        ("the reply prompt in production", f"{api}/prompts/reply/resolve?label=production"),
        ("the experiments", f"{api}/experiments"),
        ("shorter-prompt vs baseline-prompt", f"{api}/experiments/shorter-prompt/compare"),
        ("the judges", f"{api}/judges"),
        ("helpfulness judge vs the people", f"{api}/judges/helpfulness/agreement"),
        ("online rules and what they did", f"{api}/rules"),
        ("background jobs", f"{api}/jobs"),
        ("alerts and their history", f"{api}/alert-events"),
    ):
        console.print(f"  {what:34} {url}", soft_wrap=True, highlight=False)
