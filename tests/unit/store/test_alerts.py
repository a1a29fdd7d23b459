"""Alerts in the store: definitions, the value of each series, the compare-and-set state change
with its event and notification job, and the event history."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from assay.errors import NotFoundError, UsageError
from assay.schema import Alert, AlertIn, ScoreIn
from assay.store import NewSpan, Store
from assay.store.shapes import JobQuery, NewJob, TraceQuery
from assay.store.sql.decode import to_datetime
from tests.unit.store.conftest import T0, make, trace_id

SEC = 1_000_000
NOW = T0 + 600 * SEC  # every window below ends here


def alert_in(name: str = "errors", **fields: Any) -> AlertIn:
    values: dict[str, Any] = {
        "name": name,
        "metric": "error_rate",
        "operator": "above",
        "threshold": 0.2,
        "window_seconds": 300,
    }
    values.update(fields)
    return AlertIn(**values)


def created(store: Store, pid: str, **fields: Any) -> Alert:
    made = store.create_alert(pid, alert_in(**fields))
    assert made is not None
    return made


def root(n: int, *, at: int, ms: float = 10.0, **fields: Any) -> NewSpan:
    """Root span of trace ``n`` starting ``at`` seconds after T0."""
    return make(n, n, start=at * SEC, duration_ms=ms, **fields)


# ----------------------------------------------------------------------------- definitions
def test_an_alert_is_created_once_per_name_and_starts_without_data(store: Store, pid: str) -> None:
    made = created(store, pid, webhook_url="https://hooks.example/x", webhook_format="slack")
    assert (made.state, made.value, made.evaluated_at) == ("no_data", None, None)
    assert made.project == "demo" and made.webhook_format == "slack"
    assert store.create_alert(pid, alert_in()) is None
    assert store.get_alert(pid, "errors") == made
    assert store.get_alert(pid, "other") is None


def test_alerts_list_by_name_and_keep_their_parameters(store: Store, pid: str) -> None:
    created(
        store,
        pid,
        name="b-quality",
        metric="score_mean",
        score_name="helpful",
        operator="below",
        threshold=0.6,
        trace_filter={"name": "chat"},
    )
    created(store, pid, name="a-errors")
    found = store.list_alerts(pid)
    assert [a.name for a in found] == ["a-errors", "b-quality"]
    assert (found[1].score_name, found[1].trace_filter) == ("helpful", {"name": "chat"})


def test_update_changes_only_the_fields_given(store: Store, pid: str) -> None:
    created(
        store,
        pid,
        name="q",
        metric="score_mean",
        score_name="helpful",
        operator="below",
        threshold=0.6,
        webhook_url="https://hooks.example/x",
    )
    changed = store.update_alert(pid, "q", {"threshold": 0.5, "trace_filter": {"tag": ["vip"]}})
    assert (changed.threshold, changed.trace_filter) == (0.5, {"tag": ["vip"]})
    assert (changed.score_name, changed.webhook_url) == ("helpful", "https://hooks.example/x")
    assert store.update_alert(pid, "q", {"webhook_url": None}).webhook_url is None
    with pytest.raises(UsageError, match="metric"):
        store.update_alert(pid, "q", {"metric": "error_rate"})
    with pytest.raises(NotFoundError, match="'nope'"):
        store.update_alert(pid, "nope", {"threshold": 1.0})


def test_enabled_alerts_cover_every_project_and_skip_disabled_ones(store: Store, pid: str) -> None:
    other = store.ensure_project("other")
    created(store, pid, name="on")
    created(store, pid, name="off", enabled=False)
    created(store, other, name="there")
    found = {(f.project_id, f.alert.name, f.alert.project) for f in store.enabled_alerts()}
    assert found == {(pid, "on", "demo"), (other, "there", "other")}


# ----------------------------------------------------------------------------- values
@pytest.fixture
def traffic(store: Store, pid: str) -> str:
    """Production traces in the window [NOW-300 s, NOW), and some that must not count."""
    spans = [
        root(1, at=400, ms=100, name="chat", metrics={"cost": 0.5}),
        root(2, at=450, ms=200, name="chat", status="error", metrics={"cost": 0.25}),
        root(3, at=500, ms=300, name="search", metrics={"cost": 0.25}),
        root(4, at=599, ms=400, name="search", status="error"),
        root(5, at=200, ms=9000, name="chat", status="error", metrics={"cost": 9.0}),  # before
        root(6, at=600, ms=9000, name="chat", status="error"),  # at NOW: after the window
        root(7, at=450, ms=9000, status="error", experiment_id="exp-1"),  # an experiment
        make(8, 8, start=450 * SEC, duration_ms=None, name="chat"),  # still open
    ]
    store.add_spans(pid, spans)
    return pid


def value_of(store: Store, pid: str, traces: TraceQuery | None = None, **fields: Any) -> Any:
    alert = created(store, pid, name=f"a{len(store.list_alerts(pid))}", **fields)
    return store.alert_value(pid, alert, now=NOW, traces=traces)


def test_error_rate_counts_production_traces_started_in_the_window(
    store: Store, traffic: str
) -> None:
    assert value_of(store, traffic) == pytest.approx(2 / 5)  # 2 errors of 4 finished + 1 open
    chat = value_of(store, traffic, traces=TraceQuery(name="chat"))
    assert chat == pytest.approx(1 / 3)


def test_trace_count_and_cost_per_hour(store: Store, traffic: str) -> None:
    assert value_of(store, traffic, metric="trace_count") == 5.0
    # $1.00 in five minutes is $12 an hour
    assert value_of(store, traffic, metric="cost_per_hour") == pytest.approx(12.0)


def test_p95_latency_interpolates_between_finished_traces(store: Store, traffic: str) -> None:
    # 100, 200, 300, 400 ms: position 0.95 * 3 = 2.85 → 300 + 0.85 * 100
    assert value_of(store, traffic, metric="p95_latency_ms") == pytest.approx(385.0)
    searched = value_of(store, traffic, metric="p95_latency_ms", traces=TraceQuery(name="search"))
    assert searched == pytest.approx(395.0)


def test_an_empty_window_has_no_data_but_zero_traffic(store: Store, pid: str) -> None:
    store.add_spans(pid, [root(1, at=10, status="error")])
    assert value_of(store, pid) is None
    assert value_of(store, pid, metric="p95_latency_ms") is None
    assert value_of(store, pid, metric="trace_count") == 0.0
    assert value_of(store, pid, metric="cost_per_hour") == 0.0


def test_score_mean_averages_current_production_scores_given_in_the_window(
    store: Store, traffic: str
) -> None:
    def score(trace: int, value: float | None, at: int, **kw: Any) -> ScoreIn:
        return ScoreIn(
            trace_id=trace_id(trace),
            name="helpful",
            value=value,
            created_at=to_datetime(T0 + at * SEC),
            **kw,
        )

    store.record_scores(
        traffic,
        [
            score(1, 1.0, 400),
            score(2, 0.5, 500),
            score(3, 0.0, 550),
            score(3, None, 550, label="meh"),  # no value
            score(1, 0.0, 100),  # before the window
            score(1, 0.0, 450, experiment_id="exp-1"),
        ],
    )
    fields = {"metric": "score_mean", "score_name": "helpful", "operator": "below"}
    assert value_of(store, traffic, **fields) == pytest.approx(0.5)
    chat = value_of(store, traffic, traces=TraceQuery(name="chat"), **fields)
    assert chat == pytest.approx(0.75)
    assert value_of(store, traffic, **(fields | {"score_name": "tone"})) is None


def test_judge_agreement_is_not_computed_in_the_store(store: Store, pid: str) -> None:
    alert = created(store, pid, metric="judge_agreement", judge="j", operator="below")
    with pytest.raises(UsageError, match="judge_score_pairs"):
        store.alert_value(pid, alert, now=NOW)


# ----------------------------------------------------------------------------- transitions
def notify_job(pid: str) -> NewJob:
    return NewJob(kind="notify", payload={"project_id": pid}, project_id=pid)


def fire(store: Store, pid: str, alert: Alert, **overrides: Any) -> Any:
    args: dict[str, Any] = {
        "from_state": alert.state,
        "to_state": "firing",
        "value": 0.4,
        "evaluated_at": NOW,
        "event": "firing",
        "link": "http://ui/projects/demo/traces?status=error",
        "notify": notify_job(pid),
    }
    args.update(overrides)
    return store.transition_alert(pid, alert.id, **args)


def test_a_transition_writes_its_event_and_enqueues_the_notification(
    store: Store, pid: str
) -> None:
    alert = created(store, pid, webhook_url="https://hooks.example/x")
    done = fire(store, pid, alert)
    assert done.applied and done.event is not None
    assert (done.event.kind, done.event.value, done.event.threshold) == ("firing", 0.4, 0.2)
    assert (done.event.alert, done.event.delivery) == ("errors", "pending")
    now = store.get_alert(pid, "errors")
    assert now is not None and (now.state, now.value) == ("firing", 0.4)
    assert now.evaluated_at == to_datetime(NOW)
    jobs = store.list_jobs(pid, JobQuery(kind="notify")).items
    assert [j.payload for j in jobs] == [{"project_id": pid, "event_id": done.event.id}]
    assert store.get_alert_event(pid, done.event.id) == done.event


def test_without_a_webhook_the_event_is_kept_and_nothing_is_sent(store: Store, pid: str) -> None:
    done = fire(store, pid, created(store, pid))
    assert done.event is not None and done.event.delivery == "none"
    assert store.list_jobs(pid, JobQuery(kind="notify")).items == []


def test_a_transition_from_a_state_the_alert_left_changes_nothing(store: Store, pid: str) -> None:
    alert = created(store, pid, webhook_url="https://hooks.example/x")
    assert fire(store, pid, alert).applied
    again = fire(store, pid, alert, value=0.9)  # alert.state is still the stale no_data
    assert (again.applied, again.event) == (False, None)
    assert len(store.list_alert_events(pid).items) == 1
    assert len(store.list_jobs(pid, JobQuery(kind="notify")).items) == 1
    assert store.get_alert(pid, "errors").value == 0.4  # type: ignore[union-attr]


def test_two_evaluators_at_once_notify_once(store: Store, pid: str) -> None:
    alert = created(store, pid, webhook_url="https://hooks.example/x")
    start = threading.Barrier(8)
    results: list[bool] = []

    def evaluator() -> None:
        start.wait()
        results.append(fire(store, pid, alert).applied)

    threads = [threading.Thread(target=evaluator) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]
    assert len(store.list_alert_events(pid).items) == 1
    assert len(store.list_jobs(pid, JobQuery(kind="notify")).items) == 1


def test_a_quiet_transition_and_a_recorded_value_write_no_event(store: Store, pid: str) -> None:
    alert = created(store, pid)
    assert fire(store, pid, alert, to_state="ok", event=None, value=0.1).applied
    store.record_alert_value(pid, alert.id, value=None, evaluated_at=NOW + SEC)
    now = store.get_alert(pid, "errors")
    assert now is not None and (now.state, now.value) == ("ok", None)
    assert now.evaluated_at == to_datetime(NOW + SEC)
    assert store.list_alert_events(pid).items == []


# ----------------------------------------------------------------------------- history
def test_events_page_newest_first_per_alert(store: Store, pid: str) -> None:
    a = created(store, pid, name="a")
    b = created(store, pid, name="b")
    for i in range(3):
        state = "firing" if i % 2 == 0 else "ok"
        fire(
            store,
            pid,
            a,
            from_state=store.get_alert(pid, "a").state,  # type: ignore[union-attr]
            to_state=state,
            event="firing" if state == "firing" else "resolved",
            evaluated_at=NOW + i * SEC,
        )
    fire(store, pid, b, evaluated_at=NOW + 10 * SEC)
    first = store.list_alert_events(pid, limit=2)
    assert [(e.alert, e.kind) for e in first.items] == [("b", "firing"), ("a", "firing")]
    assert first.next_cursor is not None
    rest = store.list_alert_events(pid, limit=2, cursor=first.next_cursor)
    assert [(e.alert, e.kind) for e in rest.items] == [("a", "resolved"), ("a", "firing")]
    assert rest.next_cursor is None
    only_b = store.list_alert_events(pid, alert="b")
    assert [e.alert for e in only_b.items] == ["b"]
    with pytest.raises(NotFoundError, match="Alert 'c'"):
        store.list_alert_events(pid, alert="c")
    with pytest.raises(UsageError, match="cursor"):
        store.list_alert_events(pid, cursor="bogus")


def test_delivery_is_recorded_on_the_event(store: Store, pid: str) -> None:
    done = fire(store, pid, created(store, pid, webhook_url="https://hooks.example/x"))
    event_id = done.event.id
    store.set_event_delivery(pid, event_id, "pending", "POST answered 500")
    pending = store.get_alert_event(pid, event_id)
    assert pending is not None and (pending.delivery, pending.delivery_error) == (
        "pending",
        "POST answered 500",
    )
    store.set_event_delivery(pid, event_id, "delivered", None)
    delivered = store.get_alert_event(pid, event_id)
    assert delivered is not None and delivered.delivery == "delivered"
    assert delivered.delivery_error is None and delivered.delivered_at is not None


def test_deleting_an_alert_deletes_its_history(store: Store, pid: str) -> None:
    done = fire(store, pid, created(store, pid))
    assert store.delete_alert(pid, "errors") is True
    assert store.delete_alert(pid, "errors") is False
    assert store.get_alert(pid, "errors") is None
    assert store.get_alert_event(pid, done.event.id) is None
    assert store.list_alert_events(pid).items == []
