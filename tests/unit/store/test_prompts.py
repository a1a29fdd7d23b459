"""Prompts in the store: immutable numbered versions, labels, the record of their moves, undo."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from assay.errors import ConflictError, NotFoundError
from assay.schema import PromptVersionIn
from assay.store import Store


def _body(system: str = "You help {{company}} customers.", **fields: Any) -> PromptVersionIn:
    body: dict[str, Any] = {
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": "{{question}}{{#order}} (order {{id}}){{/order}}"},
        ],
        "model": "gpt-4o-mini",
        "params": {"temperature": 0.2, "max_tokens": 400},
    }
    body.update(fields)
    return PromptVersionIn.model_validate(body)


def test_versions_are_numbered_and_the_same_content_makes_none(store: Store, pid: str) -> None:
    first = store.save_prompt_version(pid, "answer", _body(message="first"), author="ann@x.io")
    assert (first.version, first.created, first.author, first.message) == (
        1, True, "ann@x.io", "first",
    )  # fmt: skip
    assert first.variables == ["company", "question", "order"]
    # the same content, parameters in another order and a new commit message: no new version
    same = store.save_prompt_version(
        pid, "answer", _body(params={"max_tokens": 400, "temperature": 0.2}, message="again"),
        author="bob@x.io",
    )  # fmt: skip
    assert (same.version, same.created, same.author, same.message) == (
        1,
        False,
        "ann@x.io",
        "first",
    )
    for change in (
        {"system": "You help {{company}} customers kindly."},
        {"model": "gpt-4o"},
        {"params": {"temperature": 0.3, "max_tokens": 400}},
        {"tools": [{"type": "function", "function": {"name": "lookup"}}]},
        {"response_format": {"type": "json_object"}},
    ):
        made = store.save_prompt_version(pid, "answer", _body(**change), author=None)
        assert made.created, change
    versions = store.list_prompt_versions(pid, "answer")
    assert [v.version for v in versions] == [6, 5, 4, 3, 2, 1]
    assert versions[0].response_format == {"type": "json_object"}
    assert versions[3].model == "gpt-4o" and versions[4].messages[0].content.endswith("kindly.")
    prompt = store.get_prompt(pid, "answer")
    assert prompt is not None and (prompt.latest_version, prompt.model) == (6, "gpt-4o-mini")


def test_get_a_version_by_number_label_or_latest(store: Store, pid: str) -> None:
    store.save_prompt_version(pid, "answer", _body(labels=["production"]), author=None)
    store.save_prompt_version(pid, "answer", _body("v2 {{tone}}"), author=None)
    got = store.get_prompt_version
    assert got(pid, "answer").version == 2  # type: ignore[union-attr]
    by_label = got(pid, "answer", label="production")
    assert by_label is not None and (by_label.version, by_label.labels) == (1, ["production"])
    assert got(pid, "answer", version=2).variables == ["tone", "question", "order"]  # type: ignore[union-attr]
    assert got(pid, "answer", version=3) is None
    assert got(pid, "answer", label="staging") is None
    assert got(pid, "missing") is None
    assert store.get_prompt(pid, "missing") is None
    with pytest.raises(NotFoundError, match="Prompt 'missing' does not exist"):
        store.list_prompt_versions(pid, "missing")


def test_labels_move_and_every_move_is_recorded(store: Store, pid: str) -> None:
    store.save_prompt_version(pid, "answer", _body(labels=["production", "staging"]), author="a")
    two = store.save_prompt_version(pid, "answer", _body("two", labels=["staging"]), author="b")
    assert two.labels == ["staging"]
    moved = store.move_prompt_label(pid, "answer", "production", version=2, actor="c", reason="ok")
    assert (moved.from_version, moved.to_version, moved.actor, moved.reason) == (1, 2, "c", "ok")
    removed = store.remove_prompt_label(pid, "answer", "staging", actor="d")
    assert removed is not None and (removed.from_version, removed.to_version) == (2, None)
    assert store.remove_prompt_label(pid, "answer", "staging", actor="d") is None
    prompt = store.get_prompt(pid, "answer")
    assert prompt is not None and prompt.labels == {"production": 2}
    moves = store.list_label_moves(pid, "answer")
    assert [(m.label, m.from_version, m.to_version, m.actor) for m in moves] == [
        ("staging", 2, None, "d"),
        ("production", 1, 2, "c"),
        ("staging", 1, 2, "b"),
        ("staging", None, 1, "a"),
        ("production", None, 1, "a"),
    ]
    only = store.list_label_moves(pid, "answer", label="production", limit=1)
    assert [(m.from_version, m.to_version) for m in only] == [(1, 2)]
    with pytest.raises(NotFoundError, match="versions 1 to 2; version 7 does not exist"):
        store.move_prompt_label(pid, "answer", "production", version=7, actor=None)
    with pytest.raises(NotFoundError, match="Prompt 'nope' does not exist"):
        store.move_prompt_label(pid, "nope", "production", version=1, actor=None)
    with pytest.raises(NotFoundError, match="Prompt 'nope'"):
        store.list_label_moves(pid, "nope")


def test_saving_the_same_content_with_a_label_moves_only_labels_that_are_elsewhere(
    store: Store, pid: str
) -> None:
    store.save_prompt_version(pid, "answer", _body(labels=["production"]), author="a")
    again = store.save_prompt_version(pid, "answer", _body(labels=["production"]), author="a")
    assert (again.created, again.labels) == (False, ["production"])
    assert len(store.list_label_moves(pid, "answer")) == 1


def test_undo_puts_a_label_back_and_refuses_when_it_moved_since(store: Store, pid: str) -> None:
    store.save_prompt_version(pid, "answer", _body(labels=["production"]), author=None)
    store.save_prompt_version(pid, "answer", _body("two"), author=None)
    store.save_prompt_version(pid, "answer", _body("three"), author=None)
    to_two = store.move_prompt_label(pid, "answer", "production", version=2, actor="a")
    undone = store.undo_label_move(pid, "answer", to_two.id, actor="b")
    assert (undone.from_version, undone.to_version, undone.undo_of) == (2, 1, to_two.id)
    assert store.get_prompt_version(pid, "answer", label="production").version == 1  # type: ignore[union-attr]
    # the label is at 1 now, not where to_two left it (2): undoing it again is a conflict
    with pytest.raises(ConflictError, match=f"now points at version 1.*{to_two.id}"):
        store.undo_label_move(pid, "answer", to_two.id, actor="b")
    # undoing the creation of a label removes it; undoing that removal brings it back
    created = store.move_prompt_label(pid, "answer", "canary", version=3, actor="a")
    gone = store.undo_label_move(pid, "answer", created.id, actor="a")
    assert (gone.from_version, gone.to_version) == (3, None)
    assert "canary" not in store.get_prompt(pid, "answer").labels  # type: ignore[union-attr]
    back = store.undo_label_move(pid, "answer", gone.id, actor="a")
    assert (back.from_version, back.to_version) == (None, 3)
    with pytest.raises(NotFoundError, match="no label move 'nope'"):
        store.undo_label_move(pid, "answer", "nope", actor="a")


def test_description_list_update_and_delete(store: Store, pid: str) -> None:
    store.save_prompt_version(pid, "b-prompt", _body(description="Answers"), author=None)
    store.save_prompt_version(pid, "a-prompt", _body(model="claude-3-5-haiku"), author=None)
    store.move_prompt_label(pid, "b-prompt", "production", version=1, actor=None)
    listed = store.list_prompts(pid)
    assert [(p.name, p.model, p.labels, p.description) for p in listed] == [
        ("a-prompt", "claude-3-5-haiku", {}, None),
        ("b-prompt", "gpt-4o-mini", {"production": 1}, "Answers"),
    ]
    changed = store.update_prompt(pid, "b-prompt", {"description": "Answers customers"})
    assert changed.description == "Answers customers" and changed.labels == {"production": 1}
    with pytest.raises(NotFoundError):
        store.update_prompt(pid, "nope", {"description": "x"})
    assert store.delete_prompt(pid, "b-prompt") is True
    assert store.delete_prompt(pid, "b-prompt") is False
    assert [p.name for p in store.list_prompts(pid)] == ["a-prompt"]
    # a new prompt of the same name starts again at version 1 with no history
    fresh = store.save_prompt_version(pid, "b-prompt", _body("new"), author=None)
    assert (fresh.version, fresh.labels) == (1, [])
    assert store.list_label_moves(pid, "b-prompt") == []


def test_prompts_belong_to_their_project(store: Store, pid: str) -> None:
    other = store.ensure_project("other")
    store.save_prompt_version(pid, "answer", _body(), author=None)
    assert store.get_prompt(other, "answer") is None and store.list_prompts(other) == []


def test_concurrent_saves_get_distinct_version_numbers(store: Store, pid: str) -> None:
    count = 6
    barrier = threading.Barrier(count)
    made: list[int] = []
    errors: list[BaseException] = []

    def save(n: int) -> None:
        try:
            barrier.wait()
            made.append(store.save_prompt_version(pid, "race", _body(f"v{n}"), author=None).version)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(made) == list(range(1, count + 1))
    assert [v.version for v in store.list_prompt_versions(pid, "race")] == list(range(count, 0, -1))
