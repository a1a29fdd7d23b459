"""The on-disk cache of identical model calls.

One JSON file per answer at ``<dir>/<key[:2]>/<key>.json``, where the key is the SHA-256 of the
canonical JSON of the call: provider kind, base URL and the request as sent (model, messages,
tools, tool choice, response format, parameters; not the timeout). Files are written to a
temporary name and renamed into place, so readers never see half a file and concurrent writers
of one key simply leave one of two equal answers. A file that cannot be read is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

from assay import config
from assay.sdk._util import to_plain

#: Request arguments that never change the answer, left out of the key.
_NOT_KEYED = frozenset({"timeout", "extra_headers"})


def cache_key(kind: str, base_url: str, operation: str, request: dict[str, Any]) -> str:
    """The SHA-256 (hex) of a call's canonical JSON."""
    material = {
        "kind": kind,
        "base_url": base_url,
        "operation": operation,
        "request": {k: v for k, v in request.items() if k not in _NOT_KEYED},
    }
    canonical = orjson.dumps(to_plain(material), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


class DiskCache:
    """A folder of cached answers; holds no state besides the path.

    Args:
        folder: Where the files go (created on first write).
    """

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder).expanduser()

    def path(self, key: str) -> Path:
        """The file of ``key``."""
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored answer of ``key``, or None when there is none or it cannot be read."""
        try:
            data = json.loads(self.path(key).read_bytes())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Store ``value`` under ``key``, replacing what was there."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(orjson.dumps(value))
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def active_cache(cache: bool | None) -> DiskCache | None:
    """The cache a call uses: its ``cache=`` argument, else ``ASSAY_LLM_CACHE``; None when off."""
    if cache is None:
        cache = bool(config.get("llm_cache"))
    if not cache:
        return None
    folder = str(config.get("llm_cache_dir") or "")
    return DiskCache(Path(folder) if folder else config.data_dir() / "llm-cache")
