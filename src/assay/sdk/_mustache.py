"""Mustache templates for prompts: ``{{var}}``, ``{{a.b}}``, sections ``{{#x}}…{{/x}}`` and
inverted sections ``{{^x}}…{{/x}}`` for optional blocks, comments ``{{! … }}``.

Values are inserted as they are (no HTML escaping: a prompt is not a web page); ``{{{x}}}`` and
``{{&x}}`` mean the same. A template is compiled once; rendering a missing variable raises
:class:`~assay.errors.MissingVariableError` naming it (a variable used only inside a section or
an inverted section may be missing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Template:
    """A compiled template.

    Attributes:
        source: The template text.
        variables: Top-level names it uses, in order of first use, without duplicates.
    """

    source: str
    variables: tuple[str, ...]

    def __init__(self, source: str) -> None:
        raise NotImplementedError

    def render(self, values: Mapping[str, Any]) -> str:
        """The template with ``values`` filled in (MissingVariableError for a missing one)."""
        raise NotImplementedError


def compile_template(source: str) -> Template:
    """``Template(source)``, cached by source."""
    raise NotImplementedError


def variables(source: str) -> list[str]:
    """The top-level variables of a template, in order of first use."""
    return list(compile_template(source).variables)
