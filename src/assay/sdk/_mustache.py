"""Mustache templates for prompts: ``{{var}}``, ``{{a.b}}``, sections ``{{#x}}…{{/x}}`` and
inverted sections ``{{^x}}…{{/x}}`` for optional blocks, comments ``{{! … }}``.

Values are inserted as they are (no HTML escaping: a prompt is not a web page); ``{{{x}}}`` and
``{{&x}}`` mean the same. A template is compiled once; rendering a missing variable raises
:class:`~assay.errors.MissingVariableError` naming it (a variable used only inside a section or
an inverted section may be missing).

Details:

- A name is looked up in the innermost section's value first, then outwards; ``{{.}}`` is the
  current item. Each dotted step reads a mapping key, then a (non-callable) attribute.
- A section is skipped when its value is missing or falsy (None, False, 0, "", [] or {}),
  repeated once per item of a list or tuple (the item pushed on the context), and rendered
  once with the value pushed otherwise. An inverted section renders only when it would skip.
- Strings go in as they are, dicts and lists as JSON, anything else through ``str``; None is
  empty. A value is never rendered again: ``{{x}}`` inside a value stays as it is.
- A line holding only a section tag, a closing tag or a comment (and spaces) leaves nothing
  behind, so optional blocks written on their own lines leave no blank lines.
- ``{{`` that does not start a valid tag (``{{ "a": 1 }}``) is kept as text.
- :attr:`Template.variables` lists the names the template reads from the values given at the
  top: names outside any section, in inverted sections, and the section names themselves
  (names inside a section are read from the section's value first, so they are not listed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from assay.errors import MissingVariableError, UsageError

_TAG = re.compile(
    r"\{\{(?:\{\s*(?P<triple>[^{}]*?)\s*\}\}\}"
    r"|(?P<sigil>[#^/&!]?)\s*(?P<body>(?:(?!\{\{).)*?)\s*\}\})",
    re.DOTALL,
)
_NAME = re.compile(r"^(?:\.|[^\W\d][\w-]*(?:\.[\w-]+)*)$")
_MISSING: Any = object()
_STANDALONE = frozenset("#^/!")


@dataclass(slots=True)
class _Var:
    name: str
    path: tuple[str, ...]


@dataclass(slots=True)
class _Section:
    name: str
    path: tuple[str, ...]
    inverted: bool
    line: int
    children: list[_Node] = field(default_factory=list)


_Node = str | _Var | _Section


class Template:
    """A compiled template.

    Attributes:
        source: The template text.
        variables: Top-level names it uses, in order of first use, without duplicates.
        required: The names it uses outside any section: rendering without one is an error.
    """

    __slots__ = ("_nodes", "required", "source", "variables")

    source: str
    variables: tuple[str, ...]
    required: tuple[str, ...]

    def __init__(self, source: str) -> None:
        self.source = source
        self._nodes = _parse(source)
        names: dict[str, None] = {}
        required: dict[str, None] = {}
        _collect(self._nodes, names, required, in_section=False, in_inverted=False)
        self.variables = tuple(names)
        self.required = tuple(required)

    def render(self, values: Mapping[str, Any]) -> str:
        """The template with ``values`` filled in (MissingVariableError for a missing one)."""
        out: list[str] = []
        _render(self._nodes, [values], out, strict=True, uses=self.variables)
        return "".join(out)

    def __repr__(self) -> str:
        return f"<Template variables={list(self.variables)}>"


@lru_cache(maxsize=2048)
def compile_template(source: str) -> Template:
    """``Template(source)``, cached by source."""
    return Template(source)


def variables(source: str) -> list[str]:
    """The top-level variables of a template, in order of first use."""
    return list(compile_template(source).variables)


def missing_variable(name: str, uses: tuple[str, ...] | list[str]) -> MissingVariableError:
    """The error for a variable the values lack, listing what the template uses."""
    head = name.split(".", 1)[0]
    if head != name:
        message = f"prompt variable {name!r} is missing: {head!r} has no {name[len(head) + 1 :]!r}"
    else:
        message = f"prompt variable {name!r} is missing; pass build({name}=...)"
    return MissingVariableError(
        f"{message} (the template uses: {', '.join(uses) or 'no variables'})", name=name
    )


# ------------------------------------------------------------------------------ parsing


def _parse(source: str) -> list[_Node]:
    root: list[_Node] = []
    stack: list[_Section] = []
    nodes = root
    pos = 0
    counted, line = 0, 1
    for match in _TAG.finditer(source):
        start, end = match.span()
        if start < pos:  # inside a standalone line already consumed
            continue
        kind, name = _tag(match)
        if kind is None:
            continue
        text_end, next_pos = start, end
        if kind in _STANDALONE:
            text_end, next_pos = _standalone(source, start, end, pos)
        if text_end > pos:
            nodes.append(source[pos:text_end])
        pos = next_pos
        line += source.count("\n", counted, start)
        counted = start
        if kind in ("#", "^"):
            section = _Section(name, _path(name), kind == "^", line)
            nodes.append(section)
            stack.append(section)
            nodes = section.children
        elif kind == "/":
            _close(stack, name, line)
            nodes = stack[-1].children if stack else root
        elif kind == "":
            nodes.append(_Var(name, _path(name)))
    if pos < len(source):
        nodes.append(source[pos:])
    if stack:
        open_ = stack[-1]
        sigil = "^" if open_.inverted else "#"
        raise UsageError(
            f"section {{{{{sigil}{open_.name}}}}} opened on line {open_.line} is never closed; "
            f"add {{{{/{open_.name}}}}} where it ends"
        )
    return root


def _tag(match: re.Match[str]) -> tuple[str | None, str]:
    """The tag's kind ('' for a variable, '#', '^', '/', '!') and name; None: not a tag."""
    triple = match.group("triple")
    if triple is not None:
        return ("", triple) if _NAME.match(triple) else (None, "")
    sigil, body = match.group("sigil"), match.group("body")
    if sigil == "!":
        return "!", ""
    if not _NAME.match(body):
        return None, ""
    return ("" if sigil == "&" else sigil), body


def _standalone(source: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """Where the text before a tag ends and the text after it starts: a tag alone on its line
    takes the whole line (its indentation and line break) with it."""
    line_start = source.rfind("\n", 0, start) + 1
    if line_start < pos or source[line_start:start].strip(" \t"):
        return start, end
    line_end = source.find("\n", end)
    after = source[end : len(source) if line_end < 0 else line_end]
    if after.strip(" \t\r"):
        return start, end
    return line_start, len(source) if line_end < 0 else line_end + 1


def _close(stack: list[_Section], name: str, line: int) -> None:
    if not stack:
        raise UsageError(
            f"{{{{/{name}}}}} on line {line} closes no open section; "
            f"remove it or open one with {{{{#{name}}}}}"
        )
    open_ = stack.pop()
    if open_.name != name:
        raise UsageError(
            f"{{{{/{name}}}}} on line {line} does not match {{{{#{open_.name}}}}} opened on "
            f"line {open_.line}; close it with {{{{/{open_.name}}}}} first"
        )


def _path(name: str) -> tuple[str, ...]:
    return (".",) if name == "." else tuple(name.split("."))


def _collect(
    nodes: list[_Node],
    names: dict[str, None],
    required: dict[str, None],
    *,
    in_section: bool,
    in_inverted: bool,
) -> None:
    for node in nodes:
        if isinstance(node, str):
            continue
        top = node.path[0]
        if not in_section and top != ".":
            names[top] = None
            if isinstance(node, _Var) and not in_inverted:
                required[top] = None
        if isinstance(node, _Section):
            _collect(
                node.children,
                names,
                required,
                in_section=in_section or not node.inverted,
                in_inverted=True,
            )


# ------------------------------------------------------------------------------ rendering


def _render(
    nodes: list[_Node], stack: list[Any], out: list[str], *, strict: bool, uses: tuple[str, ...]
) -> None:
    for node in nodes:
        if type(node) is str:
            out.append(node)
        elif type(node) is _Var:
            value = _lookup(stack, node.path)
            if value is _MISSING:
                if strict:
                    raise _missing(stack, node.path, uses)
                continue
            out.append(_text(value))
        else:
            assert isinstance(node, _Section)
            _section(node, stack, out, uses)


def _section(node: _Section, stack: list[Any], out: list[str], uses: tuple[str, ...]) -> None:
    value = _lookup(stack, node.path)
    falsy = value is _MISSING or not value
    if node.inverted:
        if falsy:
            _render(node.children, stack, out, strict=False, uses=uses)
        return
    if falsy:
        return
    items = value if isinstance(value, list | tuple) else (value,)
    for item in items:
        stack.append(item)
        try:
            _render(node.children, stack, out, strict=False, uses=uses)
        finally:
            stack.pop()


def _lookup(stack: list[Any], path: tuple[str, ...]) -> Any:
    head = path[0]
    if head == ".":
        return stack[-1]
    if len(path) == 1 and len(stack) == 1 and type(stack[0]) is dict:  # the common case
        return stack[0].get(head, _MISSING)
    for frame in reversed(stack):
        value = _get(frame, head)
        if value is not _MISSING:
            break
    else:
        return _MISSING
    for step in path[1:]:
        value = _get(value, step)
        if value is _MISSING:
            return _MISSING
    return value


def _get(frame: Any, key: str) -> Any:
    if type(frame) is dict or isinstance(frame, Mapping):
        if key in frame:
            return frame[key]
        return _MISSING
    if frame is None or key.startswith("_") or type(frame) in _PLAIN:
        return _MISSING
    value = getattr(frame, key, _MISSING)
    if value is _MISSING or callable(value):
        return _MISSING
    return value


_PLAIN = frozenset({str, bytes, int, float, bool, list, tuple})


def _text(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _missing(stack: list[Any], path: tuple[str, ...], uses: tuple[str, ...]) -> Exception:
    head = path[0]
    if _lookup(stack, (head,)) is _MISSING:
        return missing_variable(head, uses)
    return missing_variable(".".join(path), uses)
