"""The finished cases of a run, kept in bounded memory: :class:`CaseLog`.

A run of 100,000 cases must not hold 100,000 inputs and outputs. The first ``keep`` cases stay
in memory exactly as the runner made them; later ones are written as JSON lines to an anonymous
temporary file and read back only when asked for. What the summary, the gates and the reports
need (scores per scorer, error count) is accumulated as the cases arrive, so beyond ``keep``
a case costs a few dozen bytes of memory whatever the size of its input and output.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Iterator, Sequence
from typing import IO, Any, overload

import orjson

from assay.schema.eval import ExperimentCase
from assay.sdk._util import encode

#: Cases kept in memory as they are; later ones go to the temporary file.
KEEP = 200


class CaseLog(Sequence[ExperimentCase]):
    """Every finished case of a run, in the order they finished; a read-only sequence.

    The first ``keep`` cases are held in memory with their original Python values. Later cases
    are stored as JSON in a temporary file (deleted when the log is garbage collected), so
    reading them back gives JSON values: tuples become lists and objects JSON cannot hold
    become their text. Indexing and iterating build :class:`ExperimentCase` objects on demand.
    """

    def __init__(self, keep: int = KEEP) -> None:
        """Start an empty log.

        Args:
            keep: How many cases to hold in memory before spilling to the temporary file.
        """
        self.keep = keep
        self._kept: list[dict[str, Any] | ExperimentCase] = []
        self._file: IO[bytes] | None = None
        self._offsets = array("q")
        self._end = 0
        self._errors = 0
        self._scores: dict[str, list[float | None]] = {}
        self._score_errors: dict[str, int] = {}

    # ------------------------------------------------------------------ writing
    def append(self, case: dict[str, Any]) -> None:
        """Record one finished case (a dict in the shape of :class:`ExperimentCase`)."""
        if case.get("error") is not None:
            self._errors += 1
        for name, value in (case.get("scores") or {}).items():
            self._scores.setdefault(name, []).append(value)
        for name in case.get("score_errors") or {}:
            self._score_errors[name] = self._score_errors.get(name, 0) + 1
            self._scores.setdefault(name, [])
        if len(self._kept) < self.keep:
            self._kept.append(case)
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="assay-cases-")  # noqa: SIM115
        line = encode(case) + b"\n"
        self._file.seek(self._end)
        self._file.write(line)
        self._offsets.append(self._end)
        self._end += len(line)

    # ------------------------------------------------------------------ what reports need
    @property
    def error_count(self) -> int:
        """Cases whose task failed or timed out."""
        return self._errors

    def score_values(self) -> dict[str, list[float | None]]:
        """Per scorer name, its values over the cases (None where it gave no number)."""
        return self._scores

    def score_error_counts(self) -> dict[str, int]:
        """Per scorer name, how many cases its scorer raised on."""
        return self._score_errors

    # ------------------------------------------------------------------ Sequence
    def __len__(self) -> int:
        return len(self._kept) + len(self._offsets)

    @overload
    def __getitem__(self, index: int) -> ExperimentCase: ...

    @overload
    def __getitem__(self, index: slice) -> list[ExperimentCase]: ...

    def __getitem__(self, index: int | slice) -> ExperimentCase | list[ExperimentCase]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(f"case index {index} is out of range; the run has {size} cases")
        if index < len(self._kept):
            return self._kept_case(index)
        return self._spilled(index - len(self._kept))

    def __iter__(self) -> Iterator[ExperimentCase]:
        for i in range(len(self._kept)):
            yield self._kept_case(i)
        if self._file is None or not self._offsets:
            return
        position = 0
        for _ in range(len(self._offsets)):
            self._file.seek(position)
            line = self._file.readline()
            position += len(line)
            yield ExperimentCase.model_validate(orjson.loads(line))

    def __repr__(self) -> str:
        return f"<CaseLog {len(self)} cases, {len(self._offsets)} on disk>"

    def _kept_case(self, index: int) -> ExperimentCase:
        item = self._kept[index]
        if isinstance(item, ExperimentCase):
            return item
        case = ExperimentCase.model_validate(item)
        self._kept[index] = case
        return case

    def _spilled(self, index: int) -> ExperimentCase:
        assert self._file is not None
        self._file.seek(self._offsets[index])
        return ExperimentCase.model_validate(orjson.loads(self._file.readline()))
