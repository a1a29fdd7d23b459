"""``EvalStore``: the dataset, experiment, score and judge methods of :class:`SqlStore`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from assay.errors import NotFoundError, UsageError
from assay.schema import (
    CasePage,
    Comparison,
    Dataset,
    DatasetRecord,
    DatasetRecordIn,
    DatasetVersion,
    Experiment,
    ExperimentCase,
    ExperimentIn,
    Judge,
    JudgeIn,
    JudgeVersion,
    RecordPage,
    Score,
    ScoreIn,
    SummaryScore,
)
from assay.store.base import PairQuery, RecordQuery, RecordWrite, ScorePair
from assay.store.sql import compare as comparing
from assay.store.sql import datasets, experiments, judges, scores
from assay.store.sql import engine as engines
from assay.store.sql.bodies import loads_or
from assay.store.sql.dialect import Dialect


class EvalStore:
    """Datasets, experiments, scores and judges; mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    inline_limit: int
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

    # ---------------------------------------------------------------------- datasets
    def create_dataset(
        self, project_id: str, name: str, *, description: str | None = None
    ) -> Dataset | None:
        """Create dataset ``name`` at version 0; None when the project already has one."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = datasets.create(conn, self.dialect, project_id, name, description)
            return None if row is None else datasets.to_model(row, project)

    def list_datasets(self, project_id: str) -> list[Dataset]:
        """Every dataset of the project, by name."""
        with engines.reading(self.engine) as conn:
            return datasets.list_all(conn, project_id, self._project_name(conn, project_id))

    def get_dataset(self, project_id: str, name: str) -> Dataset | None:
        """Dataset ``name`` with its latest version, or None."""
        with engines.reading(self.engine) as conn:
            row = datasets.find(conn, project_id, name)
            return (
                None
                if row is None
                else datasets.to_model(row, self._project_name(conn, project_id))
            )

    def write_dataset_records(
        self, project_id: str, dataset: str, records: Sequence[DatasetRecordIn]
    ) -> RecordWrite:
        """Insert records (an existing id is replaced) as one new version."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            ds = datasets.require(conn, project_id, project, dataset, lock=True)
            version, ids = datasets.write_records(
                conn, self.dialect, ds, records, inline_limit=self.inline_limit
            )
            return RecordWrite(version=version, ids=ids)

    def update_dataset_record(
        self, project_id: str, dataset: str, record_id: str, changes: dict[str, Any]
    ) -> DatasetRecord:
        """Change some of ``input``, ``expected``, ``metadata``, ``tags`` (one new version)."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            ds = datasets.require(conn, project_id, project, dataset, lock=True)
            return datasets.update_record(
                conn, self.dialect, ds, record_id, changes,
                project=project, inline_limit=self.inline_limit,
            )  # fmt: skip

    def delete_dataset_record(self, project_id: str, dataset: str, record_id: str) -> int:
        """Delete a record from the next version; returns that version."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            ds = datasets.require(conn, project_id, project, dataset, lock=True)
            return datasets.delete_record(conn, ds, record_id, project=project)

    def list_dataset_records(self, project_id: str, dataset: str, query: RecordQuery) -> RecordPage:
        """A page of records as they were at a version, in insertion order."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            ds = datasets.require(conn, project_id, project, dataset)
            return datasets.list_records(conn, ds, query, project=project)

    def add_dataset_records_from_spans(
        self, project_id: str, dataset: str, spans: Sequence[tuple[str, str]]
    ) -> RecordWrite:
        """One record per span (input → input, output → expected, source: the span)."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            ds = datasets.require(conn, project_id, project, dataset, lock=True)
            records = datasets.records_of_spans(conn, project_id, project, spans)
            if not records:
                return RecordWrite(version=ds["version"], ids=[])
            version, ids = datasets.write_records(
                conn, self.dialect, ds, records, inline_limit=self.inline_limit
            )
            return RecordWrite(version=version, ids=ids)

    def list_dataset_versions(self, project_id: str, dataset: str) -> list[DatasetVersion]:
        """Every version of a dataset, oldest first."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            return datasets.list_versions(
                conn, datasets.require(conn, project_id, project, dataset)
            )

    # ------------------------------------------------------------------- experiments
    def create_experiment(self, project_id: str, experiment: ExperimentIn) -> Experiment:
        """Create a running experiment; a taken name gets a ``-2``, ``-3``, … suffix."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            version = None
            if experiment.dataset is not None:
                version = experiment.dataset.version
                if version is None:
                    found = datasets.find(conn, project_id, experiment.dataset.name)
                    version = None if found is None else found["version"]
            row = experiments.create(
                conn, self.dialect, project_id, experiment, dataset_version=version
            )
            return experiments.to_model(row, project, [])

    def list_experiments(self, project_id: str) -> list[Experiment]:
        """Every experiment of the project with its summary, newest first."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            return [
                experiments.to_model(row, project, experiments.light_cases(conn, row))
                for row in experiments.list_rows(conn, project_id)
            ]

    def get_experiment(self, project_id: str, name: str) -> Experiment | None:
        """Experiment ``name`` with its summary, or None."""
        with engines.reading(self.engine) as conn:
            row = experiments.find(conn, project_id, name)
            if row is None:
                return None
            project = self._project_name(conn, project_id)
            return experiments.to_model(row, project, experiments.light_cases(conn, row))

    def add_experiment_cases(
        self, project_id: str, experiment: str, cases: Sequence[ExperimentCase]
    ) -> int:
        """Store cases (idempotent per case_id and trial) and their scores; returns new ones."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = experiments.require(conn, project_id, project, experiment)
            return experiments.add_cases(
                conn, self.dialect, row, cases, inline_limit=self.inline_limit
            )

    def finish_experiment(
        self,
        project_id: str,
        experiment: str,
        *,
        status: str,
        ended_at: int | None = None,
        summary_scores: Mapping[str, SummaryScore] | None = None,
    ) -> Experiment:
        """Mark an experiment finished or interrupted, with its summary scores."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = experiments.require(conn, project_id, project, experiment)
            experiments.finish(
                conn, row, status=status, ended_at=ended_at, summary_scores=summary_scores
            )
            row = experiments.require(conn, project_id, project, experiment)
            return experiments.to_model(row, project, experiments.light_cases(conn, row))

    def finish_running_experiment(self, project_id: str, experiment: str, *, status: str) -> bool:
        """End the experiment only if it is still running; False when it ended meanwhile."""
        with engines.writing(self.engine) as conn:
            return experiments.finish_if_running(conn, project_id, experiment, status=status)

    def list_experiment_cases(
        self, project_id: str, experiment: str, *, limit: int = 100, cursor: str | None = None
    ) -> CasePage:
        """A page of an experiment's cases by (case_id, trial)."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = experiments.require(conn, project_id, project, experiment)
            return experiments.page_cases(conn, row, limit=limit, cursor=cursor)

    def compare_experiments(
        self, project_id: str, experiment: str, *, baseline: str | None = None, cases: bool = True
    ) -> Comparison:
        """The experiment against its baseline (explicit, else the latest earlier one)."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = experiments.require(conn, project_id, project, experiment)
            name = baseline or row["baseline"]
            if name is not None:
                base = experiments.require(conn, project_id, project, name)
            else:
                found = experiments.default_baseline(conn, row)
                if found is None:
                    on = f"dataset {row['dataset_name']!r}" if row["dataset_name"] else "no dataset"
                    raise NotFoundError(
                        f"Experiment {experiment!r} has no baseline: it names none and no "
                        f"earlier experiment of project {project!r} ran on {on}. Pass "
                        "?baseline=NAME to compare with a particular experiment."
                    )
                base = found
            read = experiments.full_cases if cases else experiments.scored_cases
            mine = read(conn, row)
            theirs = read(conn, base)
            record_of = {c.case_id: c.dataset_record_id for c in mine if c.dataset_record_id}
            sources = (
                datasets.record_sources(
                    conn, project_id, row["dataset_name"], list(record_of.values())
                )
                if cases
                else {}
            )
        comparison = comparing.compare(
            row["name"],
            base["name"],
            mine,
            theirs,
            summary=(loads_or(row["summary_scores"], {}), loads_or(base["summary_scores"], {})),
            with_cases=cases,
        )
        if sources:
            for diff in comparison.cases:
                diff.source = sources.get(record_of.get(diff.case_id, ""))
        return comparison

    # ------------------------------------------------------------------------ scores
    def record_scores(self, project_id: str, items: Sequence[ScoreIn]) -> list[str]:
        """Store scores; returns their new ids in order."""
        rows = [scores.row_of(project_id, s) for s in items]
        with engines.writing(self.engine) as conn:
            self._project_name(conn, project_id)
            scores.insert(conn, rows)
        return [r["id"] for r in rows]

    def list_trace_scores(self, project_id: str, trace_id: str) -> list[Score]:
        """The current (not superseded) scores of a trace, oldest first."""
        with engines.reading(self.engine) as conn:
            self._project_name(conn, project_id)
            return scores.of_trace(conn, project_id, trace_id)

    # ------------------------------------------------------------------------ judges
    def save_judge(self, project_id: str, judge: JudgeIn) -> Judge:
        """Create a judge, or add a version when its definition changed (``created`` says)."""
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            return judges.save(conn, self.dialect, project_id, project, judge)

    def list_judges(self, project_id: str) -> list[Judge]:
        """Every judge of the project at its latest version, by name."""
        with engines.reading(self.engine) as conn:
            return judges.list_all(conn, project_id, self._project_name(conn, project_id))

    def get_judge(self, project_id: str, name: str, *, version: int | None = None) -> Judge | None:
        """Judge ``name`` at ``version`` (latest when None), or None when there is no judge."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = judges.find(conn, project_id, name)
            if row is None:
                return None
            wanted = row["version"] if version is None else version
            return judges.to_model(
                row, judges.version_row(conn, row, wanted, project=project), project
            )

    def list_judge_versions(self, project_id: str, name: str) -> list[JudgeVersion]:
        """Every version of a judge, oldest first."""
        with engines.reading(self.engine) as conn:
            project = self._project_name(conn, project_id)
            return judges.list_versions(conn, judges.require(conn, project_id, project, name))

    def update_judge(self, project_id: str, name: str, changes: dict[str, Any]) -> Judge:
        """Change some of description, score_name, threshold, threshold_metric."""
        unknown = set(changes) - set(judges.JUDGE_FIELDS)
        if unknown:
            raise UsageError(
                f"update_judge cannot change {sorted(unknown)}; only {list(judges.JUDGE_FIELDS)} "
                "(a new definition is a new version: save_judge)"
            )
        with engines.writing(self.engine) as conn:
            project = self._project_name(conn, project_id)
            row = judges.require(conn, project_id, project, name, lock=True)
            if changes:
                row = judges.update(conn, row, changes)
            latest = judges.version_row(conn, row, row["version"], project=project)
            return judges.to_model(row, latest, project)

    def judge_score_pairs(self, project_id: str, query: PairQuery) -> list[ScorePair]:
        """Judge scores paired with human scores on the same (trace_id, span_id)."""
        with engines.reading(self.engine) as conn:
            self._project_name(conn, project_id)
            return judges.pairs(conn, project_id, query)
