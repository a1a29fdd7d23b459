"""Mustache templates as prompts use them: what renders, what is listed, what is an error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from assay.errors import MissingVariableError, UsageError
from assay.sdk._mustache import Template, compile_template, variables


@dataclass
class Customer:
    name: str
    tier: str

    def shout(self) -> str:  # a method is not a value
        return self.name.upper()


CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("plain variable", "Hello {{name}}!", {"name": "Ada"}, "Hello Ada!"),
    (
        "spaces inside the tag",
        "Hello {{ name }} and {{#x}} yes {{/ x }}",
        {"name": "A", "x": 1},
        "Hello A and  yes ",
    ),
    ("adjacent tags", "{{a}}{{b}}{{a}}", {"a": "1", "b": "2"}, "121"),
    ("no html escaping", "{{x}}", {"x": "<b>&\"'</b>"}, "<b>&\"'</b>"),
    ("triple mustache is the same", "{{{x}}}|{{{ x }}}", {"x": "<i>"}, "<i>|<i>"),
    ("ampersand is the same", "{{&x}}|{{& x }}", {"x": "a&b"}, "a&b|a&b"),
    (
        "dotted names read dict keys",
        "{{user.address.city}}",
        {"user": {"address": {"city": "Oslo"}}},
        "Oslo",
    ),
    (
        "dotted names read attributes",
        "{{c.name}} ({{c.tier}})",
        {"c": Customer("Bo", "gold")},
        "Bo (gold)",
    ),
    (
        "numbers and booleans as text",
        "{{n}} {{f}} {{b}}",
        {"n": 3, "f": 0.5, "b": True},
        "3 0.5 True",
    ),
    (
        "dicts and lists as JSON",
        "{{d}} {{l}}",
        {"d": {"a": 1, "é": "ü"}, "l": [1, "x"]},
        '{"a": 1, "é": "ü"} [1, "x"]',
    ),
    ("None is empty", "[{{x}}]", {"x": None}, "[]"),
    (
        "unicode everywhere",
        "Grüß {{名前}}? {{name}} 🎉",
        {"名前": "x", "name": "Zoë"},
        "Grüß x? Zoë 🎉",
    ),
    ("empty template", "", {}, ""),
    ("text without tags", "just text", {}, "just text"),
    (
        "json braces are text",
        'Answer as {"a": 1, "b": {"c": [2]}}',
        {},
        'Answer as {"a": 1, "b": {"c": [2]}}',
    ),
    (
        "double braces that are no tag stay",
        '{{ "a": 1 }} and {{x}}',
        {"x": "X"},
        '{{ "a": 1 }} and X',
    ),
    ("an unclosed opener stays as text", "{{ not a tag {{x}} {{", {"x": "X"}, "{{ not a tag X {{"),
    ("a value holding a tag is not rendered again", "{{a}}", {"a": "{{b}}", "b": "no"}, "{{b}}"),
    ("comment disappears", "a{{! a note, {with} braces }}b", {}, "ab"),
    ("section on a truthy value", "{{#vip}}VIP {{/vip}}done", {"vip": True}, "VIP done"),
    ("section skipped when falsy", "{{#vip}}VIP {{/vip}}done", {"vip": False}, "done"),
    ("section skipped when missing", "{{#vip}}VIP {{/vip}}done", {}, "done"),
    ("section skipped for an empty list", "{{#xs}}<{{.}}>{{/xs}}!", {"xs": []}, "!"),
    ("section repeated for a list", "{{#xs}}<{{.}}>{{/xs}}", {"xs": ["a", "b", 3]}, "<a><b><3>"),
    (
        "list of dicts pushes each item",
        "{{#people}}{{name}}={{age}};{{/people}}",
        {"people": [{"name": "a", "age": 1}, {"name": "b", "age": 2}]},
        "a=1;b=2;",
    ),
    (
        "a dict section pushes the dict",
        "{{#user}}{{name}} in {{city}}{{/user}}",
        {"user": {"name": "Al"}, "city": "Rome"},
        "Al in Rome",
    ),
    (
        "inner names fall back outwards",
        "{{#items}}{{.}}@{{shop}} {{/items}}",
        {"items": ["x", "y"], "shop": "S"},
        "x@S y@S ",
    ),
    ("missing names inside a section are empty", "{{#on}}[{{nothing}}]{{/on}}", {"on": True}, "[]"),
    ("inverted section when missing", "{{^notes}}no notes{{/notes}}", {}, "no notes"),
    ("inverted section when empty list", "{{^notes}}no notes{{/notes}}", {"notes": []}, "no notes"),
    ("inverted section skipped when set", "{{^notes}}no notes{{/notes}}", {"notes": ["n"]}, ""),
    ("missing names inside an inverted section are empty", "{{^a}}[{{b}}]{{/a}}", {}, "[]"),
    (
        "nested sections with the same name",
        "{{#a}}({{#a}}{{b}}{{/a}}){{/a}}",
        {"a": {"a": {"b": "in"}, "b": "out"}},
        "(in)",
    ),
    (
        "nested lists",
        "{{#rows}}[{{#cells}}{{.}}{{/cells}}]{{/rows}}",
        {"rows": [{"cells": [1, 2]}, {"cells": [3]}]},
        "[12][3]",
    ),
    ("a method is not a value", "{{#c}}[{{shout}}]{{/c}}", {"c": Customer("a", "b")}, "[]"),
    ("a string has no attributes", "{{#xs}}[{{title}}]{{/xs}}", {"xs": ["hello"]}, "[]"),
]

STANDALONE: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "section lines leave no blank line",
        "Hi\n{{#vip}}\nVIP\n{{/vip}}\nBye",
        {"vip": True},
        "Hi\nVIP\nBye",
    ),
    ("skipped section leaves nothing", "Hi\n{{#vip}}\nVIP\n{{/vip}}\nBye", {}, "Hi\nBye"),
    (
        "indented section tags",
        "Hi\n  {{#xs}}\n  - {{.}}\n  {{/xs}}\nBye",
        {"xs": [1, 2]},
        "Hi\n  - 1\n  - 2\nBye",
    ),
    ("inverted section lines", "{{^x}}\nnone\n{{/x}}\nend", {}, "none\nend"),
    ("comment lines", "a\n{{! note }}\nb", {}, "a\nb"),
    ("crlf line ends", "a\r\n{{#x}}\r\nX\r\n{{/x}}\r\nb", {"x": 1}, "a\r\nX\r\nb"),
    ("a tag at the very end", "a\n{{#x}}\nX\n{{/x}}", {"x": 1}, "a\nX\n"),
    (
        "a section tag with text on its line is not standalone",
        "a {{#x}}X{{/x}}\nb",
        {"x": 1},
        "a X\nb",
    ),
    ("a variable alone on its line keeps its line", "a\n{{v}}\nb", {"v": "V"}, "a\nV\nb"),
    ("two tags on one line are not standalone", "a\n{{#x}}{{/x}}\nb", {"x": 1}, "a\n\nb"),
]


@pytest.mark.parametrize(
    ("source", "values", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_renders(source: str, values: dict[str, Any], expected: str) -> None:
    assert Template(source).render(values) == expected


@pytest.mark.parametrize(
    ("source", "values", "expected"), [c[1:] for c in STANDALONE], ids=[c[0] for c in STANDALONE]
)
def test_standalone_lines(source: str, values: dict[str, Any], expected: str) -> None:
    assert Template(source).render(values) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{company}} {{question}} {{company}}", ["company", "question"]),
        ("{{#vip}}{{perk}}{{/vip}} {{name}}", ["vip", "name"]),
        ("{{^notes}}{{fallback}}{{/notes}}", ["notes", "fallback"]),
        ("{{user.name}} {{user.age}} {{.}}", ["user"]),
        ("{{! only a comment }} {{{raw}}} {{&amp}}", ["raw", "amp"]),
        ('{"a": 1}', []),
        ("", []),
    ],
)
def test_variables_in_order_of_first_use(source: str, expected: list[str]) -> None:
    assert variables(source) == expected


def test_a_missing_top_level_variable_is_named() -> None:
    template = Template("You work for {{company}}.\nQuestion: {{question}}")
    with pytest.raises(MissingVariableError) as caught:
        template.render({"company": "ACME"})
    assert caught.value.name == "question"
    assert str(caught.value) == (
        "prompt variable 'question' is missing; pass build(question=...) "
        "(the template uses: company, question)"
    )


def test_a_missing_dotted_part_names_the_path() -> None:
    with pytest.raises(MissingVariableError) as caught:
        Template("{{user.name}}").render({"user": {"id": 1}})
    assert caught.value.name == "user.name"
    assert "'user' has no 'name'" in str(caught.value)


def test_a_variable_used_outside_and_inside_a_section_is_required() -> None:
    template = Template("{{#vip}}{{name}}{{/vip}} {{name}}")
    assert template.required == ("name",)
    with pytest.raises(MissingVariableError):
        template.render({"vip": True})


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a\n{{#items}}\nx", "section {{#items}} opened on line 2 is never closed; add {{/items}}"),
        ("{{^none}}x", "section {{^none}} opened on line 1 is never closed"),
        ("a\nb\n{{/items}}", "{{/items}} on line 3 closes no open section"),
        ("{{#a}}\n{{#b}}\n{{/a}}", "{{/a}} on line 3 does not match {{#b}} opened on line 2"),
    ],
)
def test_broken_sections_are_usage_errors_naming_tag_and_line(source: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        Template(source)
    assert message in str(caught.value)


def test_compiled_once_per_source() -> None:
    assert compile_template("{{x}} once") is compile_template("{{x}} once")


def test_rendering_does_not_change_the_values() -> None:
    values = {"xs": [{"n": 1}], "d": {"k": "v"}}
    Template("{{#xs}}{{n}}{{/xs}}{{d}}").render(values)
    assert values == {"xs": [{"n": 1}], "d": {"k": "v"}}
