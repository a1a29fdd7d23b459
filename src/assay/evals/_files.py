"""Records from ``.jsonl`` and ``.csv`` files, with bad rows reported by line number.

A record is a dict with ``input`` (required) and optionally ``expected``, ``metadata`` (dict),
``tags`` (list), ``id`` and ``source``. In CSV files ``metadata``, ``tags`` and ``source`` cells
hold JSON; ``input`` and ``expected`` cells are text, or JSON when they start with ``{`` or
``[``; other columns go into ``metadata``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.errors import UsageError

FIELDS = ("id", "input", "expected", "metadata", "tags", "source")


@dataclass(slots=True)
class FileRecords:
    """The valid records of a file and the problems of the others.

    Attributes:
        records: Valid records, in file order.
        lines: The line number of each valid record.
        errors: ``"line N: what is wrong"`` for every row that was left out.
    """

    records: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def check_record(row: Any) -> str | None:
    """Why ``row`` is not a valid record, or None when it is."""
    if not isinstance(row, dict):
        return f"a record must be a JSON object, got {type(row).__name__}"
    if "input" not in row:
        return f"the record has no 'input' (keys: {sorted(row)})"
    if not isinstance(row.get("metadata") or {}, dict):
        return f"'metadata' must be an object, got {row['metadata']!r:.60}"
    tags = row.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return f"'tags' must be a list of strings, got {tags!r:.60}"
    if row.get("id") is not None and not isinstance(row["id"], str | int):
        return f"'id' must be a string, got {row['id']!r:.60}"
    return None


def read_records(path: str | Path) -> FileRecords:
    """Read a ``.jsonl`` or ``.csv`` file of records.

    Raises:
        UsageError: The file does not exist or has another extension.
    """
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{str(p)!r} is not a file; pass a .jsonl or .csv file of records")
    suffix = p.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(p)
    if suffix == ".csv":
        return _read_csv(p)
    raise UsageError(f"{str(p)!r} has the extension {suffix!r}; use .jsonl or .csv")


def _keep(out: FileRecords, row: Any, line: int) -> None:
    problem = check_record(row)
    if problem is not None:
        out.errors.append(f"line {line}: {problem}")
        return
    if row.get("id") is not None:
        row["id"] = str(row["id"])
    out.records.append(row)
    out.lines.append(line)


def _read_jsonl(path: Path) -> FileRecords:
    out = FileRecords()
    with path.open(encoding="utf-8") as fh:
        for line, text in enumerate(fh, 1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as exc:
                out.errors.append(f"line {line}: not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            _keep(out, row, line)
    return out


def _cell(value: str, *, always_json: bool) -> Any:
    text = value.strip()
    if always_json or text[:1] in ("{", "["):
        return json.loads(text) if text else None
    return value


def _read_csv(path: Path) -> FileRecords:
    out = FileRecords()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or "input" not in reader.fieldnames:
            out.errors.append(f"line 1: the header has no 'input' column ({reader.fieldnames})")
            return out
        for raw in reader:
            line = reader.line_num
            row: dict[str, Any] = {}
            extra: dict[str, Any] = {}
            try:
                for key, value in raw.items():
                    if key is None or value is None:
                        raise ValueError("the row has more cells than the header")
                    if key in FIELDS:
                        if key == "id" and not value:
                            continue
                        json_cell = key in ("metadata", "tags", "source")
                        row[key] = _cell(value, always_json=json_cell)
                    else:
                        extra[key] = value
            except (ValueError, json.JSONDecodeError) as exc:
                out.errors.append(f"line {line}: {exc}")
                continue
            if extra:
                row["metadata"] = {**extra, **(row.get("metadata") or {})}
            _keep(out, row, line)
    return out
