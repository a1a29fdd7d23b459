"""The model price table: matching names, computing costs, user overrides."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assay import prices
from assay.errors import ConfigError


@pytest.fixture(autouse=True)
def fresh_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("ASSAY_PRICES_FILE", raising=False)
    prices.reset()
    yield
    prices.reset()


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("gpt-4o-mini", "gpt-4o-mini"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-2024-05-13", "gpt-4o-2024-05-13"),
        ("GPT-4o", "gpt-4o"),
        ("openai/gpt-4.1-mini", "gpt-4.1-mini"),
        ("gpt-4-0613", "gpt-4"),
        ("chatgpt-4o-latest", "gpt-4o"),
        ("o1-preview-2024-09-12", "o1"),
        ("claude-3-5-haiku-latest", "claude-3-5-haiku"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-sonnet-4-20250514", "claude-sonnet-4"),
        ("anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3-5-sonnet"),
        ("meta-llama/Llama-3.1-8B-Instruct", "llama-3.1-8b-instruct"),
    ],
)
def test_names_match_exactly_by_alias_or_longest_prefix(model: str, key: str) -> None:
    price = prices.lookup(model)
    assert price is not None
    assert price.model == key


@pytest.mark.parametrize("model", ["fake-model", "gpt-4oo", "gpt-4.5-turbo-x", "", None])
def test_unknown_models_have_no_price(model: str | None) -> None:
    assert prices.lookup(model) is None
    assert prices.cost(model, 100, 100) is None


def test_cost_uses_input_and_output_prices() -> None:
    # gpt-4o-mini: 0.15 in, 0.60 out per million tokens
    assert prices.cost("gpt-4o-mini", 1_000_000, 0) == pytest.approx(0.15)
    assert prices.cost("gpt-4o-mini", 1000, 500) == pytest.approx(0.00015 + 0.0003)
    assert prices.cost("claude-3-5-haiku-20241022", 2000, None) == pytest.approx(0.0016)
    assert prices.cost("gpt-4o-mini", None, None) is None


def test_register_overrides_the_table_and_prices_new_models() -> None:
    prices.register("gpt-4o", input_per_mtok=1.0, output_per_mtok=2.0)
    prices.register("my-finetune", input_per_mtok=4.0, output_per_mtok=8.0)

    assert prices.cost("gpt-4o-2024-08-06", 1_000_000, 1_000_000) == pytest.approx(3.0)
    assert prices.cost("my-finetune-v3", 500_000, 0) == pytest.approx(2.0)
    # a longer built-in key still wins for its own models
    assert prices.cost("gpt-4o-mini", 1_000_000, 0) == pytest.approx(0.15)

    prices.reset()
    assert prices.lookup("my-finetune") is None


def test_register_refuses_negative_prices() -> None:
    with pytest.raises(ConfigError, match="cannot be negative"):
        prices.register("x", input_per_mtok=-1, output_per_mtok=0)


def test_prices_file_overrides_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "prices.json"
    path.write_text(
        json.dumps({"gpt-4o-mini": {"input": 1, "output": 1}, "acme-1": {"input": 3, "output": 0}})
    )
    monkeypatch.setenv("ASSAY_PRICES_FILE", str(path))
    prices.reset()

    assert prices.cost("gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(2.0)
    assert prices.cost("acme-1", 1_000_000, 0) == pytest.approx(3.0)

    prices.register("acme-1", input_per_mtok=5, output_per_mtok=0)
    assert prices.cost("acme-1", 1_000_000, 0) == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{nope", "not valid JSON"),
        ('{"models": {"m": {"input": 1}}}', "'m' has"),
        ("[1, 2]", "must hold a JSON object"),
    ],
)
def test_a_bad_prices_file_says_what_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str
) -> None:
    path = tmp_path / "prices.json"
    path.write_text(content)
    monkeypatch.setenv("ASSAY_PRICES_FILE", str(path))
    prices.reset()

    with pytest.raises(ConfigError, match=message):
        prices.lookup("gpt-4o")


def test_a_missing_prices_file_names_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_PRICES_FILE", str(tmp_path / "absent.json"))
    prices.reset()

    with pytest.raises(ConfigError, match=r"absent\.json"):
        prices.cost("gpt-4o", 1, 1)
