"""Waiting for something a background worker does: poll until true, fail at a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_until(check: Callable[[], Any], *, timeout: float = 60.0, every: float = 0.05) -> Any:
    """Call ``check`` every ``every`` seconds until it returns something truthy, and return it.

    Raises:
        AssertionError: ``check`` was still falsy after ``timeout`` seconds.
    """
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"not true within {timeout} s: {check}")
