"""``assay eval PATH...``: run eval files, show progress, summarise, gate CI.

Files named ``eval_*.py`` or ``*_eval.py`` are found in folders; a file given by path runs
whatever its name. Each file runs as ``__main__`` and every ``Eval(...)`` it calls is collected.
Exit code: 0 when every gate passes, 1 when a gate fails or a file raised, 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from assay.errors import UsageError

if TYPE_CHECKING:
    from assay.evals._eval import Session
    from assay.evals._result import EvalResult, GateFailure

SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".assay", ".tox"}
TOP_REGRESSIONS = 5


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``assay eval`` to the command's subparsers."""
    p = sub.add_parser("eval", help="Run eval files (eval_*.py, *_eval.py) and gate on results.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="Eval files or folders to search.")
    p.add_argument("--json", action="store_true", help="Print one JSON document, nothing else.")
    p.add_argument("--junit-xml", metavar="FILE", help="Write a JUnit XML report to FILE.")
    p.add_argument(
        "--fail-under", action="append", default=[], metavar="SCORER=FLOOR",
        help="Fail when the scorer's mean is below FLOOR (repeatable).",
    )  # fmt: skip
    p.add_argument(
        "--fail-on-regression", action="append", default=[], metavar="SCORER",
        help="Fail when the 95%% CI of the difference with the baseline is below zero.",
    )  # fmt: skip
    p.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")
    p.set_defaults(module="assay.cli.eval")


def parse_floors(items: list[str]) -> dict[str, float]:
    """``["exact_match=0.8"]`` → ``{"exact_match": 0.8}``; UsageError on a malformed item."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            if not sep or not name:
                raise ValueError
            out[name.strip()] = float(value)
        except ValueError:
            raise UsageError(
                f"--fail-under {item!r} is not SCORER=NUMBER; "
                "write e.g. --fail-under exact_match=0.8"
            ) from None
    return out


def discover(paths: list[str]) -> list[Path]:
    """The eval files under ``paths`` (files as given, folders searched), without repeats."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_file():
            found.append(p)
        elif p.is_dir():
            for f in sorted(p.rglob("*.py")):
                if SKIP_DIRS & set(f.relative_to(p).parts[:-1]):
                    continue
                if f.name.startswith("eval_") or f.stem.endswith("_eval"):
                    found.append(f)
        else:
            raise UsageError(f"{raw!r} is neither a file nor a folder; pass eval files or folders")
    unique = list(dict.fromkeys(f.resolve() for f in found))
    if not unique:
        raise UsageError(f"no eval files (eval_*.py or *_eval.py) found in {', '.join(paths)}")
    return unique


class _Progress:
    """A rich live progress bar per experiment (cases done, errors, elapsed, rate)."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )  # fmt: skip

        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("errors {task.fields[errors]}"), TimeElapsedColumn(),
            TextColumn("{task.fields[rate]:.1f} cases/s"), transient=False,
        )  # fmt: skip
        self.progress.start()

    def __call__(self, name: str, total: int | None) -> Any:
        task = self.progress.add_task(name, total=total, errors=0, rate=0.0)
        started = time.perf_counter()
        counts = [0, 0]

        def on_case(case: dict[str, Any]) -> None:
            counts[0] += 1
            counts[1] += bool(case.get("error"))
            rate = counts[0] / max(time.perf_counter() - started, 1e-6)
            self.progress.update(task, advance=1, errors=counts[1], rate=rate)

        return on_case

    def stop(self) -> None:
        self.progress.stop()


def _make_progress(args: argparse.Namespace) -> _Progress | None:
    if args.no_progress or args.json or not sys.stderr.isatty():
        return None
    try:
        return _Progress()
    except ImportError:
        return None


def run_files(files: list[Path], session: Session) -> tuple[list[str], bool]:
    """Run each file; return the errors of files that raised, and whether Ctrl-C stopped it."""
    from assay.evals._eval import SESSION

    errors: list[str] = []
    SESSION.append(session)
    try:
        for f in files:
            sys.path.insert(0, str(f.parent))
            try:
                runpy.run_path(str(f), run_name="__main__")
            except KeyboardInterrupt:
                return errors, True
            except Exception as exc:
                text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                errors.append(f"{f}: {type(exc).__name__}: {exc}\n{text}")
            finally:
                sys.path.remove(str(f.parent))
    finally:
        SESSION.remove(session)
    return errors, False


def gate(
    results: list[EvalResult], floors: dict[str, float], regress: list[str]
) -> list[GateFailure]:
    """Gate failures over every result; a gate naming a scorer no result has fails."""
    from assay.evals._result import GateFailure

    failures: list[GateFailure] = []
    for r in results:
        mine = {k: v for k, v in floors.items() if k in r.summary or k in r.summary_scores}
        failures += r.gate_failures(fail_under=mine, fail_on_regression=regress)
    for name, floor in floors.items():
        if not any(name in r.summary or name in r.summary_scores for r in results):
            msg = f"--fail-under {name}={floor:g}: no experiment has a score named {name!r}"
            failures.append(GateFailure("fail_under", name, msg))
    return failures


def run(args: argparse.Namespace) -> int:
    """Entry point of ``assay eval``."""
    floors = parse_floors(args.fail_under)
    files = discover(args.paths)
    from assay.evals._eval import Session

    progress = _make_progress(args)
    session = Session(quiet=True, progress=progress)
    try:
        errors, interrupted = run_files(files, session)
    finally:
        if progress is not None:
            progress.stop()
    results = session.results
    failures = gate(results, floors, args.fail_on_regression)
    if args.junit_xml:
        write_junit(Path(args.junit_xml), results, failures, floors, args.fail_on_regression)
    if args.json:
        print(json.dumps(as_json(results, failures, errors), indent=2, default=str))
    else:
        print_report(results, failures, errors)
    if interrupted:
        return 130
    return 1 if failures or errors else 0


def as_json(results: list[EvalResult], failures: list[GateFailure], errors: list[str]) -> Any:
    """The ``--json`` document."""
    return {
        "passed": not failures and not errors,
        "experiments": [
            {
                "project": r.project,
                "name": r.experiment_name,
                "id": r.experiment_id,
                "status": r.status,
                "url": r.url,
                "local_file": str(r.local_file) if r.local_file else None,
                "cases": len(r.cases),
                "errors": r.error_count,
                "duration_s": round(r.duration_s, 3),
                "summary": {k: vars_of(v) for k, v in r.summary.items()},
                "summary_scores": {
                    k: v.model_dump(mode="json") for k, v in r.summary_scores.items()
                },
                "comparison": r.comparison.model_dump(mode="json") if r.comparison else None,
            }
            for r in results
        ],
        "gates": [{"gate": f.gate, "scorer": f.scorer, "message": f.message} for f in failures],
        "file_errors": errors,
    }


def vars_of(stats: Any) -> dict[str, Any]:
    """A slotted dataclass as a dict."""
    return {k: getattr(stats, k) for k in stats.__slots__}


def write_junit(
    path: Path, results: list[EvalResult], failures: list[GateFailure],
    floors: dict[str, float], regress: list[str],
) -> None:  # fmt: skip
    """One testsuite per experiment (a testcase per case, failed when it errored) + gates."""
    root = ET.Element("testsuites", name="assay eval")
    for r in results:
        errored = r.error_count
        suite = ET.SubElement(
            root, "testsuite", name=r.experiment_name, tests=str(len(r.cases)),
            failures=str(errored), time=f"{r.duration_s:.3f}",
        )  # fmt: skip
        for c in r.cases:
            case = ET.SubElement(
                suite, "testcase", classname=f"{r.project}.{r.experiment_name}",
                name=f"{c.case_id}#{c.trial}", time=f"{(c.duration_ms or 0) / 1000:.3f}",
            )  # fmt: skip
            if c.error is not None:
                fail = ET.SubElement(case, "failure", message=f"{c.error.type}: {c.error.message}")
                fail.text = c.error.traceback or ""
    gates = [(f"fail_under {k}={v:g}", "fail_under", k) for k, v in floors.items()]
    gates += [(f"fail_on_regression {k}", "fail_on_regression", k) for k in regress]
    suite = ET.SubElement(
        root, "testsuite", name="gates", tests=str(len(gates)), failures=str(len(failures))
    )
    for label, kind, scorer in gates:
        case = ET.SubElement(suite, "testcase", classname="assay.gates", name=label)
        for f in failures:
            if f.gate == kind and f.scorer == scorer:
                ET.SubElement(case, "failure", message=f.message)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


# ------------------------------------------------------------------------------ report


def _fmt(x: float | None, sign: bool = False) -> str:
    if x is None:
        return "-"
    return f"{x:+.4f}" if sign else f"{x:.4f}"


def _short(value: Any, width: int = 70) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def rows(r: EvalResult) -> list[list[str]]:
    """One row per scorer: name, mean, baseline mean, diff with CI, improved/regressed."""
    out = []
    for name, s in r.summary.items():
        c = r.scorer_comparison(name)
        base = diff = moved = "-"
        if c is not None:
            base = _fmt(c.baseline_mean)
            if c.diff is not None:
                diff = f"{_fmt(c.diff, True)} [{_fmt(c.ci_low, True)}, {_fmt(c.ci_high, True)}]"
            moved = f"{c.improved}↑ {c.regressed}↓"
        out.append([name, _fmt(s.mean), base, diff, moved, str(s.errors)])
    for name, score in r.summary_scores.items():
        c = r.summary_comparison(name)
        low, high = score.metadata.get("ci_low"), score.metadata.get("ci_high")
        value = _fmt(score.value)
        if isinstance(low, int | float) and isinstance(high, int | float):
            value += f" [{low:.2f}, {high:.2f}]"
        base = _fmt(c.baseline_mean) if c is not None else "-"
        diff = _fmt(c.diff, True) if c is not None and c.diff is not None else "-"
        failed = "1" if "error" in score.metadata else "0"
        out.append([f"{name} (run)", value, base, diff, "-", failed])
    return out


def regressions(r: EvalResult) -> list[tuple[float, str, str]]:
    """The cases that regressed most: (worst score diff, scorer, input)."""
    found = []
    for case in r.comparison.cases if r.comparison else []:
        if case.status != "regressed":
            continue
        worst = min(
            ((d.diff, n) for n, d in case.scores.items() if d.diff is not None), default=None
        )
        if worst is not None:
            found.append((worst[0], worst[1], _short(case.input)))
    return sorted(found)[:TOP_REGRESSIONS]


def print_report(results: list[EvalResult], failures: list[GateFailure], errors: list[str]) -> None:
    """Print the report: with rich when it is installed, else plain text."""
    head = ["scorer", "mean", "baseline", "diff [95% CI]", "cases", "errors"]
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        Console = None  # type: ignore[assignment,misc]
    for r in results:
        where = r.url or (str(r.local_file) if r.local_file else "")
        base = f" vs {r.comparison.baseline}" if r.comparison else " (no baseline)"
        title = (
            f"{r.experiment_name}{base}: {len(r.cases)} cases, {r.error_count} errors, "
            f"{r.duration_s:.1f}s, {r.status}  {where}"
        )
        if Console is not None:
            table = Table(*head, title=title, title_justify="left")
            for row in rows(r):
                table.add_row(*row)
            Console().print(table)
        else:
            print(title)
            for row in [head, *rows(r)]:
                print("  " + "  ".join(f"{c:<14}" for c in row))
        worst = regressions(r)
        if worst:
            print("top regressions:")
            for diff, scorer, text in worst:
                print(f"  {scorer} {diff:+.3f}  {text}")
    for e in errors:
        print(f"assay: error in eval file {e}", file=sys.stderr)
    for f in failures:
        print(f"FAILED {f.message}", file=sys.stderr)
    if not failures and not errors:
        print("all gates passed" if results else "no experiments ran")
