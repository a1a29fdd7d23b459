"""What both wrappers promise: never break the program, import providers lazily."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import anthropic
import openai
import pytest

import assay
from assay import prices
from assay.testing.capture import SpanCapture
from assay.testing.fake_llm import FakeLLMServer, FakeReply

SRC = Path(__file__).resolve().parents[3] / "src"
HELLO = [{"role": "user", "content": "hi"}]


def test_wrapper_modules_do_not_import_the_provider_sdks() -> None:
    code = (
        "import assay, assay.sdk.wrappers, assay.prices, assay.testing.fake_llm, json, sys\n"
        "print(json.dumps([m for m in ('openai', 'anthropic') if m in sys.modules]))"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_a_malformed_answer_raises_what_the_bare_client_raises(
    llm: FakeLLMServer, capture: SpanCapture
) -> None:
    llm.script(FakeReply(body="{not json"), FakeReply(body="{not json"))
    bare = openai.OpenAI(base_url=llm.openai_base_url, api_key="t", max_retries=0)

    with pytest.raises(Exception) as bare_error:
        bare.chat.completions.create(model="m", messages=HELLO)
    with pytest.raises(type(bare_error.value)):
        assay.wrap_openai(bare).chat.completions.create(model="m", messages=HELLO)

    [span] = [s for s in capture.flush() if s["kind"] == "llm"]
    assert span["status"] == "error"
    assert span["error"]["type"] == type(bare_error.value).__name__


def test_a_broken_prices_file_costs_the_cost_metric_not_the_call(
    llm: FakeLLMServer, capture: SpanCapture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "prices.json"
    broken.write_text("{oops")
    monkeypatch.setenv("ASSAY_PRICES_FILE", str(broken))
    prices.reset()
    try:
        client = anthropic.Anthropic(base_url=llm.anthropic_base_url, api_key="t", max_retries=0)
        message = assay.wrap_anthropic(client).messages.create(
            model="claude-3-5-haiku-latest", max_tokens=5, messages=HELLO
        )
    finally:
        monkeypatch.delenv("ASSAY_PRICES_FILE")
        prices.reset()

    assert message.content[0].type == "text"
    [span] = [s for s in capture.flush() if s["kind"] == "llm"]
    assert span["metrics"]["total_tokens"] > 0
    assert "cost" not in span["metrics"]


def test_registered_prices_show_up_in_span_costs(llm: FakeLLMServer, capture: SpanCapture) -> None:
    prices.register("house-model", input_per_mtok=1_000_000, output_per_mtok=0)
    llm.script(FakeReply(content="x", usage={"prompt_tokens": 3, "completion_tokens": 1}))
    try:
        client = openai.OpenAI(base_url=llm.openai_base_url, api_key="t", max_retries=0)
        assay.wrap_openai(client).chat.completions.create(model="house-model-v2", messages=HELLO)
    finally:
        prices.reset()

    [span] = [s for s in capture.flush() if s["kind"] == "llm"]
    assert span["metrics"]["cost"] == pytest.approx(3.0)
