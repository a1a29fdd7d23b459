"""LLM judges against the fake model server: the forced tool call, parsing, errors, in an Eval."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from assay import Eval, llm
from assay.errors import UsageError
from assay.scorers import (
    REGISTRY,
    JudgeAnswerError,
    LLMJudge,
    answer_relevance,
    closed_qa,
    factuality,
    faithfulness,
    helpfulness,
    llm_judge,
    safety,
    summary_quality,
    tool_call_correctness,
)
from assay.testing import FakeLLMServer, FakeReply

TONE = "Is this answer polite?\nQuestion: {{input}}\nAnswer: {{output}}\nTopic: {{metadata.topic}}"
CHOICES = {"polite": 1.0, "neutral": 0.5, "rude": 0.0}


def verdict(choice: str, reasoning: str = "It thanks the customer.") -> FakeReply:
    return FakeReply(
        tool_calls=[
            {"name": "submit_verdict", "arguments": {"reasoning": reasoning, "choice": choice}}
        ]
    )


def tone(**options: Any) -> LLMJudge:
    options.setdefault("model", "gpt-4o-mini")
    return llm_judge("tone", TONE, CHOICES, **options)


def run(judge: LLMJudge, **case: Any) -> Any:
    return asyncio.run(judge(**case))


def test_a_judge_forces_its_tool_and_scores_the_choice(fake: FakeLLMServer) -> None:
    fake.script(verdict("neutral"))
    score = run(tone(), input="Where is my order?", output="It ships Monday.",
                metadata={"topic": "shipping"})  # fmt: skip
    assert (score.name, score.value) == ("tone", 0.5)
    assert score.metadata["choice"] == "neutral"
    assert score.metadata["rationale"] == "It thanks the customer."
    assert score.metadata["judge"] == "tone" and score.metadata["model"] == "gpt-4o-mini"
    (request,) = fake.requests
    body = request.json
    assert body["tool_choice"] == {"type": "function", "function": {"name": "submit_verdict"}}
    (tool,) = body["tools"]
    params = tool["function"]["parameters"]
    assert list(params["properties"]) == ["reasoning", "choice"]  # the rationale comes first
    assert params["properties"]["choice"]["enum"] == ["polite", "neutral", "rude"]
    assert body["temperature"] == 0
    prompt = body["messages"][-1]["content"]
    assert "Question: Where is my order?\nAnswer: It ships Monday.\nTopic: shipping" in prompt
    assert '"polite", "neutral", "rude"' in prompt


def test_without_cot_only_the_choice_is_asked(fake: FakeLLMServer) -> None:
    fake.script(FakeReply(tool_calls=[{"name": "submit_verdict", "arguments": {"choice": "rude"}}]))
    score = run(tone(use_cot=False, temperature=0.3), input="q", output="go away",
                metadata={"topic": "t"})  # fmt: skip
    assert score.value == 0.0 and "rationale" not in score.metadata
    body = fake.requests[0].json
    assert list(body["tools"][0]["function"]["parameters"]["properties"]) == ["choice"]
    assert body["temperature"] == 0.3


def test_answers_that_name_no_valid_choice_are_errors_not_zeros(fake: FakeLLMServer) -> None:
    case = {"input": "q", "output": "a", "metadata": {"topic": "t"}}
    fake.script(FakeReply(tool_calls=[{"name": "submit_verdict", "arguments": '{"choice": "pol'}]))
    with pytest.raises(JudgeAnswerError, match='gave no readable verdict: \'\\{"choice": "pol\''):
        run(tone(), **case)
    fake.script(verdict("excellent"))
    with pytest.raises(JudgeAnswerError, match="chose 'excellent', which is not one of"):
        run(tone(), **case)
    fake.script(FakeReply(content="I think it is polite."))
    with pytest.raises(JudgeAnswerError, match="expected a submit_verdict call"):
        run(tone(), **case)
    fake.script(verdict(" (Polite). "))  # a label wrapped the way models do is still that label
    assert run(tone(), **case).metadata["choice"] == "polite"


def test_in_an_eval_a_malformed_answer_is_the_scorers_error_for_that_case(
    fake: FakeLLMServer, tmp_path: Path
) -> None:
    def respond(body: dict[str, Any]) -> FakeReply:
        prompt = body["messages"][-1]["content"]
        if "Answer: broken" in prompt:
            return FakeReply(tool_calls=[{"name": "submit_verdict", "arguments": "not json"}])
        return verdict("polite")

    fake.respond_with(respond)
    data = [
        {"input": "q1", "metadata": {"topic": "a"}},
        {"input": "q2", "metadata": {"topic": "b"}},
    ]
    result = Eval("proj", data=data, task=lambda q: "fine" if q == "q1" else "broken",
                  scores=[tone()], local_dir=tmp_path, quiet=True)  # fmt: skip
    by_input = {c.input: c for c in result.cases}
    assert by_input["q1"].scores == {"tone": 1.0}
    assert by_input["q1"].score_metadata["tone"]["choice"] == "polite"
    assert by_input["q2"].scores == {}
    error = by_input["q2"].score_errors["tone"]
    assert error.type == "JudgeAnswerError" and "not json" in error.message
    assert result.summary["tone"].count == 1 and result.summary["tone"].errors == 1


def test_a_prompt_using_expected_skips_cases_without_one(fake: FakeLLMServer) -> None:
    judge = closed_qa(model="gpt-4o-mini")
    assert run(judge, input="q", output="a", expected=None) is None
    assert fake.requests == []
    fake.script(verdict("Y"))
    assert run(judge, input="2+2?", output="4", expected="says 4").value == 1.0
    assert "[Criterion]\nsays 4" in fake.requests[0].json["messages"][-1]["content"]


def test_missing_metadata_and_bad_definitions_say_what_is_wrong(fake: FakeLLMServer) -> None:
    with pytest.raises(
        JudgeAnswerError, match=r"uses \{\{metadata.topic\}\} but this case has no 'topic'"
    ):
        run(tone(), input="q", output="a", metadata={"other": 1})
    with pytest.raises(UsageError, match=r"the prompt uses \{\{answer\}\}"):
        llm_judge("j", "Rate {{answer}}", CHOICES, model="m")
    with pytest.raises(UsageError, match="give at least two labelled choices"):
        llm_judge("j", "Rate {{output}}", {"only": 1.0}, model="m")
    with pytest.raises(UsageError, match="choice 'great' has the value 2"):
        llm_judge("j", "Rate {{output}}", {"great": 2, "bad": 0}, model="m")
    assert fake.requests == []


def test_dotted_paths_reach_into_outputs_and_values_are_shown_as_json(fake: FakeLLMServer) -> None:
    judge = llm_judge("grounded", "Answer: {{output.answer}}\nSources: {{output.sources}}",
                      {"yes": 1, "no": 0}, model="gpt-4o-mini")  # fmt: skip
    fake.script(verdict("yes"))
    run(judge, output={"answer": "Paris", "sources": ["wiki", "atlas"]})
    prompt = fake.requests[0].json["messages"][-1]["content"]
    assert 'Answer: Paris\nSources: [\n  "wiki",\n  "atlas"\n]' in prompt


def test_providers_without_tools_get_structured_output(fake: FakeLLMServer) -> None:
    llm.configure_provider("plain", base_url=fake.openai_base_url, api_key="k", tools=False)
    fake.script(FakeReply(content=json.dumps({"reasoning": "curt", "choice": "rude"})))
    score = run(tone(model="plain/small-model"), input="q", output="a", metadata={"topic": "t"})
    assert score.value == 0.0 and score.metadata["rationale"] == "curt"
    body = fake.requests[0].json
    assert "tools" not in body and body["model"] == "small-model"
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["choice"]["enum"] == ["polite", "neutral", "rude"]


def test_an_anthropic_judge_forces_the_tool_the_anthropic_way(fake: FakeLLMServer) -> None:
    fake.script(verdict("polite"))
    judge = tone(model="claude-3-5-haiku-latest")
    assert run(judge, input="q", output="a", metadata={"topic": "t"}).value == 1.0
    (request,) = fake.requests
    assert request.path == "/v1/messages"
    assert request.json["tool_choice"] == {"type": "tool", "name": "submit_verdict"}
    assert "impartial evaluator" in request.json["system"]


def test_judge_calls_are_llm_spans(fake: FakeLLMServer, capture: Any) -> None:
    fake.script(verdict("polite"))
    run(tone(), input="q", output="a", metadata={"topic": "t"})
    import assay

    assay.flush()
    (span,) = [s for s in capture.spans if s["kind"] == "llm"]
    assert span["metrics"]["prompt_tokens"] > 0 and span["model"] == "gpt-4o-mini"
    assert span["output"]["tool_calls"][0]["function"]["name"] == "submit_verdict"


def test_built_in_judges_render_and_fork(fake: FakeLLMServer) -> None:
    judges = [factuality(), closed_qa(), answer_relevance(), faithfulness(), helpfulness(),
              safety(), summary_quality(), tool_call_correctness()]  # fmt: skip
    names = [j.name for j in judges]
    assert names == [
        "factuality", "closed_qa", "answer_relevance", "faithfulness",
        "helpfulness", "safety", "summary_quality", "tool_call_correctness",
    ]  # fmt: skip
    assert all(name in REGISTRY for name in names) and "llm_judge" in REGISTRY
    for judge in judges:
        assert len(judge.choices) >= 2 and all(0 <= v <= 1 for v in judge.choices.values())
        text = judge.render({"input": "IN", "output": "OUT", "expected": "EXP",
                             "metadata": {"context": "CTX", "tools": ["search"]}})  # fmt: skip
        assert "IN" in text and "OUT" in text
    assert "CTX" in faithfulness().render({"metadata": {"context": "CTX"}})
    strict = factuality(model="gpt-4o").fork(name="strict", choices={"C": 1.0, "D": 0.0})
    assert (strict.name, strict.model, strict.prompt) == ("strict", "gpt-4o", factuality().prompt)
    fake.script(verdict("C"))
    assert run(strict, input="q", output="Paris", expected="Paris").value == 1.0
    assert fake.requests[0].json["tools"][0]["function"]["parameters"]["properties"]["choice"][
        "enum"
    ] == ["C", "D"]


def test_the_default_model_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSAY_JUDGE_MODEL", "anthropic/claude-3-5-haiku-latest")
    assert safety().model == "anthropic/claude-3-5-haiku-latest"
    assert safety(model="gpt-4o").model == "gpt-4o"
