"""Embeddings, and the embedding_similarity scorer built on them."""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path

import pytest

from assay import llm
from assay.evals import Eval
from assay.scorers import REGISTRY, Score, embedding_similarity
from assay.testing._fake_llm_wire import embedding_vector
from assay.testing.fake_llm import FakeLLMServer


def fake_cosine(a: str, b: str) -> float:
    """The cosine of the fake server's vectors of two texts (16 dimensions by default)."""
    va, vb = embedding_vector(json.dumps(a), 16), embedding_vector(json.dumps(b), 16)
    return sum(x * y for x, y in zip(va, vb, strict=True))  # the fake's vectors are unit length


def test_embed_returns_one_vector_per_text_in_order(fake: FakeLLMServer) -> None:
    vectors = llm.embed(["first", "second"], model="text-embedding-3-small")
    assert len(vectors) == 2
    assert vectors[0] == pytest.approx(embedding_vector('"first"', 16), abs=1e-6)
    assert vectors[1] == pytest.approx(embedding_vector('"second"', 16), abs=1e-6)
    assert fake.requests[-1].path == "/v1/embeddings"
    assert fake.requests[-1].json["input"] == ["first", "second"]


def test_aembed_passes_params_and_takes_a_single_string(fake: FakeLLMServer) -> None:
    [vector] = asyncio.run(llm.aembed("solo", model="text-embedding-3-large", dimensions=4))
    assert len(vector) == 4
    assert fake.requests[-1].json["dimensions"] == 4


def test_no_texts_make_no_request(fake: FakeLLMServer) -> None:
    assert llm.embed([], model="text-embedding-3-small") == []
    assert fake.calls == 0


def score_of(scorer: object, output: object, expected: object) -> Score | None:
    return asyncio.run(scorer(output=output, expected=expected))  # type: ignore[operator]


def test_embedding_similarity_is_the_clipped_cosine(fake: FakeLLMServer) -> None:
    scorer = embedding_similarity()
    assert scorer.name == "embedding_similarity"
    assert REGISTRY["embedding_similarity"] is embedding_similarity

    result = score_of(scorer, "refund my order", "I want my money back")
    cos = fake_cosine("refund my order", "I want my money back")
    assert result is not None
    assert result.value == pytest.approx(max(0.0, cos))
    assert result.metadata["cosine"] == pytest.approx(cos)
    assert fake.requests[-1].json["input"] == ["refund my order", "I want my money back"]
    assert fake.requests[-1].json["model"] == "text-embedding-3-small"


def test_opposite_meanings_clip_to_zero(fake: FakeLLMServer) -> None:
    other = next(f"text {i}" for i in range(100) if fake_cosine("anchor", f"text {i}") < -0.1)
    result = score_of(embedding_similarity(), other, "anchor")
    assert result is not None and result.value == 0.0 and result.metadata["cosine"] < 0


def test_no_call_for_skips_equal_and_empty_texts(fake: FakeLLMServer) -> None:
    scorer = embedding_similarity()
    assert score_of(scorer, "anything", None) is None
    same = score_of(scorer, {"a": 1}, {"a": 1})
    assert same is not None and same.value == 1.0
    empty = score_of(scorer, "", "expected text")
    assert empty is not None and empty.value == 0.0
    assert fake.calls == 0


def test_embedding_similarity_in_an_eval_uses_the_named_provider(
    fake: FakeLLMServer, tmp_path: Path
) -> None:
    llm.configure_provider("local", base_url=fake.openai_base_url)
    result = Eval(
        "proj",
        data=[{"input": "q", "expected": "alpha"}, {"input": "q", "expected": "beta"}],
        task=lambda input: "alpha",
        scores=[embedding_similarity(model="local/bge-m3")],
        local_dir=tmp_path,
        quiet=True,
    )
    stats = result.summary["embedding_similarity"]
    assert (stats.count, stats.errors) == (2, 0)
    assert stats.mean == pytest.approx((1.0 + max(0.0, fake_cosine("alpha", "beta"))) / 2)
    assert [r.json["model"] for r in fake.requests] == [
        "bge-m3"
    ]  # "alpha" == "alpha" needs no call
    assert not math.isnan(stats.mean or 0)
