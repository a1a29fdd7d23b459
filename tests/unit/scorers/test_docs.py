"""The examples in docs/scorers.md run, and the ``>>>`` ones print what the page says."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from assay.scorers import REGISTRY

PAGE = Path(__file__).resolve().parents[3] / "docs" / "scorers.md"
SECTIONS = {"", "Heuristic scorers", "Writing a scorer"}  # the intro has no title
BLOCK = re.compile(r"^```(python|pycon)\n(.*?)^```", re.M | re.S)


def blocks() -> list[tuple[str, str]]:
    """The code blocks of the sections this test covers, as (language, code)."""
    out: list[tuple[str, str]] = []
    for part in re.split(r"^## ", PAGE.read_text(), flags=re.M):
        title = part.split("\n", 1)[0].strip() if not part.startswith("# ") else ""
        if title in SECTIONS:
            out.extend((m.group(1), m.group(2)) for m in BLOCK.finditer(part))
    return out


def test_the_page_has_examples_of_each_kind() -> None:
    kinds = [kind for kind, _ in EXAMPLES]
    assert kinds.count("pycon") >= 6 and kinds.count("python") >= 2


EXAMPLES = blocks()


@pytest.mark.parametrize(
    ("kind", "code"), EXAMPLES, ids=[f"{kind}-{i}" for i, (kind, _) in enumerate(EXAMPLES)]
)
def test_example_runs(
    kind: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the Eval example writes its experiment here
    before = dict(REGISTRY)
    try:
        if kind == "python":
            exec(compile(code, str(PAGE), "exec"), {})
            return
        test = doctest.DocTestParser().get_doctest(code, {}, PAGE.name, str(PAGE), 0)
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        runner.run(test)
        assert runner.summarize(verbose=False).failed == 0, "see the doctest report above"
    finally:
        REGISTRY.clear()
        REGISTRY.update(before)
