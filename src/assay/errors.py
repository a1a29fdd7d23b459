"""The exceptions assay raises.

```
AssayError
├── ConfigError            a setting has a value assay cannot use (you can fix this)
├── UsageError             an API was called the wrong way (you can fix this)
│   ├── ConflictError      the thing is in a state that forbids it (a done job cancelled)
│   └── MissingVariableError  a prompt template needs a variable that was not given
├── StoreError             the database failed at run time
│   └── NotFoundError      the project, trace or span does not exist
├── ServerUnavailableError the assay server could not be reached
└── ProviderError          a model provider failed the call (assay.llm)
    ├── ProviderAuthError        the provider rejected the API key (401/403)
    ├── ModelNotFoundError       the provider does not know the model (404)
    ├── ProviderRateLimitError   still rate limited (429) after every retry
    └── ProviderUnavailableError 5xx, timeout or no connection after every retry
```

The SDK never raises these into the program it observes because of its own failures;
they surface from explicit calls (configuration, CLI, store).
"""

from __future__ import annotations


class AssayError(Exception):
    """Base class of every error assay raises on purpose."""


class ConfigError(AssayError):
    """A setting has a value assay cannot use."""


class UsageError(AssayError):
    """An API was called in a way it does not support."""


class ConflictError(UsageError):
    """The action does not fit the current state of its target (the server answers 409)."""


class MissingVariableError(UsageError):
    """A prompt template uses a ``{{variable}}`` that was not given (its name is ``.name``)."""

    def __init__(self, message: str, *, name: str) -> None:
        super().__init__(message)
        self.name = name


class StoreError(AssayError):
    """The store failed while reading or writing."""


class NotFoundError(StoreError):
    """The project, trace or span asked for does not exist."""


class ServerUnavailableError(AssayError):
    """The assay server could not be reached."""


class ProviderError(AssayError):
    """A model provider failed the call.

    Attributes:
        provider: Name of the configured provider, e.g. ``openai``.
        model: The model asked for, as sent to the provider.
        status: The HTTP status of the last answer, or None when there was no answer.
        attempts: How many requests were made, retries included.
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        model: str,
        status: int | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.model = model
        self.status = status
        self.attempts = attempts


class ProviderAuthError(ProviderError):
    """The provider rejected the API key (401) or refused access (403)."""


class ModelNotFoundError(ProviderError):
    """The provider answered 404: it does not know the model (or the base URL is wrong)."""


class ProviderRateLimitError(ProviderError):
    """The provider still answered 429 after every retry."""


class ProviderUnavailableError(ProviderError):
    """The provider failed (5xx), timed out or could not be reached, after every retry."""
