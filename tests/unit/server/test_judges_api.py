"""The judge endpoints: create, version, read, change, and the errors people see."""

from __future__ import annotations

import statistics
from typing import Any

from fastapi.testclient import TestClient

P = "/api/v1/projects/bot"
J = P + "/judges"


def _body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "tone",
        "prompt": "Is {output} polite?",
        "choices": {"polite": 1.0, "neutral": 0.5, "rude": 0.0},
        "model": "gpt-4o-mini",
    }
    body.update(fields)
    return body


def test_post_makes_a_version_only_when_the_definition_changes(client: TestClient) -> None:
    first = client.post(J, json=_body(description="politeness", threshold=0.6))
    assert first.status_code == 201
    made = first.json()
    assert (made["version"], made["created"], made["score_name"], made["use_cot"]) == (
        1, True, "tone", True,
    )  # fmt: skip
    assert (made["threshold"], made["threshold_metric"], made["params"]) == (0.6, "cohen_kappa", {})
    same = client.post(J, json=_body())
    assert same.status_code == 200
    assert (same.json()["version"], same.json()["created"]) == (1, False)
    assert same.json()["threshold"] == 0.6  # fields not sent keep their value
    second = client.post(J, json=_body(model="gpt-4o", params={"temperature": 0}))
    assert second.status_code == 201 and second.json()["version"] == 2
    versions = client.get(J + "/tone/versions").json()
    assert [(v["version"], v["model"], v["params"]) for v in versions] == [
        (1, "gpt-4o-mini", {}), (2, "gpt-4o", {"temperature": 0}),
    ]  # fmt: skip
    latest = client.get(J + "/tone").json()
    assert (latest["version"], latest["latest_version"], latest["model"]) == (2, 2, "gpt-4o")
    old = client.get(J + "/tone", params={"version": 1}).json()
    assert (old["version"], old["latest_version"], old["model"]) == (1, 2, "gpt-4o-mini")
    client.post(J, json=_body(name="help", score_name="helpfulness"))
    listed = client.get(J).json()
    assert [(j["name"], j["score_name"], j["version"]) for j in listed] == [
        ("help", "helpfulness", 1), ("tone", "tone", 2),
    ]  # fmt: skip


def test_patch_changes_judge_fields_without_a_version(client: TestClient) -> None:
    client.post(J, json=_body())
    patched = client.patch(J + "/tone", json={"threshold": 0.3, "threshold_metric": "accuracy"})
    assert patched.status_code == 200
    got = patched.json()
    assert (got["threshold"], got["threshold_metric"], got["version"]) == (0.3, "accuracy", 1)
    cleared = client.patch(J + "/tone", json={"threshold": None, "score_name": "politeness"})
    assert (cleared.json()["threshold"], cleared.json()["score_name"]) == (None, "politeness")
    assert [v["version"] for v in client.get(J + "/tone/versions").json()] == [1]


def test_missing_project_judge_and_version_are_404s_naming_them(client: TestClient) -> None:
    assert client.get("/api/v1/projects/ghost/judges").status_code == 404
    client.post(J, json=_body())
    missing = client.get(J + "/nope")
    assert missing.status_code == 404
    assert "Judge 'nope' does not exist in project 'bot'" in missing.json()["error"]["message"]
    version = client.get(J + "/tone", params={"version": 5})
    assert version.status_code == 404
    assert "has versions 1 to 1; version 5 does not exist" in version.json()["error"]["message"]
    assert client.patch(J + "/nope", json={"threshold": 0.5}).status_code == 404
    assert client.get(J + "/nope/versions").status_code == 404
    assert client.get(J + "/nope/agreement").status_code == 404
    bad_version = client.get(J + "/tone/agreement", params={"version": "latest"})
    assert bad_version.status_code == 400
    assert "'latest' is neither a version number" in bad_version.json()["error"]["message"]


def _reason(response: Any) -> str:
    assert response.status_code == 422, response.text
    details = response.json()["error"]["details"]
    return " | ".join(f"{d['field']}: {d['reason']}" for d in details)


def test_invalid_judges_are_422s_that_say_what_to_fix(client: TestClient) -> None:
    one = _reason(client.post(J, json=_body(choices={"yes": 1.0})))
    assert "body.choices" in one and "has 1 choice(s) ['yes']; a judge needs at least 2" in one
    blank = _reason(client.post(J, json=_body(choices={"": 1.0, "no": 0.0})))
    assert "empty label ''" in blank
    high = _reason(client.post(J, json=_body(choices={"yes": 2.0, "no": 0.0})))
    assert "gives 'yes' the value 2.0; values must be in [0, 1]" in high
    assert "body.prompt" in _reason(client.post(J, json=_body(prompt="   ")))
    assert "body.name" in _reason(client.post(J, json=_body(name="x" * 201)))
    assert "body.threshold_metric" in _reason(client.post(J, json=_body(threshold_metric="f1")))
    assert "body.extra" in _reason(client.post(J, json=_body(extra=1)))
    client.post(J, json=_body())
    nothing = client.patch(J + "/tone", json={})
    assert nothing.status_code == 422 and "changes nothing" in nothing.json()["error"]["message"]
    null = client.patch(J + "/tone", json={"score_name": None})
    assert null.status_code == 422 and "score_name cannot be null" in null.text
    assert "body.prompt" in _reason(client.patch(J + "/tone", json={"prompt": "new"}))


def test_scores_carry_judge_version_and_time(client: TestClient) -> None:
    trace = "ab" * 16
    sent = client.post(P + "/scores", json={"scores": [
        {"trace_id": trace, "name": "tone", "label": "rude", "source": "llm_judge",
         "judge": "tone", "judge_version": 2, "created_at": "2026-11-16T08:00:00Z"},
        {"trace_id": trace, "name": "tone", "label": "rude", "judge_version": 2},
        {"trace_id": trace, "name": "tone", "value": 0.0, "source": "human",
         "created_at": 1_700_000_000},
    ]})  # fmt: skip
    body = sent.json()
    assert body["accepted"] == 2 and body["ids"][1] is None
    assert body["rejected"][0]["field"] == "scores.1.judge_version"
    assert "judge is missing" in body["rejected"][0]["reason"]
    got = client.get(f"{P}/traces/{trace}/scores").json()
    assert [(s["judge"], s["judge_version"], s["created_at"]) for s in got] == [
        (None, None, "2023-11-14T22:13:20Z"), ("tone", 2, "2026-11-16T08:00:00Z"),
    ]  # fmt: skip


# ------------------------------------------------------------------------------ agreement
# (judge label, human label) per trace, judged in the week of Monday 2026-11-09 (A) or of
# Monday 2026-11-16 (B): week A agrees everywhere, week B on 4 of 10 pairs
PAIRS_A = [("polite", "polite")] * 5 + [("rude", "rude")] * 5
PAIRS_B = (
    [("polite", "polite")] * 2 + [("rude", "rude")] * 2
    + [("polite", "rude")] * 3 + [("rude", "polite")] * 3
)  # fmt: skip


def _ids(i: int) -> tuple[str, str]:
    return f"{i + 1:032x}", f"{i + 1:016x}"


def _label_scores() -> list[dict[str, Any]]:
    scores = []
    for i, (judge, human) in enumerate(PAIRS_A + PAIRS_B):
        trace, span = _ids(i)
        when = f"2026-11-{10 if i < 10 else 17}T{i % 10:02d}:00:00Z"
        scores += [
            {"trace_id": trace, "span_id": span, "name": "tone", "label": judge,
             "value": 1.0 if judge == "polite" else 0.0, "source": "llm_judge", "judge": "tone",
             "judge_version": 1, "rationale": f"because {i}", "created_at": when},
            {"trace_id": trace, "span_id": span, "name": "tone", "label": human,
             "value": 1.0 if human == "polite" else 0.0, "source": "human", "author": "ann"},
        ]  # fmt: skip
    return scores


def _agreement(client: TestClient, **params: Any) -> dict[str, Any]:
    answer = client.get(J + "/tone/agreement", params=params)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_agreement_of_labels_with_disagreements_series_and_a_drop(client: TestClient) -> None:
    client.post(J, json=_body(choices={"polite": 1.0, "rude": 0.0}))
    assert client.post(P + "/scores", json={"scores": _label_scores()}).json()["accepted"] == 40
    got = _agreement(client)
    # 14 of 20 agree; each side says polite 10 times: chance 0.5, kappa (0.7 - 0.5) / 0.5
    assert (got["kind"], got["n"], got["version"], got["human"]) == ("categorical", 20, 1, "tone")
    assert got["metrics"]["accuracy"]["value"] == 0.7
    assert abs(got["metrics"]["cohen_kappa"]["value"] - 0.4) < 1e-9
    ci = got["metrics"]["cohen_kappa"]
    assert ci["ci_low"] < 0.4 < ci["ci_high"]
    assert got["labels"] == ["polite", "rude"] and got["confusion"] == [[7, 3], [3, 7]]
    assert [c["support"] for c in got["per_class"]] == [10, 10]
    assert "only 20 pairs" in got["warnings"][0]
    first = got["disagreements"][0]
    assert [d["trace_id"] for d in got["disagreements"]] == [_ids(i)[0] for i in range(19, 13, -1)]
    assert (first["span_id"], first["judge_label"], first["human_label"]) == (
        _ids(19)[1], "rude", "polite",
    )  # fmt: skip
    assert (first["rationale"], first["author"], first["judged_at"]) == (
        "because 19", "ann", "2026-11-17T09:00:00Z",
    )  # fmt: skip
    weeks = [(p["week_start"], p["n"], p["metrics"]["accuracy"]["value"]) for p in got["series"]]
    assert weeks == [("2026-11-09", 10, 1.0), ("2026-11-16", 10, 0.4)]
    # week B: po 0.4, pe 0.5 → kappa -0.2; week A's interval is [1, 1], far above week B's
    assert abs(got["series"][1]["metrics"]["cohen_kappa"]["value"] + 0.2) < 1e-9
    assert got["diverging"] and len(got["diverging_reasons"]) == 1
    assert got["diverging_reasons"][0].startswith(
        "cohen_kappa fell from 1.00 [1.00, 1.00] in the week of 2026-11-09 to -0.20 ["
    )
    assert len(_agreement(client, limit=2, n_boot=0)["disagreements"]) == 2


def test_threshold_flags_a_judge_and_time_window_and_versions_narrow_pairs(
    client: TestClient,
) -> None:
    client.post(J, json=_body(choices={"polite": 1.0, "rude": 0.0}, threshold=0.6))
    client.post(P + "/scores", json={"scores": _label_scores()})
    flagged = _agreement(client, n_boot=200)
    assert flagged["diverging_reasons"][:2] == [
        "cohen_kappa 0.40 over all 20 pairs is below the threshold 0.6 set on this judge",
        "cohen_kappa -0.20 in the week of 2026-11-16 is below the threshold 0.6 set on this judge",
    ]
    early = _agreement(client, n_boot=200, until="2026-11-16T00:00:00Z")
    assert (early["n"], early["diverging"], early["diverging_reasons"]) == (10, False, [])
    assert _agreement(client, n_boot=0, since="2026-11-16T00:00:00Z")["n"] == 10
    client.patch(J + "/tone", json={"threshold": 0.3, "threshold_metric": "accuracy"})
    relaxed = _agreement(client, n_boot=0)  # accuracy 0.7 overall and 0.4 in week B
    assert (relaxed["threshold_metric"], relaxed["diverging"]) == ("accuracy", False)
    assert "n_boot=0: no confidence intervals" in relaxed["warnings"][-1]
    # version 2 has judged one trace so far; 'all' takes each target's latest judge score
    client.post(J, json=_body(choices={"polite": 1.0, "rude": 0.0}, prompt="Be strict."))
    trace, span = _ids(0)
    client.post(P + "/scores", json={"scores": [
        {"trace_id": trace, "span_id": span, "name": "tone", "label": "rude",
         "source": "llm_judge", "judge": "tone", "judge_version": 2},
    ]})  # fmt: skip
    latest = _agreement(client, n_boot=0)
    assert (latest["version"], latest["n"], latest["metrics"]["accuracy"]["value"]) == (2, 1, 0.0)
    assert _agreement(client, n_boot=0, version=1)["n"] == 20
    every = _agreement(client, n_boot=0, version="all")
    assert (every["version"], every["n"], every["metrics"]["accuracy"]["value"]) == (
        None, 20, 0.65,
    )  # fmt: skip


def test_agreement_of_values_against_human_scores_of_another_name(client: TestClient) -> None:
    client.post(J, json=_body(
        name="help", score_name="helpfulness", threshold=0.2, threshold_metric="mae",
    ))  # fmt: skip
    judge = [1.0, 0.5, 0.0, 1.0, 0.0]
    human = [1.0, 0.5, 0.5, 0.0, 0.0]
    scores = []
    for i, (j, h) in enumerate(zip(judge, human, strict=True)):
        trace, span = _ids(i)
        target = {"trace_id": trace, "span_id": None if i == 0 else span}
        scores += [
            {**target, "name": "helpfulness", "value": j, "source": "llm_judge", "judge": "help",
             "judge_version": 1, "created_at": 1_790_000_000 + i},
            {**target, "name": "helpful-human", "value": h, "source": "human", "author": "bo"},
        ]  # fmt: skip
    client.post(P + "/scores", json={"scores": scores})
    answer = client.get(J + "/help/agreement", params={"human": "helpful-human", "n_boot": 200})
    got = answer.json()
    assert (got["kind"], got["n"], got["human"], got["labels"]) == (
        "numeric", 5, "helpful-human", [],
    )  # fmt: skip
    assert abs(got["metrics"]["mae"]["value"] - 0.3) < 1e-9
    assert abs(got["metrics"]["pearson"]["value"] - statistics.correlation(judge, human)) < 1e-9
    assert [(d["judge_value"], d["human_value"]) for d in got["disagreements"]] == [
        (1.0, 0.0), (0.0, 0.5),
    ]  # fmt: skip
    assert got["diverging_reasons"] == [
        "mae 0.30 over all 5 pairs is above the threshold 0.2 set on this judge"
    ]
    strict = client.get(
        J + "/help/agreement", params={"human": "helpful-human", "min_diff": 0.6, "n_boot": 0}
    ).json()
    assert [d["trace_id"] for d in strict["disagreements"]] == [_ids(3)[0]]
    nobody = client.get(J + "/help/agreement", params={"n_boot": 0}).json()
    assert (nobody["n"], nobody["diverging"]) == (0, False)
    assert "no pairs" in nobody["warnings"][0]
