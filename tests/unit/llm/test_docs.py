"""The Python examples of docs/judges.md run against the fake model server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assay.testing import FakeLLMServer

PAGE = Path(__file__).resolve().parents[3] / "docs" / "judges.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.M | re.S)
EXAMPLES = BLOCK.findall(PAGE.read_text())


def test_the_page_has_its_examples() -> None:
    assert len(EXAMPLES) == 3


@pytest.mark.parametrize("code", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_example_runs(code: str, fake: FakeLLMServer, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {}
    exec(compile(code, str(PAGE), "exec"), namespace)
    if "llm.chat" in code:
        printed = capsys.readouterr().out.splitlines()
        assert printed[0].startswith("What is the capital of France?")  # the fake echoes
        assert printed[1] == "get_weather {'city': 'fake'}"  # a forced call fits the schema
        assert namespace["text"] == "Tell me a story"
    if "llm_judge(" in code:
        assert namespace["tone"].name == "tone"  # type: ignore[attr-defined]
    if "agreement(" in code:
        assert namespace["found"].n == 4  # type: ignore[attr-defined]
