"""``assay datasets push|pull|export``: datasets to and from files.

``push`` stores every valid row of a ``.jsonl``/``.csv`` file as one new version and reports
bad rows with their line numbers; ``pull`` writes the records of a version as JSONL;
``export --format chat-jsonl`` writes chat-format fine-tuning data.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from assay import config
from assay.errors import AssayError, ConfigError, UsageError

if TYPE_CHECKING:
    from assay.evals._api import ApiClient
    from assay.evals._dataset import Dataset
    from assay.schema.eval import DatasetRecord


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``assay datasets`` to the command's subparsers."""
    p = sub.add_parser("datasets", help="Push, pull and export versioned datasets.")
    ds = p.add_subparsers(dest="datasets_command", required=True, metavar="COMMAND")

    def common(c: argparse.ArgumentParser) -> None:
        c.add_argument("name", metavar="NAME", help="Dataset name.")
        c.add_argument("--project", help="Project (default ASSAY_PROJECT).")
        c.add_argument("--api-url", help="Server URL (default ASSAY_API_URL).")
        c.set_defaults(module="assay.cli.datasets")

    push = ds.add_parser("push", help="Add the rows of a .jsonl or .csv file as a new version.")
    common(push)
    push.add_argument("file", metavar="FILE", help="A .jsonl or .csv file of records.")
    pull = ds.add_parser("pull", help="Write the records of a version as JSONL.")
    common(pull)
    pull.add_argument("--version", type=int, help="Version to read (default the latest).")
    pull.add_argument("-o", "--output", help="File to write (default stdout).")
    export = ds.add_parser("export", help="Write fine-tuning data (chat-format JSONL).")
    common(export)
    export.add_argument("--format", default="chat-jsonl", choices=["chat-jsonl"])
    export.add_argument("--version", type=int, help="Version to read (default the latest).")
    export.add_argument("--system", help="A system message to put first in every example.")
    export.add_argument(
        "--min-score", metavar="NAME=VALUE",
        help="Keep records whose source trace has a human score NAME of at least VALUE.",
    )  # fmt: skip
    export.add_argument("-o", "--output", help="File to write (default stdout).")


def _handle(args: argparse.Namespace) -> Dataset:
    from assay.evals._api import ApiClient
    from assay.evals._dataset import Dataset

    project = str(config.get("project", args.project))
    return Dataset(project, args.name, api=ApiClient(args.api_url))


def push(args: argparse.Namespace) -> int:
    """``assay datasets push NAME FILE``."""
    from assay.evals._files import read_records

    found = read_records(args.file)
    for problem in found.errors:
        print(f"{args.file}: {problem}", file=sys.stderr)
    if not found.records:
        raise UsageError(f"{args.file} has no valid records; nothing was stored")
    ds = _handle(args)
    result = ds.insert_many(found.records)
    for r in result.rejected:
        line = found.lines[r.index] if 0 <= r.index < len(found.lines) else "?"
        print(f"{args.file}: line {line}: {r.field or ''} {r.reason}".rstrip(), file=sys.stderr)
    stored = sum(1 for i in result.ids if i is not None)
    bad = len(found.errors) + len(result.rejected)
    print(f"stored {stored} records in {ds.project}/{ds.name} version {result.version}"
          + (f"; {bad} rows left out (see above)" if bad else ""))  # fmt: skip
    return 1 if bad else 0


def _out(path: str | None) -> TextIO:
    return sys.stdout if not path or path == "-" else open(path, "w", encoding="utf-8")


def pull(args: argparse.Namespace) -> int:
    """``assay datasets pull NAME [--version N] [-o FILE]``."""
    ds = _handle(args)
    out = _out(args.output)
    count = 0
    try:
        for rec in ds.records(args.version):
            out.write(json.dumps(rec.model_dump(mode="json"), ensure_ascii=False) + "\n")
            count += 1
    finally:
        if out is not sys.stdout:
            out.close()
    if out is not sys.stdout:
        print(f"wrote {count} records to {args.output}", file=sys.stderr)
    return 0


def _content(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def chat_example(record: DatasetRecord, system: str | None) -> dict[str, Any]:
    """One record as ``{"messages": [system?, user(input), assistant(expected)]}``."""
    messages: list[dict[str, Any]] = []
    if system:
        messages.append({"role": "system", "content": system})
    inp = record.input
    if isinstance(inp, dict) and isinstance(inp.get("messages"), list):
        inp = inp["messages"]
    if isinstance(inp, list) and all(isinstance(m, dict) and "role" in m for m in inp):
        messages.extend(inp)
    else:
        messages.append({"role": "user", "content": _content(inp)})
    messages.append({"role": "assistant", "content": _content(record.expected)})
    return {"messages": messages}


def _passing(
    api: ApiClient, project: str, records: Iterator[DatasetRecord], spec: str
) -> Iterator[DatasetRecord]:
    name, sep, raw = spec.partition("=")
    try:
        floor = float(raw)
    except ValueError:
        floor = float("nan")
    if not sep or not name or floor != floor:
        raise UsageError(
            f"--min-score {spec!r} is not NAME=NUMBER; write e.g. --min-score correct=0.8"
        )
    for rec in records:
        if rec.source is None:
            continue
        from assay.evals._api import q

        scores = api.get(
            f"/projects/{q(rec.source.project or project)}/traces/{q(rec.source.trace_id)}/scores"
        )
        values = [
            s.get("value")
            for s in scores or []
            if s.get("name") == name and s.get("source") == "human"
        ]
        values = [v for v in values if v is not None]
        if values and values[-1] >= floor:
            yield rec


def export(args: argparse.Namespace) -> int:
    """``assay datasets export NAME --format chat-jsonl [--min-score NAME=VALUE]``."""
    ds = _handle(args)
    records: Iterator[DatasetRecord] = ds.records(args.version)
    if args.min_score:
        records = _passing(ds._api, ds.project, records, args.min_score)
    out = _out(args.output)
    count = 0
    try:
        for rec in records:
            if rec.expected is None:
                continue
            out.write(json.dumps(chat_example(rec, args.system), ensure_ascii=False) + "\n")
            count += 1
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"exported {count} examples", file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    """Entry point of ``assay datasets``."""
    command = {"push": push, "pull": pull, "export": export}[args.datasets_command]
    try:
        return command(args)
    except (ConfigError, UsageError):
        raise
    except AssayError as exc:  # the server refused or could not be reached
        print(f"assay: error: {exc}", file=sys.stderr)
        return 1
