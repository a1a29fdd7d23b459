"""LLM judges: a prompt template and labelled choices, answered through a forced tool call.

```python
from assay.scorers import llm_judge

tone = llm_judge(
    "tone",
    "Is this support answer polite?\\n\\nQuestion: {{input}}\\nAnswer: {{output}}",
    choices={"polite": 1.0, "neutral": 0.5, "rude": 0.0},
    model="gpt-4o-mini",
)
Eval("support-bot", data=..., task=..., scores=[tone])
```

The model must call the ``submit_verdict`` tool with one of the choices (after a written
rationale when ``use_cot``); providers configured without tools answer with the same fields as
structured JSON output. The score's value is the choice's value; the choice, the rationale,
the judge's name, version and model are kept in the score's metadata. An answer that names no
valid choice raises :class:`JudgeAnswerError`, which the eval records as the scorer's error for
that case: never a silent zero.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assay.errors import AssayError, UsageError
from assay.scorers._score import Score, scorer

#: The variables a judge prompt may use; each may be followed by a dotted path into its value.
VARIABLES = ("input", "output", "expected", "metadata")
TOOL_NAME = "submit_verdict"
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")
_SYSTEM = (
    "You are a careful, impartial evaluator. Read the task, judge only what it asks, and record "
    f"your verdict by calling the {TOOL_NAME} tool exactly once."
)


class JudgeAnswerError(AssayError):
    """The judge model's answer named no valid choice (or could not be read)."""


@dataclass(frozen=True, slots=True)
class _Slot:
    root: str
    path: tuple[str, ...]


def variables(prompt: str) -> list[str]:
    """The variables a prompt template uses, in order of first use (``metadata.topic`` as is)."""
    seen: dict[str, None] = {}
    for match in _VARIABLE.finditer(prompt):
        seen.setdefault(match.group(1), None)
    return list(seen)


def _parse_slots(prompt: str, name: str) -> dict[str, _Slot]:
    slots: dict[str, _Slot] = {}
    for var in variables(prompt):
        root, *path = var.split(".")
        if root not in VARIABLES:
            raise UsageError(
                f"judge {name!r}: the prompt uses {{{{{var}}}}}; a judge prompt may use "
                f"{', '.join('{{' + v + '}}' for v in VARIABLES)} (with .key paths into them)"
            )
        slots[var] = _Slot(root, tuple(path))
    return slots


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _lookup(value: Any, slot: _Slot, var: str, name: str) -> Any:
    for key in slot.path:
        if isinstance(value, Mapping) and key in value:
            value = value[key]
        elif isinstance(value, list | tuple) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            raise JudgeAnswerError(
                f"judge {name!r}: the prompt uses {{{{{var}}}}} but this case has no {key!r} "
                f"there (found {type(value).__name__} {_text(value)[:80]!r})"
            )
    return value


def _check_choices(choices: Mapping[str, float], name: str) -> dict[str, float]:
    if not isinstance(choices, Mapping) or len(choices) < 2:
        raise UsageError(
            f"judge {name!r}: choices is {choices!r:.80}; give at least two labelled choices, "
            'e.g. {"correct": 1.0, "incorrect": 0.0}'
        )
    out: dict[str, float] = {}
    for label, value in choices.items():
        if not isinstance(label, str) or not label.strip():
            raise UsageError(f"judge {name!r}: choice label {label!r} must be a non-empty string")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise UsageError(
                f"judge {name!r}: choice {label!r} has the value {value!r}; "
                "each choice's value must be a number between 0 and 1"
            )
        out[label] = float(value)
    return out


@dataclass(frozen=True)
class LLMJudge:
    """A scorer that asks a model to choose among labelled choices. Made by :func:`llm_judge`.

    Attributes:
        name: The judge's name; also the name of its scores unless ``score_name`` is set.
        prompt: The template, with ``{{input}}``, ``{{output}}``, ``{{expected}}`` and
            ``{{metadata.key}}`` variables.
        choices: Labels and the score each gives.
        model: Model name, routed by :mod:`assay.llm` (``"anthropic/claude-..."``, …).
        use_cot: Ask for a rationale before the choice.
        provider: Provider name, when the model name does not say it.
        params: Extra model parameters (temperature defaults to 0).
        version: The server-side version, for judges fetched with :func:`assay.judge`.
        score_name: Name of the scores, when it differs from the judge's name.
        cache: Reuse answers to identical calls from the on-disk cache (None: the setting).
        mode: ``"tool"`` (a forced tool call) or ``"json"`` (structured output); None picks
            ``"json"`` for providers configured without tools, else ``"tool"``.
    """

    name: str
    prompt: str
    choices: dict[str, float]
    model: str
    use_cot: bool = True
    provider: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    version: int | None = None
    score_name: str | None = None
    cache: bool | None = None
    mode: str | None = None
    _slots: dict[str, _Slot] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise UsageError(f"a judge needs a non-empty name, got {self.name!r}")
        if not isinstance(self.prompt, str) or not self.prompt.strip():
            raise UsageError(f"judge {self.name!r}: the prompt is empty; write the question to ask")
        if self.mode not in (None, "tool", "json"):
            raise UsageError(f"judge {self.name!r}: mode is {self.mode!r}; use 'tool' or 'json'")
        object.__setattr__(self, "choices", _check_choices(self.choices, self.name))
        object.__setattr__(self, "_slots", _parse_slots(self.prompt, self.name))

    # ------------------------------------------------------------------ as a scorer

    async def __call__(
        self, *, input: Any = None, output: Any = None, expected: Any = None, metadata: Any = None
    ) -> Score | None:
        """Score one case; None (skipped) when the prompt uses ``{{expected}}`` and it is None."""
        from assay import llm

        values = {"input": input, "output": output, "expected": expected, "metadata": metadata}
        if any(s.root == "expected" for s in self._slots.values()) and expected is None:
            return None
        messages = [
            {"role": "system", "content": _SYSTEM},
            {"role": "user", "content": self.render(values)},
        ]
        params = {"temperature": 0, **self.params}
        if self._mode() == "json":
            response = await llm.achat(
                messages,
                model=self.model,
                provider=self.provider,
                response_format=self._schema(),
                cache=self.cache,
                **params,
            )
            answer = response.parsed if isinstance(response.parsed, dict) else None
            raw = response.content or ""
        else:
            response = await llm.achat(
                messages,
                model=self.model,
                provider=self.provider,
                tools=[self._tool()],
                tool_choice={"name": TOOL_NAME},
                cache=self.cache,
                **params,
            )
            answer, raw = _tool_answer(response)
        choice, rationale = self._read(answer, raw)
        meta: dict[str, Any] = {"choice": choice, "judge": self.name, "model": response.model}
        if rationale is not None:
            meta["rationale"] = rationale
        if self.version is not None:
            meta["judge_version"] = self.version
        if response.cost is not None:
            meta["cost"] = response.cost
        return Score(self.score_name or self.name, self.choices[choice], meta)

    # ------------------------------------------------------------------ pieces

    def render(self, values: Mapping[str, Any]) -> str:
        """The prompt with its variables filled from ``values`` (input, output, …)."""
        slots = self._slots

        def fill(match: re.Match[str]) -> str:
            var = match.group(1)
            slot = slots[var]
            value = values.get(slot.root)
            if slot.path:
                value = _lookup(value if value is not None else {}, slot, var, self.name)
            return "" if value is None else _text(value)

        body = _VARIABLE.sub(fill, self.prompt)
        labels = ", ".join(json.dumps(c, ensure_ascii=False) for c in self.choices)
        how = (
            "First explain your reasoning step by step in `reasoning`, then give `choice`."
            if self.use_cot
            else "Give only `choice`."
        )
        return f"{body}\n\nAnswer with one of these choices: {labels}. {how}"

    def fork(self, **changes: Any) -> LLMJudge:
        """A copy with some fields changed (``prompt=``, ``choices=``, ``model=``, ``name=``, …).

        The copy has no server version: it is a new judge until it is pushed.
        """
        changes.setdefault("version", None)
        return dataclasses.replace(self, **changes)

    def definition(self) -> dict[str, Any]:
        """The judge as the body of ``POST /api/v1/projects/{project}/judges``.

        An explicit provider travels as the model's prefix (``"vllm/llama-3"``).
        """
        body: dict[str, Any] = {
            "name": self.name,
            "prompt": self.prompt,
            "choices": dict(self.choices),
            "model": self.model if not self.provider else f"{self.provider}/{self.model}",
            "use_cot": self.use_cot,
            "params": dict(self.params),
        }
        if self.score_name:
            body["score_name"] = self.score_name
        return body

    def _mode(self) -> str:
        if self.mode is not None:
            return self.mode
        from assay import llm

        return "tool" if llm.supports_tools(self.model, provider=self.provider) else "json"

    def _properties(self) -> dict[str, Any]:
        props: dict[str, Any] = {}
        if self.use_cot:
            props["reasoning"] = {
                "type": "string",
                "description": "Your reasoning, step by step, before choosing.",
            }
        props["choice"] = {"type": "string", "enum": list(self.choices)}
        return props

    def _schema(self) -> dict[str, Any]:
        """The JSON schema of a verdict: the reasoning (with ``use_cot``), then the choice."""
        props = self._properties()
        return {
            "title": "verdict",
            "type": "object",
            "properties": props,
            "required": list(props),
            "additionalProperties": False,
        }

    def _tool(self) -> dict[str, Any]:
        schema = {k: v for k, v in self._schema().items() if k != "title"}
        return {
            "name": TOOL_NAME,
            "description": "Record your verdict on the task.",
            "parameters": schema,
        }

    def _read(self, answer: Any, raw: str) -> tuple[str, str | None]:
        """The choice and rationale of an answer, or :class:`JudgeAnswerError`."""
        if not isinstance(answer, dict):
            raise JudgeAnswerError(
                f"judge {self.name!r} (model {self.model!r}) gave no readable verdict: "
                f"{raw[:200]!r}; expected a {TOOL_NAME} call with a choice among "
                f"{list(self.choices)}"
            )
        choice = _match_choice(answer.get("choice"), self.choices)
        if choice is None:
            raise JudgeAnswerError(
                f"judge {self.name!r} (model {self.model!r}) chose {answer.get('choice')!r}, "
                f"which is not one of the choices {list(self.choices)}"
            )
        reasoning = answer.get("reasoning")
        return choice, reasoning if isinstance(reasoning, str) else None


def _tool_answer(response: Any) -> tuple[dict[str, Any] | None, str]:
    for call in response.tool_calls:
        if call.name == TOOL_NAME:
            return call.arguments, call.raw_arguments
    content = response.content or ""
    try:  # some OpenAI-compatible servers answer a forced tool call with JSON text
        parsed = json.loads(content)
    except ValueError:
        return None, content
    return (parsed if isinstance(parsed, dict) else None), content


def _match_choice(value: Any, choices: Mapping[str, float]) -> str | None:
    if not isinstance(value, str):
        return None
    if value in choices:
        return value
    bare = value.strip().strip("()[]\"'.").strip()
    for label in choices:
        if label.casefold() == bare.casefold():
            return label
    return None


@scorer
def llm_judge(
    name: str,
    prompt: str,
    choices: Mapping[str, float],
    *,
    model: str | None = None,
    use_cot: bool = True,
    provider: str | None = None,
    score_name: str | None = None,
    cache: bool | None = None,
    mode: str | None = None,
    **params: Any,
) -> LLMJudge:
    """Make an LLM judge: a scorer that asks ``model`` to pick one of ``choices``.

    Args:
        name: The judge's name (and its scores' name).
        prompt: Template with ``{{input}}``, ``{{output}}``, ``{{expected}}`` and
            ``{{metadata.key}}`` (dotted paths reach into dicts, e.g. ``{{output.answer}}``).
            When it uses ``{{expected}}``, cases without one are skipped.
        choices: Labels the model chooses among, each with its score in [0, 1].
        model: Model name; default the ``judge_model`` setting (``ASSAY_JUDGE_MODEL``).
        use_cot: Ask for the reasoning before the choice (kept as the score's rationale).
        provider: Provider name when the model name does not say it.
        score_name: Name of the scores, when it should differ from ``name``.
        cache: Reuse identical calls from the on-disk cache; None follows ``ASSAY_LLM_CACHE``.
        mode: ``"tool"`` or ``"json"``; None decides by the provider.
        **params: Model parameters (temperature defaults to 0).

    Returns:
        The judge, usable anywhere a scorer is.

    Raises:
        UsageError: The prompt uses an unknown variable, or the choices are not labelled
            numbers in [0, 1].
    """
    if model is None:
        from assay.config import get

        model = str(get("judge_model"))
    return LLMJudge(
        name=name,
        prompt=prompt,
        choices=dict(choices),
        model=model,
        use_cot=use_cot,
        provider=provider,
        params=dict(params),
        score_name=score_name,
        cache=cache,
        mode=mode,
    )
