"""The prompt registry over the API: versions, labels and their history, resolve with ETags,
diffs, the audit log, and who may move a label."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assay.server import create_app
from assay.store import Store
from tests.support.auth_setup import key_caller

P = "proj"
BASE = f"/api/v1/projects/{P}/prompts"


def _body(system: str = "You help {{company}} customers.", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": "{{question}}"},
        ],
        "model": "gpt-4o-mini",
        "params": {"temperature": 0.2, "max_tokens": 400},
    }
    body.update(fields)
    return body


def _save(client: TestClient, name: str = "answer", **fields: Any) -> dict[str, Any]:
    response = client.post(f"{BASE}/{name}/versions", json=_body(**fields))
    assert response.status_code in (200, 201), response.text
    saved: dict[str, Any] = response.json()
    return saved


def _error(response: Any) -> str:
    message: str = response.json()["error"]["message"]
    return message


def test_save_list_get_update_and_delete(client: TestClient, store: Store) -> None:
    first = client.post(f"{BASE}/answer/versions", json=_body(message="first", description="A"))
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1 and first.json()["author"] == "local"
    assert first.json()["variables"] == ["company", "question"]
    same = client.post(f"{BASE}/answer/versions", json=_body(message="ignored"))
    assert same.status_code == 200 and same.json()["created"] is False
    assert same.json()["message"] == "first"
    second = client.post(f"{BASE}/answer/versions", json=_body(model="gpt-4o"))
    assert (second.status_code, second.json()["version"]) == (201, 2)

    listed = client.get(BASE).json()
    assert [(p["name"], p["latest_version"], p["model"], p["description"]) for p in listed] == [
        ("answer", 2, "gpt-4o", "A")
    ]
    assert client.get(f"{BASE}/answer").json()["latest_version"] == 2
    versions = client.get(f"{BASE}/answer/versions").json()
    assert [v["version"] for v in versions] == [2, 1]
    assert client.get(f"{BASE}/answer/versions/1").json()["model"] == "gpt-4o-mini"

    patched = client.patch(f"{BASE}/answer", json={"description": "Answers customers"})
    assert patched.status_code == 200 and patched.json()["description"] == "Answers customers"
    empty = client.patch(f"{BASE}/answer", json={})
    assert empty.status_code == 422 and "changes nothing" in _error(empty)

    assert client.delete(f"{BASE}/answer").status_code == 204
    assert client.get(f"{BASE}/answer").status_code == 404
    gone = client.delete(f"{BASE}/answer")
    assert gone.status_code == 404 and f"GET {BASE} lists" in _error(gone)
    events = store.list_audit(store.ensure_project(P), action="prompt.").items
    assert [(e.action, e.target) for e in events] == [("prompt.delete", "prompt:answer")]


def test_invalid_names_labels_and_templates_are_422s_naming_the_field(client: TestClient) -> None:
    bad_name = client.post(f"{BASE}/has space/versions", json=_body())
    assert bad_name.status_code == 422
    assert bad_name.json()["error"]["details"][0]["field"] == "path.name"
    bad_label = client.post(f"{BASE}/answer/versions", json=_body(labels=["ok", "Prod!"]))
    assert bad_label.status_code == 422 and "'Prod!'" in _error(bad_label)
    assert bad_label.json()["error"]["details"][0]["field"] == "body.labels.1"
    bad_template = client.post(f"{BASE}/answer/versions", json=_body("{{#open}} never closed"))
    assert bad_template.status_code == 422
    assert bad_template.json()["error"]["details"][0]["field"] == "body.messages.0.content"
    bad_role = client.post(
        f"{BASE}/answer/versions", json=_body(messages=[{"role": "tool", "content": "x"}])
    )
    assert bad_role.status_code == 422 and "body.messages.0.role" in _error(bad_role)
    _save(client)
    bad_put = client.put(f"{BASE}/answer/labels/UPPER", json={"version": 1})
    assert bad_put.status_code == 422
    assert bad_put.json()["error"]["details"][0]["field"] == "path.label"
    assert client.get(BASE).json()[0]["name"] == "answer"  # nothing else was made


def test_not_found_answers_say_what_is_missing_and_where_to_look(client: TestClient) -> None:
    missing_project = client.get("/api/v1/projects/nope/prompts")
    assert missing_project.status_code == 404 and "Project 'nope'" in _error(missing_project)
    _save(client, labels=["production"])
    for path, words in (
        (f"{BASE}/other", ["Prompt 'other' does not exist", f"GET {BASE}"]),
        (f"{BASE}/answer/versions/4", ["versions 1 to 1; version 4", "/versions lists"]),
        (f"{BASE}/answer/resolve?label=staging", ["no label 'staging'", "production → v1"]),
        (f"{BASE}/answer/diff?from=1&to=9", ["version 9 does not exist"]),
        (f"{BASE}/other/label-moves", ["Prompt 'other'"]),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert all(word in _error(response) for word in words), _error(response)
    moved = client.put(f"{BASE}/answer/labels/production", json={"version": 5})
    assert moved.status_code == 404 and "version 5 does not exist" in _error(moved)
    removed = client.delete(f"{BASE}/answer/labels/staging")
    assert removed.status_code == 404 and "no label 'staging'" in _error(removed)
    undo = client.post(f"{BASE}/answer/label-moves/nope/undo")
    assert undo.status_code == 404 and "no label move 'nope'" in _error(undo)
    both = client.get(f"{BASE}/answer/resolve?label=production&version=1")
    assert both.status_code == 400 and "not both" in _error(both)


def test_resolve_answers_an_etag_and_304_until_something_changes(client: TestClient) -> None:
    _save(client, labels=["production"])
    first = client.get(f"{BASE}/answer/resolve", params={"label": "production"})
    assert first.status_code == 200 and first.json()["version"] == 1
    etag = first.headers["etag"]
    cached = client.get(
        f"{BASE}/answer/resolve", params={"label": "production"}, headers={"If-None-Match": etag}
    )
    assert cached.status_code == 304 and cached.content == b"" and cached.headers["etag"] == etag
    weak = client.get(
        f"{BASE}/answer/resolve?label=production", headers={"If-None-Match": f'"x", W/{etag}'}
    )
    assert weak.status_code == 304
    # a new version does not change what production points at; moving the label does
    _save(client, system="two")
    assert (
        client.get(
            f"{BASE}/answer/resolve?label=production", headers={"If-None-Match": etag}
        ).status_code
        == 304
    )
    latest = client.get(f"{BASE}/answer/resolve", headers={"If-None-Match": etag})
    assert latest.status_code == 200 and latest.json()["version"] == 2
    client.put(f"{BASE}/answer/labels/production", json={"version": 2})
    moved = client.get(f"{BASE}/answer/resolve?label=production", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.json()["version"] == 2
    assert moved.headers["etag"] != etag
    by_number = client.get(f"{BASE}/answer/resolve?version=1")
    assert by_number.json()["labels"] == []


def test_diff_shows_messages_line_by_line_fields_and_variables(client: TestClient) -> None:
    _save(client, system="You help {{company}} customers.\nBe brief.")
    body = _body("You help {{company}} customers.\nBe kind.\nSign as {{agent}}.")
    body.update(model="gpt-4o", params={"temperature": 0.5, "top_p": 0.9})
    body["messages"] = [body["messages"][0], {"role": "assistant", "content": "Hi!"}]
    client.post(f"{BASE}/answer/versions", json=body)
    diff = client.get(f"{BASE}/answer/diff", params={"from": 1, "to": 2}).json()
    assert (diff["prompt"], diff["from_version"], diff["to_version"]) == ("answer", 1, 2)
    system, second = diff["messages"]
    assert system["status"] == "changed"
    assert [(line["op"], line["text"]) for line in system["lines"]] == [
        ("=", "You help {{company}} customers."),
        ("-", "Be brief."),
        ("+", "Be kind."),
        ("+", "Sign as {{agent}}."),
    ]
    assert (second["status"], second["role_before"], second["role_after"]) == (
        "changed", "user", "assistant",
    )  # fmt: skip
    assert [(f["field"], f["before"], f["after"]) for f in diff["fields"]] == [
        ("model", "gpt-4o-mini", "gpt-4o"),
        ("params.temperature", 0.2, 0.5),
        ("params.max_tokens", 400, None),
        ("params.top_p", None, 0.9),
    ]
    assert diff["variables_added"] == ["agent"]
    assert diff["variables_removed"] == ["question"]
    same = client.get(f"{BASE}/answer/diff?from=2&to=2").json()
    assert [m["status"] for m in same["messages"]] == ["same", "same"] and same["fields"] == []


def test_label_moves_removal_and_undo_are_recorded_and_audited(
    client: TestClient, store: Store
) -> None:
    _save(client, labels=["production"])
    _save(client, system="two")
    moved = client.put(f"{BASE}/answer/labels/production", json={"version": 2, "reason": "good"})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["from_version"], moved.json()["to_version"]) == (1, 2)
    undone = client.post(f"{BASE}/answer/label-moves/{moved.json()['id']}/undo")
    assert undone.status_code == 200 and undone.json()["undo_of"] == moved.json()["id"]
    assert client.get(f"{BASE}/answer").json()["labels"] == {"production": 1}
    conflict = client.post(f"{BASE}/answer/label-moves/{moved.json()['id']}/undo")
    assert conflict.status_code == 409
    assert "now points at version 1" in _error(conflict) and moved.json()["id"] in _error(conflict)
    removed = client.delete(f"{BASE}/answer/labels/production")
    assert removed.status_code == 200 and removed.json()["to_version"] is None
    history = client.get(f"{BASE}/answer/label-moves").json()
    assert [(m["from_version"], m["to_version"], m["actor"]) for m in history] == [
        (1, None, "local"), (2, 1, "local"), (1, 2, "local"), (None, 1, "local"),
    ]  # fmt: skip
    assert len(client.get(f"{BASE}/answer/label-moves?label=production&limit=2").json()) == 2

    events = store.list_audit(store.ensure_project(P), action="prompt.label.").items
    assert [(e.action, e.target, e.details) for e in reversed(events)] == [
        ("prompt.label.move", "prompt:answer", {"label": "production", "from": None, "to": 1}),
        (
            "prompt.label.move",
            "prompt:answer",
            {"label": "production", "from": 1, "to": 2, "move_id": moved.json()["id"]},
        ),
        (
            "prompt.label.undo",
            "prompt:answer",
            {"label": "production", "from": 2, "to": 1, "move_id": undone.json()["id"]},
        ),
        (
            "prompt.label.remove",
            "prompt:answer",
            {"label": "production", "from": 1, "to": None, "move_id": removed.json()["id"]},
        ),
    ]


@pytest.fixture
def auth_client(store: Store) -> Iterator[TestClient]:
    store.ensure_project(P)
    with TestClient(create_app(store, auth=True, rate_limit=0)) as client:
        yield client


def test_an_annotator_saves_versions_but_moving_labels_needs_an_engineer(
    store: Store, auth_client: TestClient
) -> None:
    project_id = store.ensure_project(P)
    annotator, _ = key_caller(store, project_id, "annotator")
    engineer, _ = key_caller(store, project_id, "engineer")
    url = f"{BASE}/answer/versions"
    saved = auth_client.post(url, json=_body(), headers=annotator.headers)
    assert saved.status_code == 201 and saved.json()["author"] == "key:key-annotator"
    labelled = _body("v2", labels=["production"])
    refused = auth_client.post(url, json=labelled, headers=annotator.headers)
    assert refused.status_code == 403
    assert "engineer role" in _error(refused) and "movePromptLabel" in _error(refused)
    assert (
        auth_client.get(f"{BASE}/answer", headers=annotator.headers).json()["latest_version"] == 1
    )
    put = auth_client.put(
        f"{BASE}/answer/labels/production", json={"version": 1}, headers=annotator.headers
    )
    assert put.status_code == 403
    ok = auth_client.post(url, json=labelled, headers=engineer.headers)
    assert ok.status_code == 201 and ok.json()["labels"] == ["production"]
    history = auth_client.get(f"{BASE}/answer/label-moves", headers=engineer.headers).json()
    assert [(m["actor"], m["to_version"]) for m in history] == [("key:key-engineer", 2)]
