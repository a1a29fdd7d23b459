"""The judge tests reuse the provider-layer fixtures: the fake model server and span capture."""

from __future__ import annotations

from tests.unit.llm.conftest import capture, fake, server

__all__ = ["capture", "fake", "server"]
