"""Ingest goes first: scoring calls wait while an ingest request runs, and go at once after."""

from __future__ import annotations

import asyncio

from assay.server.pressure import IngestPressure


def test_calls_trickle_while_ingest_is_busy_and_all_go_when_it_is_quiet() -> None:
    pressure = IngestPressure(quiet=0.01, interval=0.2)
    passed: list[int] = []

    async def scoring_call(n: int) -> None:
        await pressure.wait_turn()
        passed.append(n)

    async def scenario() -> tuple[int, int]:
        with pressure:  # an ingest request is running
            tasks = [asyncio.create_task(scoring_call(n)) for n in range(6)]
            await asyncio.sleep(0.3)
            while_busy = len(passed)
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=10)
        return while_busy, len(passed)

    while_busy, after = asyncio.run(scenario())
    assert while_busy < 6  # at most one call per interval got through
    assert after == 6  # nothing is lost once ingest is quiet


def test_a_quiet_process_never_waits() -> None:
    pressure = IngestPressure()
    assert not pressure.busy()

    async def calls() -> None:
        await asyncio.wait_for(asyncio.gather(*(pressure.wait_turn() for _ in range(100))), 1)

    asyncio.run(calls())
    with pressure:
        assert pressure.busy()
