"""Carrying the current span into threads."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def bind_context(fn: Callable[P, R]) -> Callable[P, R]:
    """Return a callable that runs ``fn`` in the caller's context (current span included).

    A new thread, or a worker of a ``ThreadPoolExecutor``, starts with an empty context, so
    spans made there would start new traces. Bind the function where the work is handed over::

        with assay.span("fan-out"):
            futures = [pool.submit(assay.bind_context(fetch), url) for url in urls]

    Each call runs in its own copy of the captured context, so the bound callable may run in
    several threads at once.

    Args:
        fn: The function to run later, elsewhere.

    Returns:
        A wrapper with the same signature.
    """
    ctx = contextvars.copy_context()

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        return ctx.copy().run(fn, *args, **kwargs)

    return run
