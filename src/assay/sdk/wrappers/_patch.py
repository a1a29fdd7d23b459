"""Installing traced methods on a client's resource objects.

A wrapped client is a copy of the user's client (``client.with_options()``), whose resource
objects (``client.chat.completions``, ``client.messages``, ...) get the traced method as an
instance attribute. The client keeps its class, so ``isinstance`` holds and every other
attribute behaves as before; ``with_options``/``copy`` return wrapped clients too.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from assay.sdk._util import internal_error

T = TypeVar("T")
_MARK = "_assay_wrapped"

#: Makes the traced version of a method: (original bound method, is_async) -> replacement.
Tracer = Callable[[Callable[..., Any], bool], Callable[..., Any]]


def resolve(root: Any, path: str) -> Any | None:
    """Follow a dotted attribute path; None when some part does not exist in this SDK version."""
    obj = root
    for part in path.split("."):
        try:
            obj = getattr(obj, part)
        except Exception:
            return None
    return obj


def install(resource: Any, method: str, tracer: Tracer) -> None:
    """Replace ``resource.method`` by its traced version (once)."""
    original = getattr(resource, method, None)
    if original is None or getattr(original, _MARK, False):
        return
    traced = tracer(original, inspect.iscoroutinefunction(inspect.unwrap(original)))
    functools.update_wrapper(traced, original)
    setattr(traced, _MARK, True)
    setattr(resource, method, traced)


def wrap_client(client: T, targets: dict[str, Tracer]) -> T:
    """A copy of ``client`` whose methods at the dotted ``targets`` paths are traced.

    Args:
        client: The provider client; it is left as it was.
        targets: Dotted path of a method (``chat.completions.create``) -> its tracer.
    """
    if getattr(client, _MARK, False):
        return client
    try:
        copy: T = client.with_options()  # type: ignore[attr-defined]
    except Exception as exc:
        internal_error(exc, "wrapping a client")
        return client
    return instrument(copy, targets)


def instrument(client: T, targets: dict[str, Tracer]) -> T:
    """Trace the ``targets`` methods of ``client`` in place; returns ``client``."""
    for path, tracer in targets.items():
        owner_path, _, method = path.rpartition(".")
        owner = resolve(client, owner_path)
        if owner is not None:
            install(owner, method, tracer)
    for name in ("with_options", "copy"):
        original = getattr(client, name, None)
        if callable(original):
            setattr(client, name, _rewrapping(original, targets))
    setattr(client, _MARK, True)
    return client


def _rewrapping(original: Callable[..., Any], targets: dict[str, Tracer]) -> Callable[..., Any]:
    @functools.wraps(original)
    def copy(*args: Any, **kwargs: Any) -> Any:
        return instrument(original(*args, **kwargs), targets)

    return copy
