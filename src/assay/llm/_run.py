"""Send one request under the provider's concurrency limit, retrying what is worth retrying.

Each attempt holds a slot only while its request is in flight: the slot is given back before a
retry's wait, so waiting calls never starve the others.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from assay.llm._adapters import Adapter
from assay.llm._retry import backoff, to_error
from assay.llm._route import Route

T = TypeVar("T")


def retry_delay(adapter: Adapter, route: Route, exc: Exception, attempt: int) -> float | None:
    """Seconds to wait before the next attempt; None when ``exc`` is not a provider failure.

    Raises:
        ProviderError: The failure is not retryable, or the retries are used up.
    """
    failure = adapter.failure(exc)
    if failure is None:
        return None
    provider = route.provider
    if not failure.retryable or attempt > provider.max_retries:
        raise to_error(provider, route.model, failure, attempt) from exc
    return backoff(provider, attempt - 1, failure)


def run_sync(
    route: Route, adapter: Adapter, send: Callable[[Any], T], *, keep_slot: bool = False
) -> tuple[T, int]:
    """``(send(client), attempts)`` with a blocking client.

    With ``keep_slot`` the slot of the successful attempt stays taken (a stream gives it back).
    """
    live = route.live
    attempt = 0
    while True:
        attempt += 1
        live.limiter.acquire()
        try:
            result = send(live.sync_client())
        except BaseException as exc:
            live.limiter.release()
            if not isinstance(exc, Exception):
                raise
            delay = retry_delay(adapter, route, exc, attempt)
            if delay is None:
                raise
            time.sleep(delay)
            continue
        if not keep_slot:
            live.limiter.release()
        return result, attempt


async def run_async(
    route: Route, adapter: Adapter, send: Callable[[Any], Awaitable[T]], *, keep_slot: bool = False
) -> tuple[T, int]:
    """``(await send(client), attempts)`` with the running loop's async client."""
    live = route.live
    attempt = 0
    while True:
        attempt += 1
        await live.limiter.acquire_async()
        try:
            result = await send(live.async_client())
        except BaseException as exc:
            live.limiter.release()
            if not isinstance(exc, Exception):
                raise
            delay = retry_delay(adapter, route, exc, attempt)
            if delay is None:
                raise
            await asyncio.sleep(delay)
            continue
        if not keep_slot:
            live.limiter.release()
        return result, attempt
