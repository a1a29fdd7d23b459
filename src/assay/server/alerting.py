"""Alert evaluation: an alert's value now, whether it crosses, its next state, and its link.

The state machine, evaluated every ``alert_interval`` seconds for each enabled alert:

```
no_data ──data, not crossing──► ok ◄──not crossing (event "resolved")── firing
   │                             │                                        ▲
   └────────crossing (event "firing")──────────crossing (event "firing")──┘
```

No data (no trace, no score or no judged pair in the window) keeps the state and records a
value of None; ``no_data`` is only the state of an alert that never had data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from assay.errors import NotFoundError
from assay.schema import Alert, TraceListFilter
from assay.schema.online import AlertState
from assay.server.agreement import AgreementOptions, judge_agreement
from assay.server.trace_filter import trace_query
from assay.store.alerts import EventKind, ProjectAlert
from assay.store.base import PairQuery, Store
from assay.store.shapes import NewJob, TraceQuery

DEFAULT_AGREEMENT_METRIC = "cohen_kappa"
NOTIFY_KIND = "notify"
#: How each metric's traces are best looked at in the traces page.
_SORT = {"p95_latency_ms": "-duration", "cost_per_hour": "-cost"}


@dataclass(frozen=True, slots=True)
class Step:
    """What an evaluation does: the state to move to (None: stay) and the event it makes."""

    to_state: AlertState | None
    event: EventKind | None = None


def crosses(alert: Alert, value: float) -> bool:
    """Whether ``value`` is on the wrong side of the threshold (above: >, below: <)."""
    if alert.operator == "above":
        return value > alert.threshold
    return value < alert.threshold


def next_step(state: AlertState, value: float | None, crossing: bool) -> Step:
    """The transition from ``state`` for an evaluation that found ``value``."""
    if value is None:
        return Step(None)
    if crossing:
        return Step(None) if state == "firing" else Step("firing", "firing")
    if state == "firing":
        return Step("ok", "resolved")
    return Step("ok") if state == "no_data" else Step(None)


def alert_traces(alert: Alert) -> TraceQuery | None:
    """The alert's ``trace_filter`` as a trace query (None when it filters nothing)."""
    if not alert.trace_filter:
        return None
    return trace_query(TraceListFilter.model_validate(alert.trace_filter))


def series_value(store: Store, project_id: str, alert: Alert, *, now: int) -> float | None:
    """The value of the alert's series over the window ending at ``now`` (µs); None: no data."""
    if alert.metric == "judge_agreement":
        return agreement_value(store, project_id, alert, now=now)
    return store.alert_value(project_id, alert, now=now, traces=alert_traces(alert))


def agreement_value(store: Store, project_id: str, alert: Alert, *, now: int) -> float | None:
    """The judge's agreement statistic over the pairs it judged in the window."""
    try:
        judge = store.get_judge(project_id, alert.judge or "")
    except NotFoundError:
        judge = None
    if judge is None:
        return None
    query = PairQuery(
        judge=judge.name,
        score_name=judge.score_name,
        human=judge.score_name,
        since=now - alert.window_seconds * 1_000_000,
        until=now,
    )
    pairs = store.judge_score_pairs(project_id, query)
    if not pairs:
        return None
    options = AgreementOptions(limit=0, n_boot=0)
    found = judge_agreement(
        judge, pairs, all_versions=True, human=judge.score_name, options=options
    )
    figure = found.metrics.get(alert.agreement_metric or DEFAULT_AGREEMENT_METRIC)
    return None if figure is None else figure.value


def iso(micros: int) -> str:
    """RFC 3339 text (UTC, ``Z``) of a time in microseconds."""
    moment = datetime.fromtimestamp(micros / 1_000_000, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _filter_params(trace_filter: dict[str, object]) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    for key, value in trace_filter.items():
        if key in ("start_from", "start_to", "experiment_id") or value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            params.append((key, str(item)))
    return params


def traces_link(alert: Alert, *, public_url: str, now: int) -> str:
    """The web UI's traces page showing the alert's window, filtered as the alert counts.

    error_rate shows the error traces, score_mean the traces whose mean score crosses the
    threshold, p95_latency_ms the slowest first, cost_per_hour the dearest first.
    """
    start = now - alert.window_seconds * 1_000_000
    params = [("start_from", iso(start)), ("start_to", iso(now))]
    params += _filter_params(alert.trace_filter)
    if alert.metric == "error_rate":
        params = [p for p in params if p[0] != "status"] + [("status", "error")]
    if alert.metric == "score_mean" and alert.score_name:
        score_keys = ("score_name", "score_below", "score_above")
        params = [p for p in params if p[0] not in score_keys]
        bound = "score_above" if alert.operator == "above" else "score_below"
        params += [("score_name", alert.score_name), (bound, f"{alert.threshold:g}")]
    if alert.metric in _SORT:
        params.append(("sort", _SORT[alert.metric]))
    base = public_url.rstrip("/")
    return f"{base}/projects/{quote(alert.project, safe='')}/traces?{urlencode(params)}"


def evaluate(store: Store, item: ProjectAlert, *, now: int, public_url: str) -> str:
    """Evaluate one alert at ``now`` and apply what follows (blocking: store calls).

    Returns:
        What happened: ``firing``, ``resolved``, ``ok`` (first data), ``unchanged``, or
        ``raced`` when another evaluator moved the alert first.
    """
    alert, project_id = item.alert, item.project_id
    value = series_value(store, project_id, alert, now=now)
    step = next_step(alert.state, value, value is not None and crosses(alert, value))
    if step.to_state is None:
        store.record_alert_value(project_id, alert.id, value=value, evaluated_at=now)
        return "unchanged"
    notify = NewJob(kind=NOTIFY_KIND, payload={"project_id": project_id}, project_id=project_id)
    done = store.transition_alert(
        project_id,
        alert.id,
        from_state=alert.state,
        to_state=step.to_state,
        value=value,
        evaluated_at=now,
        event=step.event,
        link=traces_link(alert, public_url=public_url, now=now) if step.event else "",
        notify=notify,
    )
    if not done.applied:
        return "raced"
    return step.event or step.to_state
