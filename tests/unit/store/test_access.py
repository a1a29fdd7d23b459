"""Memberships and project API keys in the store, on each backend."""

from __future__ import annotations

import hashlib

from assay.store import Store


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def test_a_member_is_added_listed_changed_and_removed(store: Store, pid: str) -> None:
    ann = store.create_user("Ann@Example.com", name="Ann")
    bob = store.create_user("bob@example.com")
    other = store.ensure_project("other")

    added = store.add_member(pid, ann.id, "viewer")
    assert added is not None and (added.email, added.name, added.role) == (
        "ann@example.com",
        "Ann",
        "viewer",
    )
    assert store.add_member(pid, ann.id, "admin") is None, "a second add must not change a role"
    store.add_member(pid, bob.id, "engineer")
    store.add_member(other, ann.id, "admin")

    assert [(m.email, m.role) for m in store.list_members(pid)] == [
        ("ann@example.com", "viewer"),
        ("bob@example.com", "engineer"),
    ]
    assert store.roles_of_user(ann.id) == {pid: "viewer", other: "admin"}
    assert store.role_of(ann.id, pid) == "viewer"

    changed = store.update_member(pid, ann.id, "annotator")
    assert changed is not None and changed.role == "annotator"
    assert store.role_of(ann.id, pid) == "annotator"
    assert store.update_member(pid, "no-such-user", "admin") is None

    assert store.remove_member(pid, ann.id) is True
    assert store.remove_member(pid, ann.id) is False
    assert store.role_of(ann.id, pid) is None
    assert store.roles_of_user(ann.id) == {other: "admin"}, "other projects are untouched"


def test_an_api_key_is_shown_once_found_by_its_hash_and_revoked(store: Store, pid: str) -> None:
    created = store.create_api_key(pid, "ci", "engineer", "ann@example.com")
    assert created.secret.startswith("assay_") and len(created.secret) == len("assay_") + 32
    assert created.secret.startswith(created.prefix) and len(created.prefix) < 16

    listed = store.list_api_keys(pid)
    assert [(k.id, k.name, k.role, k.created_by) for k in listed] == [
        (created.id, "ci", "engineer", "ann@example.com")
    ]
    assert not hasattr(listed[0], "secret"), "a listed key never carries its secret"

    found = store.find_api_key(_digest(created.secret))
    assert found is not None
    assert (found.id, found.project, found.project_id, found.role, found.revoked) == (
        created.id,
        "demo",
        pid,
        "engineer",
        False,
    )
    assert store.find_api_key(_digest(created.secret + "x")) is None

    revoked = store.revoke_api_key(pid, created.id)
    assert revoked is not None and revoked.revoked_at is not None
    again = store.revoke_api_key(pid, created.id)
    assert again is not None and again.revoked_at == revoked.revoked_at, "revoking is idempotent"
    found = store.find_api_key(_digest(created.secret))
    assert found is not None and found.revoked
    assert store.revoke_api_key(store.ensure_project("other"), created.id) is None


def test_last_used_is_written_at_most_once_a_minute(store: Store, pid: str) -> None:
    created = store.create_api_key(pid, "sdk", "viewer", None)
    t0 = 1_800_000_000_000_000
    store.touch_api_key(created.id, now=t0)
    store.touch_api_key(created.id, now=t0 + 30_000_000)  # 30 s later: not written
    key = store.list_api_keys(pid)[0]
    assert key.last_used_at is not None
    first = key.last_used_at
    found = store.find_api_key(_digest(created.secret))
    assert found is not None and found.last_used_at == t0
    store.touch_api_key(created.id, now=t0 + 61_000_000)
    assert store.list_api_keys(pid)[0].last_used_at != first
    found = store.find_api_key(_digest(created.secret))
    assert found is not None and found.last_used_at == t0 + 61_000_000
