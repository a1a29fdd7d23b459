"""The exceptions assay raises.

```
AssayError
├── ConfigError            a setting has a value assay cannot use (you can fix this)
├── UsageError             an API was called the wrong way (you can fix this)
├── StoreError             the database failed at run time
│   └── NotFoundError      the project, trace or span does not exist
└── ServerUnavailableError the assay server could not be reached
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


class StoreError(AssayError):
    """The store failed while reading or writing."""


class NotFoundError(StoreError):
    """The project, trace or span asked for does not exist."""


class ServerUnavailableError(AssayError):
    """The assay server could not be reached."""
