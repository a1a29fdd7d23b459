"""Provider keys in the store: saved encrypted, listed masked, kept when no new key is given,
stamped on every change, deleted; both dialects."""

from __future__ import annotations

import pytest

from assay.errors import NotFoundError
from assay.store import Store


def put(store: Store, pid: str, name: str = "openai", **fields: object) -> object:
    values: dict[str, object] = {
        "kind": "openai",
        "base_url": None,
        "key_cipher": "cipher-1",
        "key_hint": "sk-…abcd",
        "actor": "ana@example.com",
    }
    values.update(fields)
    return store.put_provider_key(pid, name, **values)  # type: ignore[arg-type]


def test_a_provider_is_saved_listed_by_name_and_read_back_with_its_cipher(
    store: Store, pid: str
) -> None:
    put(store, pid, "openai")
    saved = put(store, pid, "groq", base_url="https://api.groq.com/openai/v1", actor=None)
    assert saved.name == "groq" and saved.key_hint == "sk-…abcd"  # type: ignore[attr-defined]
    listed = store.list_provider_keys(pid)
    assert [(p.name, p.kind, p.base_url) for p in listed] == [
        ("groq", "openai", "https://api.groq.com/openai/v1"),
        ("openai", "openai", None),
    ]
    assert listed[1].updated_by == "ana@example.com"
    secret = store.get_provider_secret(pid, "groq")
    assert secret is not None and secret.key_cipher == "cipher-1" and secret.kind == "openai"
    assert store.get_provider_secret(pid, "nope") is None


def test_saving_without_a_key_keeps_the_stored_one_and_moves_updated_at(
    store: Store, pid: str
) -> None:
    put(store, pid, kind="openai")
    before = store.get_provider_secret(pid, "openai")
    changed = put(store, pid, kind="anthropic", base_url="http://127.0.0.1:9/", key_cipher=None,
                  key_hint=None)  # fmt: skip
    after = store.get_provider_secret(pid, "openai")
    assert before is not None and after is not None
    assert (after.kind, after.base_url, after.key_cipher) == (
        "anthropic", "http://127.0.0.1:9/", "cipher-1",
    )  # fmt: skip
    assert changed.key_hint == "sk-…abcd"  # type: ignore[attr-defined]
    assert after.updated_at > before.updated_at
    put(store, pid, key_cipher="cipher-2", key_hint="sk-…wxyz")
    again = store.get_provider_secret(pid, "openai")
    assert (
        again is not None and again.key_cipher == "cipher-2" and again.updated_at > after.updated_at
    )


def test_a_new_provider_without_a_key_has_none(store: Store, pid: str) -> None:
    saved = put(store, pid, "local", base_url="http://127.0.0.1:8000/v1", key_cipher=None,
                key_hint=None)  # fmt: skip
    assert saved.key_hint == ""  # type: ignore[attr-defined]
    secret = store.get_provider_secret(pid, "local")
    assert secret is not None and secret.key_cipher is None


def test_delete_forgets_the_provider(store: Store, pid: str) -> None:
    put(store, pid)
    assert store.delete_provider_key(pid, "openai") is True
    assert store.delete_provider_key(pid, "openai") is False
    assert store.list_provider_keys(pid) == [] and store.get_provider_secret(pid, "openai") is None


def test_providers_belong_to_their_project(store: Store, pid: str) -> None:
    other = store.ensure_project("other")
    put(store, pid, key_cipher="mine")
    assert (
        store.list_provider_keys(other) == [] and store.get_provider_secret(other, "openai") is None
    )
    with pytest.raises(NotFoundError):
        put(store, "no-such-project-id")
