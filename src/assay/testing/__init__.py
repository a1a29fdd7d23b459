"""Public test helpers: a fake OpenAI/Anthropic-compatible model server and in-memory span capture.

Names are imported on first use, so ``import assay.testing`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assay.testing.capture import SpanCapture
    from assay.testing.fake_llm import FakeLLMServer, FakeReply

__all__ = ["FakeLLMServer", "FakeReply", "SpanCapture"]

_WHERE = {
    "FakeLLMServer": "assay.testing.fake_llm",
    "FakeReply": "assay.testing.fake_llm",
    "SpanCapture": "assay.testing.capture",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'assay.testing' has no attribute {name!r}")
