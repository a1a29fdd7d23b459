"""UUIDv7 ids for rows the server makes (RFC 9562: 48-bit millisecond time, then randomness)."""

from __future__ import annotations

import os
import time
import uuid


def uuid7() -> str:
    """Return a new UUIDv7 as a lower-case string; ids made later sort after earlier ones."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 64) & 0x0FFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))
