"""The per-provider concurrency limit: shared by threads and event loops, never exceeded."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from assay import llm
from assay.llm._limit import Limiter
from assay.testing.fake_llm import FakeLLMServer, FakeReply


def test_threads_and_an_event_loop_share_one_limit(fake: FakeLLMServer) -> None:
    llm.configure_provider("capped", base_url=fake.openai_base_url, api_key="k", concurrency=3)
    fake.delay = 0.05
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(2):
                llm.chat("x", model="capped/m")
        except BaseException as exc:
            errors.append(exc)

    async def many() -> None:
        await asyncio.gather(*(llm.achat("x", model="capped/m") for _ in range(6)))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    threads.append(threading.Thread(target=lambda: asyncio.run(many())))
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)

    assert not errors
    assert fake.calls == 10
    assert fake.peak_concurrency == 3
    assert llm.route("capped/m").live.limiter.in_use == 0


def test_the_limit_adds_no_serialisation_below_it(fake: FakeLLMServer) -> None:
    llm.configure_provider("wide", base_url=fake.openai_base_url, api_key="k", concurrency=20)
    fake.delay = 0.05

    async def run() -> None:
        await llm.achat("warm up", model="wide/m")
        await asyncio.gather(*(llm.achat("x", model="wide/m") for _ in range(20)))

    asyncio.run(run())
    assert fake.peak_concurrency > 10  # side by side, not one after another (bench/judges.py)


def test_a_retry_wait_does_not_hold_a_slot(fake: FakeLLMServer) -> None:
    llm.configure_provider("one", base_url=fake.openai_base_url, api_key="k", concurrency=1)
    fake.script(FakeReply(status=429, headers={"retry-after": "0.2"}), "first", "second")
    results: dict[str, float] = {}
    started = time.perf_counter()

    def call(name: str) -> None:
        llm.chat(name, model="one/m")
        results[name] = time.perf_counter() - started

    retrying = threading.Thread(target=call, args=("retrying",))
    retrying.start()
    while fake.calls < 1:
        time.sleep(0.005)
    call("other")  # runs while the first call waits out its Retry-After
    retrying.join(5)
    assert results["other"] < results["retrying"]  # it did not wait for the retrying call
    assert results["retrying"] >= 0.2


def test_waiters_are_served_first_come_first_served() -> None:
    limiter = Limiter(1)
    limiter.acquire()
    order: list[int] = []

    def waiter(n: int) -> None:
        limiter.acquire()
        order.append(n)
        limiter.release()

    threads = []
    for n in range(4):
        t = threading.Thread(target=waiter, args=(n,))
        t.start()
        threads.append(t)
        while len(limiter._waiters) < n + 1:
            time.sleep(0.001)
    limiter.release()
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2, 3]
    assert limiter.in_use == 0


def test_a_cancelled_async_waiter_passes_its_slot_on() -> None:
    limiter = Limiter(1)

    async def run() -> list[str]:
        got: list[str] = []
        limiter.acquire()  # held by "another thread"

        async def take(name: str) -> None:
            await limiter.acquire_async()
            got.append(name)
            limiter.release()

        first = asyncio.ensure_future(take("cancelled"))
        second = asyncio.ensure_future(take("second"))
        await asyncio.sleep(0.01)
        first.cancel()
        threading.Thread(target=limiter.release).start()  # freed from another thread
        await asyncio.wait_for(second, 2)
        with pytest.raises(asyncio.CancelledError):
            await first
        return got

    assert asyncio.run(run()) == ["second"]
    assert limiter.in_use == 0


def test_a_slot_granted_to_a_waiter_cancelled_meanwhile_is_passed_on() -> None:
    limiter = Limiter(1)

    async def run() -> list[str]:
        got: list[str] = []
        await limiter.acquire_async()

        async def take(name: str) -> None:
            await limiter.acquire_async()
            got.append(name)
            limiter.release()

        first = asyncio.ensure_future(take("cancelled"))
        second = asyncio.ensure_future(take("second"))
        await asyncio.sleep(0.01)
        limiter.release()  # the slot goes to `first`...
        first.cancel()  # ...which is cancelled before it could run
        await asyncio.wait_for(second, 2)
        with pytest.raises(asyncio.CancelledError):
            await first
        return got

    assert asyncio.run(run()) == ["second"]
    assert limiter.in_use == 0
