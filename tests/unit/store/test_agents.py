"""Registered agents in the store: put (create, then refresh), list by name, get, delete."""

from __future__ import annotations

import threading

import pytest

from assay.errors import NotFoundError
from assay.schema import AgentIn, AgentInfo, AgentParameter
from assay.store import Store


def _info(task: str = "answer", **defaults: object) -> AgentInfo:
    parameters = [
        AgentParameter(name=k, default=v, type=type(v).__name__) for k, v in defaults.items()
    ]
    return AgentInfo(task=task, parameters=parameters, assay_version="0.1.0")


def test_agents_are_registered_refreshed_listed_and_forgotten(store: Store, pid: str) -> None:
    body = AgentIn(url="http://127.0.0.1:8710", description="support bot")
    made = store.put_agent(pid, "support", body, info=_info(temperature=0.2))
    assert made.name == "support" and made.url == "http://127.0.0.1:8710"
    assert made.task == "answer" and made.description == "support bot"
    assert [(p.name, p.default) for p in made.parameters] == [("temperature", 0.2)]
    store.put_agent(pid, "billing", AgentIn(url="http://10.0.0.5:9000"), info=_info("bill"))
    assert [a.name for a in store.list_agents(pid)] == ["billing", "support"]

    # registering again replaces what the endpoint said, and keeps when it was first registered
    moved = AgentIn(url="http://127.0.0.1:8711")
    again = store.put_agent(pid, "support", moved, info=_info("answer_v2", model="m", flag=True))
    assert again.created_at == made.created_at and again.updated_at >= made.updated_at
    stored = store.get_agent(pid, "support")
    assert stored == again
    assert stored is not None and stored.url == "http://127.0.0.1:8711"
    assert stored.description is None and stored.task == "answer_v2"
    assert [(p.name, p.default) for p in stored.parameters] == [("model", "m"), ("flag", True)]

    assert store.delete_agent(pid, "support") is True
    assert store.delete_agent(pid, "support") is False
    assert store.get_agent(pid, "support") is None
    assert [a.name for a in store.list_agents(pid)] == ["billing"]


def test_agents_belong_to_their_project(store: Store, pid: str) -> None:
    other = store.ensure_project("other")
    store.put_agent(pid, "support", AgentIn(url="http://a"), info=_info())
    assert store.list_agents(other) == [] and store.get_agent(other, "support") is None
    assert store.delete_agent(other, "support") is False
    with pytest.raises(NotFoundError, match="no project"):
        store.put_agent("0" * 32, "support", AgentIn(url="http://a"), info=_info())


def test_concurrent_first_registrations_of_one_name_both_succeed(store: Store, pid: str) -> None:
    count = 4
    made: list[str] = []
    errors: list[BaseException] = []

    def register(barrier: threading.Barrier, name: str, n: int) -> None:
        try:
            barrier.wait()
            body = AgentIn(url=f"http://127.0.0.1:{8700 + n}")
            made.append(store.put_agent(pid, name, body, info=_info(f"t{n}")).url)
        except BaseException as exc:  # reported below
            errors.append(exc)

    for attempt in range(5):  # the race is a window; several rounds make hitting it likely
        barrier, name = threading.Barrier(count), f"race-{attempt}"
        threads = [threading.Thread(target=register, args=(barrier, name, n)) for n in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stored = store.get_agent(pid, name)
        assert stored is not None and stored.url in made
    assert errors == [] and len(made) == 5 * count
    assert [a.name for a in store.list_agents(pid)] == [f"race-{n}" for n in range(5)]
