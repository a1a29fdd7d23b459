"""Prompt.build / build_anthropic / render: what an agent passes to its model client."""

from __future__ import annotations

from typing import Any

import pytest

import assay
from assay.errors import MissingVariableError, UsageError
from assay.sdk._prompt import PromptMessages
from assay.testing.capture import SpanCapture

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "search",
            "description": "Search the docs.",
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}},
        },
    }
]


def make(**overrides: Any) -> assay.Prompt:
    fields: dict[str, Any] = {
        "project": "support-bot",
        "name": "answer",
        "version": 3,
        "label": "production",
        "model": "gpt-4o-mini",
        "messages": [
            {
                "role": "system",
                "content": "You work for {{company}}.{{#vip}} Be extra kind.{{/vip}}",
            },
            {"role": "user", "content": "{{question}}"},
        ],
        "params": {"temperature": 0.2},
    }
    fields.update(overrides)
    return assay.Prompt(**fields)


def test_build_gives_openai_keyword_arguments() -> None:
    kwargs = make(tools=TOOLS, response_format={"type": "json_object"}).build(
        company="ACME", question="Where is my order?"
    )
    assert kwargs == {
        "model": "gpt-4o-mini",
        "temperature": 0.2,
        "messages": [
            {"role": "system", "content": "You work for ACME."},
            {"role": "user", "content": "Where is my order?"},
        ],
        "tools": TOOLS,
        "response_format": {"type": "json_object"},
    }


def test_build_leaves_out_tools_and_response_format_when_unset() -> None:
    kwargs = make().build(company="A", question="q", vip=True)
    assert set(kwargs) == {"model", "temperature", "messages"}
    assert kwargs["messages"][0]["content"] == "You work for A. Be extra kind."


def test_built_messages_remember_the_prompt_version() -> None:
    messages = make().build(company="A", question="q")["messages"]
    assert isinstance(messages, PromptMessages)
    assert (messages.prompt_name, messages.prompt_version) == ("answer", 3)
    assert messages == [
        {"role": "system", "content": "You work for A."},
        {"role": "user", "content": "q"},
    ]


def test_a_missing_variable_names_it_and_lists_all_the_prompt_uses() -> None:
    with pytest.raises(MissingVariableError) as caught:
        make().build(company="ACME")
    assert caught.value.name == "question"
    assert str(caught.value) == (
        "prompt variable 'question' is missing; pass build(question=...) "
        "(the template uses: company, vip, question)"
    )


def test_variables_cover_every_message_in_order() -> None:
    assert make().variables == ["company", "vip", "question"]


def test_render_fills_the_messages() -> None:
    rendered = make().render({"company": "B", "question": "hi {{company}}"})
    assert rendered == [
        {"role": "system", "content": "You work for B."},
        {"role": "user", "content": "hi {{company}}"},
    ]


def test_the_template_messages_are_left_untouched() -> None:
    prompt = make()
    prompt.build(company="A", question="q")
    assert prompt.messages[1] == {"role": "user", "content": "{{question}}"}


def test_build_anthropic_separates_the_system_prompt() -> None:
    kwargs = make(tools=TOOLS).build_anthropic(company="ACME", question="Hi")
    assert kwargs == {
        "model": "gpt-4o-mini",
        "max_tokens": 1024,
        "extra_body": {"temperature": 0.2},
        "system": "You work for ACME.",
        "messages": [{"role": "user", "content": "Hi"}],
        "tools": [
            {
                "name": "search",
                "description": "Search the docs.",
                "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}},
            }
        ],
    }
    assert isinstance(kwargs["messages"], PromptMessages)


def test_build_anthropic_keeps_max_tokens_and_translates_openai_parameters() -> None:
    prompt = make(
        messages=[{"role": "user", "content": "{{q}}"}],
        params={"max_tokens": 50, "stop": "END", "seed": 7, "frequency_penalty": 0.1, "top_p": 0.9},
    )
    kwargs = prompt.build_anthropic(q="x")
    assert kwargs == {
        "model": "gpt-4o-mini",
        "max_tokens": 50,
        "stop_sequences": ["END"],
        "extra_body": {"top_p": 0.9},
        "messages": [{"role": "user", "content": "x"}],
    }
    assert "system" not in kwargs


def test_max_completion_tokens_becomes_max_tokens_for_anthropic() -> None:
    prompt = make(messages=[{"role": "user", "content": "x"}], params={"max_completion_tokens": 99})
    assert prompt.build_anthropic()["max_tokens"] == 99


def test_a_malformed_template_is_refused_when_the_prompt_is_made() -> None:
    with pytest.raises(UsageError, match=r"\{\{#vip\}\} opened on line 1 is never closed"):
        make(messages=[{"role": "user", "content": "{{#vip}} hi"}])


def test_from_api_reads_the_resolve_answer() -> None:
    answer = {
        "prompt": "answer",
        "version": 5,
        "messages": [{"role": "user", "content": "{{q}}"}],
        "model": "claude-3-5-haiku",
        "params": {"max_tokens": 10},
        "tools": None,
        "response_format": None,
        "labels": ["production"],
        "variables": ["q"],
        "created_at": "2026-01-01T00:00:00Z",
    }
    prompt = assay.Prompt.from_api(answer, project="p", label="production")
    assert (prompt.name, prompt.version, prompt.label, prompt.model) == (
        "answer",
        5,
        "production",
        "claude-3-5-haiku",
    )
    assert prompt.build(q="x")["max_tokens"] == 10
    assert repr(prompt) == "<Prompt p/answer v5 label='production' model='claude-3-5-haiku'>"


def test_build_inside_a_span_records_the_prompt_on_it() -> None:
    capture = SpanCapture()
    client = assay.init(project="test", exporter=capture, flush_interval=0.05)
    try:
        with assay.span("handle", kind="agent"):
            make().build(company="A", question="q")
        make().build(company="A", question="q")  # outside any span: nothing to record on
        [span] = capture.flush()
    finally:
        client.shutdown(timeout=5)
    assert span["metadata"]["prompt"] == "answer"
    assert span["metadata"]["prompt_version"] == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"label": "production", "version": 2}, "give one of them"),
        ({"version": 0}, "versions start at 1"),
    ],
)
def test_load_prompt_refuses_contradicting_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        assay.load_prompt("p", "answer", api_url="http://127.0.0.1:9", **kwargs)
