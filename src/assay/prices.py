"""Model prices in USD per million tokens, and the cost of one call.

The built-in table (``prices.json`` next to this module) covers common OpenAI and Anthropic
models and a few open ones. A model name matches a key exactly, through an alias, or as a prefix
followed by ``-``, ``:`` or ``@`` (the longest key wins), so ``gpt-4o-mini-2024-07-18`` costs what
``gpt-4o-mini`` costs. Names are lower-cased and a ``provider/`` prefix is dropped first.

Your own prices win over the table, in this order: :func:`register`, then a JSON file named by
``ASSAY_PRICES_FILE`` (same shape as ``prices.json``, or a bare ``{"model": {"input": ..,
"output": ..}}`` mapping), then the built-in table.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay import config
from assay.errors import ConfigError

__all__ = ["Price", "cost", "lookup", "register", "reset"]

_BUILTIN = Path(__file__).with_name("prices.json")
_PROVIDER_PREFIX = re.compile(r"^(?:[a-z]{2}\.)?(?:anthropic|openai)\.")


@dataclass(frozen=True, slots=True)
class Price:
    """What one million tokens of a model cost, in USD.

    Attributes:
        model: The table key the name matched.
        input_per_mtok: Price of a million prompt (input) tokens.
        output_per_mtok: Price of a million completion (output) tokens.
    """

    model: str
    input_per_mtok: float
    output_per_mtok: float


class _Table:
    """The merged price table, loaded on first use."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.registered: dict[str, Price] = {}
        self.merged: dict[str, Price] | None = None
        self.aliases: dict[str, str] = {}
        self.cache: dict[str, Price | None] = {}

    def load(self) -> dict[str, Price]:
        merged = self.merged
        if merged is not None:
            return merged
        with self.lock:
            if self.merged is None:
                models, aliases = _read(_BUILTIN, "the built-in price table")
                path = str(config.get("prices_file") or "")
                if path:
                    extra_models, extra_aliases = _read(
                        Path(path).expanduser(), "ASSAY_PRICES_FILE"
                    )
                    models.update(extra_models)
                    aliases.update(extra_aliases)
                models.update(self.registered)
                self.aliases = aliases
                self.cache = {}
                self.merged = models
            return self.merged


_table = _Table()


def _read(path: Path, what: str) -> tuple[dict[str, Price], dict[str, str]]:
    try:
        data = json.loads(path.read_text())
    except OSError as exc:
        raise ConfigError(
            f"{what} {str(path)!r} cannot be read ({exc.strerror}); "
            "fix the path or unset ASSAY_PRICES_FILE"
        ) from None
    except ValueError as exc:
        raise ConfigError(f"{what} {str(path)!r} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"{what} {str(path)!r} must hold a JSON object, not {type(data).__name__}"
        )
    raw_models = data.get("models", data if "aliases" not in data else {})
    models = {}
    for name, entry in raw_models.items():
        if name.startswith("_") or name in ("updated", "aliases"):
            continue
        models[_normalize(name)] = _entry(name, entry, path, what)
    aliases = {_normalize(k): _normalize(str(v)) for k, v in data.get("aliases", {}).items()}
    return models, aliases


def _entry(name: str, entry: Any, path: Path, what: str) -> Price:
    try:
        return Price(_normalize(name), float(entry["input"]), float(entry["output"]))
    except (TypeError, KeyError, ValueError):
        raise ConfigError(
            f"{what} {str(path)!r}: model {name!r} has {entry!r}; "
            'write it as {"input": <USD per 1M tokens>, "output": <USD per 1M tokens>}'
        ) from None


def _normalize(model: str) -> str:
    name = model.strip().lower().rsplit("/", 1)[-1]
    return _PROVIDER_PREFIX.sub("", name)


def lookup(model: str | None) -> Price | None:
    """The price of ``model``, or None when no key of the table matches it.

    Args:
        model: A model name as the provider reports it, e.g. ``gpt-4o-mini-2024-07-18``.
    """
    if not model:
        return None
    table = _table.load()
    cached = _table.cache.get(model, _MISSING)
    if cached is not _MISSING:
        return cached  # type: ignore[return-value]
    found = _match(_normalize(model), table, _table.aliases)
    _table.cache[model] = found
    return found


_MISSING = object()


def _match(name: str, table: dict[str, Price], aliases: dict[str, str]) -> Price | None:
    if name in table:
        return table[name]
    if name in aliases:
        return table.get(aliases[name])
    best = ""
    for key in (*table, *aliases):
        if len(key) > len(best) and name.startswith(key) and name[len(key)] in "-:@":
            best = key
    if not best:
        return None
    return table.get(best) or table.get(aliases.get(best, ""))


def cost(
    model: str | None, prompt_tokens: float | None, completion_tokens: float | None
) -> float | None:
    """USD cost of one call, or None when the model's price is unknown.

    Args:
        model: The model name.
        prompt_tokens: Input tokens (None counts as 0).
        completion_tokens: Output tokens (None counts as 0).

    Example:
        >>> cost("gpt-4o-mini", 1_000_000, 0)
        0.15
    """
    price = lookup(model)
    if price is None or (prompt_tokens is None and completion_tokens is None):
        return None
    total = (prompt_tokens or 0) * price.input_per_mtok + (
        completion_tokens or 0
    ) * price.output_per_mtok
    return total / 1_000_000


def register(model: str, *, input_per_mtok: float, output_per_mtok: float) -> None:
    """Set the price of ``model`` (and of names it prefixes), overriding the table.

    Args:
        model: A model name or name prefix, e.g. ``my-finetune`` or ``gpt-4o``.
        input_per_mtok: USD per million input tokens.
        output_per_mtok: USD per million output tokens.
    """
    if input_per_mtok < 0 or output_per_mtok < 0:
        raise ConfigError(
            f"price of {model!r} is ({input_per_mtok}, {output_per_mtok}); "
            "prices per million tokens cannot be negative"
        )
    key = _normalize(model)
    with _table.lock:
        _table.registered[key] = Price(key, float(input_per_mtok), float(output_per_mtok))
        _table.merged = None


def reset() -> None:
    """Forget registered prices and read ``ASSAY_PRICES_FILE`` again on next use."""
    with _table.lock:
        _table.registered.clear()
        _table.merged = None
