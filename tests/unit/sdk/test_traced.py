"""@traced on functions, methods, coroutines and generators."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

import assay
from assay.testing.capture import SpanCapture


@assay.traced(kind="tool")
def search_orders(customer_id: str, limit: int = 10) -> list[dict[str, str]]:
    return [{"customer": customer_id}]


@assay.traced
def plain(x: int) -> int:
    with assay.span("inside"):
        return x * 2


@assay.traced(name="explode")
def fails(code: int) -> None:
    raise ValueError(f"bad code {code}")


class Agent:
    @assay.traced(kind="agent")
    def run(self, question: str) -> str:
        return question.upper()

    @classmethod
    @assay.traced
    def make(cls, n: int) -> int:
        return n


def test_sync_function_records_bound_arguments_and_return(capture: SpanCapture) -> None:
    assert search_orders("c-1", limit=3) == [{"customer": "c-1"}]
    got = capture.find("search_orders")
    assert got["kind"] == "tool"
    assert got["input"] == {"customer_id": "c-1", "limit": 3}
    assert got["output"] == [{"customer": "c-1"}]
    assert search_orders.__name__ == "search_orders"


def test_bare_decorator_nests_inner_spans(capture: SpanCapture) -> None:
    assert plain(4) == 8
    outer = capture.find("plain")
    assert outer["kind"] == "function" and outer["input"] == {"x": 4} and outer["output"] == 8
    assert capture.find("inside")["parent_id"] == outer["span_id"]


def test_exception_is_recorded_and_reraised_unchanged(capture: SpanCapture) -> None:
    with pytest.raises(ValueError, match="bad code 7"):
        fails(7)
    got = capture.find("explode")
    assert got["status"] == "error" and got["error"]["type"] == "ValueError"
    assert got["input"] == {"code": 7}


def test_methods_drop_self_and_cls(capture: SpanCapture) -> None:
    assert Agent().run("hi") == "HI"
    assert Agent.make(3) == 3
    assert capture.find("Agent.run")["input"] == {"question": "hi"}
    assert capture.find("Agent.make")["input"] == {"n": 3}


def test_async_function_and_exception(capture: SpanCapture) -> None:
    @assay.traced(kind="agent")
    async def answer(question: str) -> str:
        await asyncio.sleep(0)
        with assay.span("plan"):
            pass
        return "42"

    @assay.traced
    async def broken() -> None:
        raise RuntimeError("llm down")

    async def main() -> None:
        assert await answer("why?") == "42"
        with pytest.raises(RuntimeError):
            await broken()

    asyncio.run(main())
    got = capture.find("answer")
    assert got["input"] == {"question": "why?"} and got["output"] == "42"
    assert capture.find("plan")["parent_id"] == got["span_id"]
    failed = capture.find("broken")
    assert failed["error"]["message"] == "llm down"


def test_sync_generator_output_is_the_yielded_items(capture: SpanCapture) -> None:
    @assay.traced(name="count")
    def count(n: int) -> Iterator[int]:
        for i in range(n):
            with assay.span(f"step{i}"):
                pass
            yield i

    with assay.span("consumer") as consumer:
        seen = []
        for item in count(3):
            assert assay.current_span() is consumer  # the generator's span is not leaked
            seen.append(item)
    assert seen == [0, 1, 2]
    got = capture.find("count")
    assert got["output"] == [0, 1, 2] and got["input"] == {"n": 3}
    assert got["parent_id"] == consumer.span_id
    assert capture.find("step1")["parent_id"] == got["span_id"]


def test_generator_exception_and_early_close(capture: SpanCapture) -> None:
    @assay.traced(name="bad_gen")
    def bad_gen() -> Iterator[int]:
        yield 1
        raise OSError("disk")

    @assay.traced(name="endless")
    def endless() -> Iterator[int]:
        i = 0
        while True:
            yield i
            i += 1

    with pytest.raises(OSError):
        list(bad_gen())
    gen = endless()
    assert [next(gen), next(gen)] == [0, 1]
    gen.close()
    bad = capture.find("bad_gen")
    assert bad["status"] == "error" and bad["output"] == [1]
    assert capture.find("endless")["output"] == [0, 1]


def test_async_generator(capture: SpanCapture) -> None:
    @assay.traced(name="stream", kind="llm")
    async def stream(words: list[str]) -> AsyncIterator[str]:
        for w in words:
            await asyncio.sleep(0)
            yield w

    @assay.traced(name="astream_fail")
    async def fail() -> AsyncIterator[str]:
        yield "a"
        raise ValueError("cut")

    async def main() -> list[str]:
        out = [w async for w in stream(["a", "b"])]
        with pytest.raises(ValueError):
            async for _ in fail():
                pass
        return out

    assert asyncio.run(main()) == ["a", "b"]
    got = capture.find("stream")
    assert got["output"] == ["a", "b"] and got["kind"] == "llm"
    assert got["input"] == {"words": ["a", "b"]}
    assert capture.find("astream_fail")["status"] == "error"


def test_capture_flags(capture: SpanCapture) -> None:
    @assay.traced(name="secret", capture_input=False, capture_output=False)
    def secret(password: str) -> str:
        return password

    assert secret("hunter2") == "hunter2"
    got = capture.find("secret")
    assert "input" not in got and "output" not in got


def test_a_nested_function_is_named_without_its_enclosing_locals(capture: SpanCapture) -> None:
    @assay.traced
    def lookup(order: str) -> str:
        return order

    class Agent:
        @assay.traced
        def step(self) -> int:
            return 1

    lookup("A1")
    Agent().step()
    names = {s["name"] for s in capture.flush()}
    assert names == {"lookup", "Agent.step"}


def test_an_exception_thrown_into_a_traced_async_generator_reaches_it(
    capture: SpanCapture,
) -> None:
    closed: list[bool] = []

    @assay.traced
    async def numbers() -> AsyncIterator[int]:
        try:
            n = 0
            while True:
                try:
                    yield n
                except ValueError:
                    n = -1  # the generator handles it and goes on
                else:
                    n += 1
        finally:
            closed.append(True)

    async def main() -> list[int]:
        gen = numbers()
        got = [await gen.__anext__(), await gen.athrow(ValueError("skip")), await gen.__anext__()]
        with pytest.raises(KeyError):
            await gen.athrow(KeyError("stop"))
        return got

    assert asyncio.run(main()) == [0, -1, 0]
    assert closed == [True]
    (s,) = capture.flush()
    assert s["status"] == "error" and s["error"]["type"] == "KeyError"
    assert s["output"] == [0, -1, 0]
