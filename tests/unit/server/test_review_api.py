"""Review endpoints: score configs, human scores that follow them, queues, reviews, agreement."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.unit.server.helpers import NOW, native_span, new_trace_id

P = "/api/v1/projects/bot"
C = P + "/score-configs"
Q = P + "/queues"
TONE = {"name": "tone", "kind": "categorical", "description": "How it sounds", "categories": [
    {"label": "polite", "value": 1, "description": "Kind and clear"},
    {"label": "rude", "value": 0, "description": "Curt or insulting"},
]}  # fmt: skip
STARS = {"name": "stars", "kind": "numeric", "min": 1, "max": 5, "step": 1}


def _traces(client: TestClient, count: int, **fields: Any) -> list[str]:
    ids = [new_trace_id() for _ in range(count)]
    spans = [
        native_span(
            trace_id=t, name=f"chat-{n}", start_time=NOW + n, end_time=NOW + n + 0.5, **fields
        )
        for n, t in enumerate(ids)
    ]  # trace n starts n seconds after the first
    assert client.post("/api/v1/spans", json={"project": "bot", "spans": spans}).status_code == 200
    return ids


def _setup(client: TestClient, **queue: Any) -> None:
    for config in (TONE, STARS):
        assert client.post(C, json=config).status_code == 201
    body = {"name": "support", "score_configs": ["tone", "stars"], **queue}
    made = client.post(Q, json=body)
    assert made.status_code == 201, made.text


def _error(response: Any) -> str:
    return str(response.json()["error"]["message"])


def test_score_configs_are_created_read_and_changed(client: TestClient) -> None:
    made = client.post(C, json=TONE)
    assert made.status_code == 201
    got = made.json()
    assert (got["kind"], got["archived"], got["categories"][0]["description"]) == (
        "categorical", False, "Kind and clear",
    )  # fmt: skip
    assert client.post(C, json=TONE).status_code == 409
    one = client.post(
        C, json={"name": "x", "kind": "categorical", "categories": [TONE["categories"][0]]}
    )  # type: ignore[index]
    assert one.status_code == 422 and "at least 2 categories" in _error(one) + one.text
    flat = client.post(C, json={"name": "x", "kind": "numeric", "min": 3, "max": 3})
    assert flat.status_code == 422 and "needs min < max" in flat.text
    assert client.post(C, json=STARS).status_code == 201
    kind = client.patch(C + "/stars", json={"kind": "boolean"})
    assert kind.status_code == 422
    assert "is numeric; its kind cannot change to 'boolean'" in _error(kind)
    wider = client.patch(C + "/stars", json={"max": 10, "description": "1 to 10"})
    assert (wider.json()["max"], wider.json()["description"]) == (10, "1 to 10")
    bad = client.patch(C + "/stars", json={"min": 20})
    assert bad.status_code == 422 and "needs min < max; got min=20.0, max=10.0" in _error(bad)
    client.patch(C + "/stars", json={"archived": True})
    assert [c["name"] for c in client.get(C).json()] == ["tone"]
    every = client.get(C, params={"include_archived": "true"}).json()
    assert [(c["name"], c["archived"]) for c in every] == [("stars", True), ("tone", False)]
    missing = client.get(C + "/nope")
    assert missing.status_code == 404 and "'nope' does not exist" in _error(missing)


def test_human_scores_follow_their_config(client: TestClient) -> None:
    (trace,) = _traces(client, 1)
    for config in (
        TONE,
        STARS,
        {"name": "ok", "kind": "boolean"},
        {"name": "note", "kind": "text"},
    ):
        assert client.post(C, json=config).status_code == 201

    def human(name: str, **fields: Any) -> dict[str, Any]:
        return {"trace_id": trace, "name": name, "source": "human", "author": "ann", **fields}

    sent = client.post(P + "/scores", json={"scores": [
        human("stars", value=4),
        human("stars", value=6),
        human("stars", value=2.5),
        human("tone", label="rude", value=0.7),
        human("tone", label="meh"),
        human("ok", value=1),
        human("ok", label="false"),
        human("note", rationale="Too long for a chat answer"),
        human("note", value=0.5, rationale="x"),
        {"trace_id": trace, "name": "stars", "value": 4},  # not human: the usual [0, 1]
        human("helpful", value=0.5),  # no config: as before
    ]}).json()  # fmt: skip
    assert sent["accepted"] == 6
    rejected = {r["index"]: (r["field"], r["reason"]) for r in sent["rejected"]}
    assert rejected[1] == ("scores.1.value", "is 6, outside [1, 5] of score config 'stars'")
    assert "not on the steps of 1 from 1" in rejected[2][1]
    assert rejected[4] == (
        "scores.4.label", "is 'meh'; score config 'tone' takes one of ['polite', 'rude']",
    )  # fmt: skip
    assert rejected[8][0] == "scores.8.value" and "send the text as rationale" in rejected[8][1]
    assert rejected[9][0] == "scores.9.value"
    stored = client.get(P + f"/traces/{trace}/scores").json()
    assert [(s["name"], s["value"], s["label"]) for s in stored] == [
        ("stars", 4.0, None), ("tone", 0.0, "rude"), ("ok", 1.0, "true"), ("ok", 0.0, "false"),
        ("note", None, None), ("helpful", 0.5, None),
    ]  # fmt: skip
    none = client.post(P + "/scores", json={"scores": [human("stars", value=9)]})
    assert none.status_code == 422 and "All 1 scores were rejected" in _error(none)


def test_queue_items_by_hand_and_from_a_filter(client: TestClient) -> None:
    tagged = _traces(client, 3, tags=["escalated"])
    plain = _traces(client, 2)
    missing = client.post(Q, json={"name": "support", "score_configs": ["tone"]})
    assert missing.status_code == 422 and "'tone' is not a score config" in _error(missing)
    _setup(client)
    items = P + "/queues/support/items"
    by_hand = [{"trace_id": plain[0]}, {"trace_id": plain[0]}, {"trace_id": plain[0],
               "span_id": None}]  # fmt: skip
    assert client.post(items, json={"items": by_hand}).json() == {"added": 1, "duplicates": 2}
    bad = client.post(items, json={"items": [{"trace_id": "xyz"}]})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == (
        "body.items.0.trace_id"
    )
    both = client.post(items, json={"items": [], "filter": {}})
    assert both.status_code == 422
    escalated = {"filter": {"tag": ["escalated"]}}
    assert client.post(items, json=escalated).json() == {"added": 3, "duplicates": 0}
    assert client.post(items, json={"filter": {}}).json() == {"added": 1, "duplicates": 4}
    assert client.post(items, json={"filter": {}, "sample": 2}).json()["added"] == 0
    page = client.get(items, params={"limit": 3}).json()
    assert [i["trace_id"] for i in page["items"]] == [plain[0], *tagged[::-1][:2]]
    rest = client.get(items, params={"cursor": page["next_cursor"]}).json()
    assert [i["trace_id"] for i in rest["items"]] == [tagged[0], plain[1]]
    assert rest["items"][0]["trace_name"] == "chat-0" and rest["next_cursor"] is None
    score_only = client.post(items, json={"filter": {"score_below": 0.5}})
    assert score_only.status_code == 422 and "need score_name" in score_only.text
    queue = client.get(Q + "/support").json()
    assert queue["progress"] == {
        "items": 5, "completed": 0, "reviews": 0, "in_progress": 0, "by_reviewer": {},
    }  # fmt: skip


def test_reviewing_holds_scores_skips_and_replaces(client: TestClient) -> None:
    traces = _traces(client, 3)
    _setup(client, assignees=["ann", "bob"])
    client.post(Q + "/support/items", json={"items": [{"trace_id": t} for t in traces]})
    ann = client.post(Q + "/support/next", json={"reviewer": "ann", "count": 2}).json()
    first, second = ann["items"]
    assert ann["progress"]["in_progress"] == 2
    bob = client.post(Q + "/support/next", json={"reviewer": "bob", "count": 5}).json()
    assert [i["trace_id"] for i in bob["items"]] == [traces[2]]
    stranger = client.post(Q + "/support/next", json={"reviewer": "eve"})
    assert stranger.status_code == 403 and "not assigned to queue 'support'" in _error(stranger)
    review_url = Q + f"/support/items/{first['id']}/reviews"
    wrong = client.post(review_url, json={"reviewer": "ann", "scores": {"tone": "meh", "x": 1}})
    assert wrong.status_code == 422
    fields = [d["field"] for d in wrong.json()["error"]["details"]]
    assert fields == ["body.scores.tone", "body.scores.x"]
    body = {"reviewer": "ann", "scores": {"tone": "rude", "stars": 2}, "comment": "Curt reply",
            "corrected_output": "Happy to help!"}  # fmt: skip
    made = client.post(review_url, json=body)
    assert made.status_code == 201
    review = made.json()
    assert (review["scores"], review["corrected_output"]) == ({"tone": "rude", "stars": 2.0},
                                                               "Happy to help!")  # fmt: skip
    scores = client.get(P + f"/traces/{first['trace_id']}/scores").json()
    assert {(s["name"], s["value"], s["label"]) for s in scores} == {
        ("tone", 0.0, "rude"), ("stars", 2.0, None),
    }  # fmt: skip
    assert {(s["source"], s["author"], s["rationale"], s["review_id"]) for s in scores} == {
        ("human", "ann", "Curt reply", review["id"]),
    }  # fmt: skip
    assert scores[0]["metadata"] == {"queue": "support"}
    again = client.post(review_url, json={"reviewer": "ann", "scores": {"tone": "polite"}}).json()
    replaced = client.get(P + f"/traces/{first['trace_id']}/scores").json()
    assert [(s["name"], s["label"], s["review_id"]) for s in replaced] == [
        ("tone", "polite", again["id"]),
    ]  # fmt: skip
    skip = client.post(Q + f"/support/items/{second['id']}/skip", json={"reviewer": "ann"})
    assert skip.status_code == 204
    after = client.post(Q + "/support/next", json={"reviewer": "ann", "count": 5}).json()
    assert after["items"] == []  # reviewed, skipped, and the third is bob's
    bobs = client.post(Q + "/support/next", json={"reviewer": "bob", "count": 5}).json()
    assert [i["id"] for i in bobs["items"]] == [second["id"], bob["items"][0]["id"]]
    progress = client.get(Q + "/support").json()["progress"]
    assert (progress["completed"], progress["reviews"], progress["by_reviewer"]) == (
        1, 1, {"ann": 1},
    )  # fmt: skip
    listed = client.get(Q + "/support/reviews", params={"reviewer": "ann"}).json()
    assert [r["id"] for r in listed] == [again["id"]]
    ghost = client.post(Q + "/support/items/nope/skip", json={"reviewer": "ann"})
    assert ghost.status_code == 404 and "has no item 'nope'" in _error(ghost)


def test_queue_agreement_between_reviewers(client: TestClient) -> None:
    traces = _traces(client, 4)
    _setup(client, reviews_per_item=2)
    client.post(Q + "/support/items", json={"items": [{"trace_id": t} for t in traces]})
    answers = {
        "ann": [("polite", 4), ("rude", 2), ("polite", 5), ("polite", None)],
        "bob": [("polite", 5), ("rude", 2), ("rude", 5), ("polite", None)],
    }
    for reviewer, given in answers.items():
        items = client.post(Q + "/support/next", json={"reviewer": reviewer, "count": 5}).json()
        assert len(items["items"]) == 4
        for item, (tone, stars) in zip(items["items"], given, strict=True):
            scores: dict[str, Any] = {"tone": tone} | ({} if stars is None else {"stars": stars})
            url = Q + f"/support/items/{item['id']}/reviews"
            assert (
                client.post(url, json={"reviewer": reviewer, "scores": scores}).status_code == 201
            )
    assert client.get(Q + "/support").json()["progress"]["completed"] == 4
    tone, stars = client.get(Q + "/support/agreement").json()
    # nominal: N = 8 values (5 polite, 3 rude), one item split: 1 - 7 * 2 / (64 - 25 - 9)
    assert (tone["config"], tone["kind"], tone["items"]) == ("tone", "categorical", 4)
    assert tone["alpha"] == pytest.approx(1 - 14 / 30)
    assert tone["ci_low"] <= tone["alpha"] <= tone["ci_high"]
    assert [d["trace_id"] for d in tone["disagreements"]] == [traces[2]]
    assert tone["disagreements"][0]["values"] == {"ann": "polite", "bob": "rude"}
    # interval over 3 items: values 4,5 | 2,2 | 5,5; 1 - 5 * 2 / (2 * (6 * 99 - 23 ** 2))
    assert stars["items"] == 3 and stars["alpha"] == pytest.approx(1 - 10 / 130)
    assert [d["values"] for d in stars["disagreements"]] == [{"ann": 4.0, "bob": 5.0}]
    assert any("only 3 item(s)" in w for w in stars["warnings"])
