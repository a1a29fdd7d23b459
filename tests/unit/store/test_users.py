"""Users, sessions and failed sign-ins in the store (SQLite, and PostgreSQL with --db all)."""

from __future__ import annotations

import pytest

from assay.errors import ConflictError, NotFoundError, UsageError
from assay.server.passwords import hash_password, needs_rehash, token_hash, verify_password
from assay.store import Store

NOW = 1_800_000_000_000_000
MINUTE = 60_000_000
HOUR = 60 * MINUTE


def _session(store: Store, user_id: str, token: str, *, now: int = NOW, hours: int = 1) -> str:
    hashed = token_hash(token)
    store.create_session(
        user_id, token_hash=hashed, csrf_token="csrf-" + token, lifetime_us=hours * HOUR, now=now
    )
    return hashed


def test_users_are_created_with_a_lower_case_unique_email(store: Store) -> None:
    made = store.create_user("Ada@Example.COM", name="Ada", password_hash=hash_password("x" * 12))
    assert made.email == "ada@example.com"
    assert made.has_password and not made.is_admin and not made.disabled
    assert store.find_user_by_email(" ADA@example.com") == made
    assert store.get_user(made.id) == made
    with pytest.raises(ConflictError, match=r"ada@example\.com"):
        store.create_user("ada@EXAMPLE.com")
    store.create_user("bob@example.com", is_admin=True)
    assert [u.email for u in store.list_users()] == ["ada@example.com", "bob@example.com"]
    assert "argon2" not in store.list_users()[0].model_dump_json()


def test_a_user_linked_to_oidc_is_found_by_subject(store: Store) -> None:
    made = store.create_user("oidc@example.com", oidc_subject="https://idp|123")
    assert made.oidc and not made.has_password
    assert store.find_user_by_oidc_subject("https://idp|123") == made
    assert store.find_user_by_oidc_subject("https://idp|999") is None


def test_password_hashes_verify_only_the_right_password(store: Store) -> None:
    user = store.create_user("ada@example.com", password_hash=hash_password("correct horse 1"))
    stored = store.password_hash(user.id)
    assert stored is not None and stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse 1")
    assert not verify_password(stored, "correct horse 2")
    assert not verify_password(None, "anything")
    assert not needs_rehash(stored)


def test_update_changes_fields_and_can_end_sessions(store: Store) -> None:
    user = store.create_user("ada@example.com", password_hash=hash_password("x" * 12))
    token = _session(store, user.id, "t1")
    changed = store.update_user(user.id, {"name": "Ada L.", "is_admin": True})
    assert (changed.name, changed.is_admin) == ("Ada L.", True)
    assert store.find_session(token, now=NOW) is not None
    store.update_user(user.id, {"password_hash": hash_password("y" * 12)}, end_sessions=True)
    assert store.find_session(token, now=NOW) is None
    with pytest.raises(NotFoundError):
        store.update_user("nobody", {"name": "x"})
    with pytest.raises(UsageError, match="email"):
        store.update_user(user.id, {"email": "other@example.com"})


def test_a_session_is_found_by_its_token_hash_until_it_ends(store: Store) -> None:
    user = store.create_user("ada@example.com")
    hashed = _session(store, user.id, "token")
    found = store.find_session(hashed, now=NOW + MINUTE)
    assert found is not None
    assert (found.user.id, found.csrf_token) == (user.id, "csrf-token")
    assert store.get_user(user.id).last_login_at is not None  # type: ignore[union-attr]
    assert store.find_session(token_hash("other"), now=NOW) is None
    assert store.revoke_session(hashed, now=NOW)
    assert store.find_session(hashed, now=NOW) is None
    assert not store.revoke_session(hashed, now=NOW)


def test_a_session_expires_an_hour_after_its_last_use(store: Store) -> None:
    user = store.create_user("ada@example.com")
    used = _session(store, user.id, "used")
    idle = _session(store, user.id, "idle")
    found = store.find_session(used, now=NOW + 50 * MINUTE)
    assert found is not None and found.expires_at == NOW + 110 * MINUTE
    assert store.find_session(used, now=NOW + 100 * MINUTE) is not None
    assert store.find_session(idle, now=NOW + 61 * MINUTE) is None


def test_sessions_of_a_disabled_user_stop_working(store: Store) -> None:
    user = store.create_user("ada@example.com")
    hashed = _session(store, user.id, "token")
    store.update_user(user.id, {"disabled": True})
    assert store.find_session(hashed, now=NOW) is None
    store.update_user(user.id, {"disabled": False})
    assert store.find_session(hashed, now=NOW) is not None


def test_ending_a_users_sessions_can_keep_the_current_one(store: Store) -> None:
    user = store.create_user("ada@example.com")
    other = store.create_user("bob@example.com")
    kept, ended = _session(store, user.id, "a"), _session(store, user.id, "b")
    others = _session(store, other.id, "c")
    assert store.revoke_user_sessions(user.id, now=NOW, keep=kept) == 1
    assert store.find_session(kept, now=NOW) is not None
    assert store.find_session(ended, now=NOW) is None
    assert store.find_session(others, now=NOW) is not None


def test_failed_sign_ins_are_counted_per_email_and_per_address(store: Store) -> None:
    for n in range(3):
        store.record_login_failure("Ada@example.com", "10.0.0.1", now=NOW + n)
    store.record_login_failure("bob@example.com", "10.0.0.1", now=NOW + 5)
    store.record_login_failure("ada@example.com", "10.0.0.2", now=NOW - HOUR)
    counts = store.count_login_failures("ada@example.com", "10.0.0.1", since=NOW - MINUTE)
    assert (counts.email, counts.address) == (3, 4)
    store.clear_login_failures("ADA@example.com")
    counts = store.count_login_failures("ada@example.com", "10.0.0.1", since=0)
    assert (counts.email, counts.address) == (0, 1)
