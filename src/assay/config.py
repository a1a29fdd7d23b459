"""Every ``ASSAY_*`` setting, declared once.

Precedence: an explicit argument, then the environment variable, then ``assay.toml`` in the
working directory (table ``[assay]``, keys are the setting names in lower case), then the default.
``python -m assay.config`` prints the table; a test checks that each setting is documented in
``docs/configuration.md``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its name, environment variable, type, default and a line of docs."""

    name: str
    type: type
    default: Any
    doc: str

    @property
    def env(self) -> str:
        return "ASSAY_" + self.name.upper()


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        # --- client side (SDK)
        Setting(
            "api_url",
            str,
            "http://127.0.0.1:8700",
            "Base URL of the assay server the SDK sends to.",
        ),
        Setting("api_key", str, "", "Project API key the SDK sends as a Bearer token."),
        Setting("project", str, "default", "Project the SDK logs to when init() names none."),
        Setting(
            "tracing",
            bool,
            True,
            "Set to false to send no spans (spans are still made, so context keeps working).",
        ),
        Setting(
            "max_queue_size", int, 200_000, "Spans the SDK buffers before dropping the oldest."
        ),
        Setting("batch_size", int, 1000, "Spans per export request."),
        Setting("flush_interval", float, 0.5, "Seconds between background exports."),
        Setting("compression", str, "gzip", "Export compression: gzip or none."),
        Setting(
            "prices_file",
            str,
            "",
            "JSON file of model prices (USD per 1M tokens) that override the built-in table.",
        ),
        Setting("judge_model", str, "gpt-4o-mini", "Model LLM judges use when they name none."),
        Setting(
            "llm_max_retries",
            int,
            4,
            "Retries of a model call on 429, 5xx, timeouts and connection errors (assay.llm).",
        ),
        Setting(
            "llm_concurrency",
            int,
            16,
            "Most model calls in flight at once per provider, across the whole process.",
        ),
        Setting("llm_cache", bool, False, "Cache identical model calls on disk (assay.llm)."),
        Setting(
            "llm_cache_dir",
            str,
            "",
            "Folder of the model-call cache; empty means <data_dir>/llm-cache.",
        ),
        Setting(
            "prompt_cache_ttl",
            float,
            60.0,
            "Seconds load_prompt answers from memory before refreshing in the background.",
        ),
        Setting(
            "prompt_cache_dir",
            str,
            "",
            "Folder of load_prompt's last-known-good copies; empty means <data_dir>/prompt-cache.",
        ),
        # --- server side
        Setting("data_dir", str, "~/.assay", "Folder of the embedded SQLite database."),
        Setting(
            "database_url",
            str,
            "",
            "SQLAlchemy URL; empty means sqlite in data_dir. postgresql://... for PostgreSQL.",
        ),
        Setting("host", str, "127.0.0.1", "Address assay serve binds to."),
        Setting("port", int, 8700, "Port assay serve listens on."),
        Setting(
            "max_body_bytes",
            int,
            32 * 1024 * 1024,
            "Largest request body the server reads (after decompression); larger is a 413.",
        ),
        Setting("max_batch_spans", int, 10_000, "Most spans accepted in one ingest request."),
        Setting(
            "inline_limit",
            int,
            64 * 1024,
            "Input/output/metadata larger than this many bytes go to the blob table.",
        ),
        Setting("log_level", str, "info", "Server log level."),
        Setting(
            "secret_key",
            str,
            "",
            "Key that encrypts provider keys at rest; empty means a key file in data_dir.",
        ),
        Setting(
            "public_url",
            str,
            "",
            "URL people open the web UI at, for links in alerts; empty means http://HOST:PORT.",
        ),
        # --- authentication and limits
        Setting(
            "auth",
            bool,
            False,
            "Require sign-in or an API key (needed to bind a non-loopback address).",
        ),
        Setting("session_hours", float, 168.0, "How long a browser session lasts without use."),
        Setting("oidc_issuer", str, "", "OpenID Connect issuer URL; empty turns OIDC sign-in off."),
        Setting("oidc_client_id", str, "", "OpenID Connect client id."),
        Setting("oidc_client_secret", str, "", "OpenID Connect client secret."),
        Setting(
            "login_attempts",
            int,
            10,
            "Failed sign-ins per account, and per address, in 15 minutes before sign-in stops.",
        ),
        Setting("rate_limit", int, 6000, "Requests per API key per minute; 0 means no limit."),
        Setting(
            "max_string_length",
            int,
            1_000_000,
            "Longest string accepted in any field of a request body.",
        ),
        Setting(
            "retention_interval", float, 3600.0, "Seconds between two runs of the retention job."
        ),
        # --- jobs and workers (online evaluation)
        Setting(
            "worker", bool, True, "Run a job worker inside assay serve (assay worker adds more)."
        ),
        Setting("worker_concurrency", int, 8, "Jobs one worker runs at the same time."),
        Setting("worker_poll_interval", float, 0.5, "Seconds an idle worker waits between polls."),
        Setting(
            "job_lease_seconds",
            float,
            60.0,
            "How long a claimed job is held before another worker may take it over.",
        ),
        Setting("job_max_attempts", int, 10, "Attempts of a job before it is dead-lettered."),
        Setting(
            "job_backoff_base",
            float,
            2.0,
            "Seconds before the first retry of a failed job; each retry doubles it.",
        ),
        Setting(
            "job_backoff_cap",
            float,
            300.0,
            "Longest wait between retries of a failed job, in seconds.",
        ),
        Setting("alert_interval", float, 60.0, "Seconds between evaluations of the alerts."),
    ]
}


def _parse(setting: Setting, raw: Any, source: str) -> Any:
    if setting.type is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{source} is {raw!r}; use true or false")
    try:
        return setting.type(raw)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{source} is {raw!r}; it must be a {setting.type.__name__} ({setting.doc})"
        ) from None


_toml_cache: dict[tuple[str, float], dict[str, Any]] = {}


def _toml_values() -> dict[str, Any]:
    """The ``[assay]`` table of ./assay.toml, read again only when the file changes."""
    path = Path("assay.toml")
    try:
        key = (str(path.resolve()), path.stat().st_mtime)
    except OSError:
        return {}
    if key in _toml_cache:
        return _toml_cache[key]
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"assay.toml cannot be read: {exc}") from None
    section = data.get("assay", {})
    values = section if isinstance(section, dict) else {}
    _toml_cache.clear()
    _toml_cache[key] = values
    return values


def get(name: str, explicit: Any = None) -> Any:
    """Return setting ``name`` following the documented precedence."""
    setting = SETTINGS[name]
    if explicit is not None:
        return explicit
    raw = os.environ.get(setting.env)
    if raw is not None:
        return _parse(setting, raw, setting.env)
    toml = _toml_values()
    if name in toml:
        return _parse(setting, toml[name], f"assay.toml key {name!r}")
    return setting.default


def data_dir() -> Path:
    """The data folder, with ``~`` expanded."""
    return Path(str(get("data_dir"))).expanduser()


def database_url(explicit: str | None = None) -> str:
    """The database URL: explicit, ``ASSAY_DATABASE_URL``, or SQLite in the data folder."""
    url = str(get("database_url", explicit) or "")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'assay.db'}"


if __name__ == "__main__":
    for s in SETTINGS.values():
        print(f"{s.env:28} {s.type.__name__:6} {s.default!r:32} {s.doc}")
