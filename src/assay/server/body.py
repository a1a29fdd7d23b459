"""Reading request bodies safely: size caps, gzip/deflate with a bomb guard, content types."""

from __future__ import annotations

import zlib

from starlette.requests import Request

from assay.server.errors import ApiError

_CHUNK = 256 * 1024


def media_type(request: Request) -> str:
    """The request's media type, lower-cased, without parameters ("" when absent)."""
    raw = request.headers.get("content-type", "")
    return raw.split(";", 1)[0].strip().lower()


async def read_body(request: Request, *, limit: int) -> bytes:
    """Read the whole body, decompressed, refusing anything over ``limit`` bytes.

    ``Content-Encoding`` may be ``gzip``, ``x-gzip``, ``deflate`` or ``identity``. The limit is
    applied after decompression, and decompression stops as soon as it is passed, so a small
    gzip bomb costs no more than ``limit`` bytes of memory.

    Raises:
        ApiError: 413 when the body is too large, 415 for an unknown encoding, 400 when the
            compressed data is corrupt.
    """
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        raise ApiError(
            415,
            f"Content-Encoding {encoding!r} is not supported; send gzip, deflate or identity.",
        )
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit, "Content-Length")
    raw = await _read_capped(request, limit)
    if encoding in ("", "identity"):
        return raw
    wbits = 31 if encoding in ("gzip", "x-gzip") else 15
    return inflate(raw, limit=limit, wbits=wbits, encoding=encoding)


async def _read_capped(request: Request, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(size, limit, "the request body")
        parts.append(chunk)
    return b"".join(parts)


def inflate(data: bytes, *, limit: int, wbits: int = 31, encoding: str = "gzip") -> bytes:
    """Decompress ``data`` (gzip by default), stopping with a 413 once ``limit`` is exceeded.

    Concatenated gzip members are all decompressed, as ``gzip.decompress`` does.
    """
    out: list[bytes] = []
    size = 0
    rest = data
    try:
        while True:
            inflater = zlib.decompressobj(wbits)
            pending = rest
            while pending:
                piece = inflater.decompress(pending, min(_CHUNK, limit - size + 1))
                size += len(piece)
                if size > limit:
                    raise _too_large(size, limit, f"the {encoding}-decompressed body", over=True)
                out.append(piece)
                pending = inflater.unconsumed_tail
            if not inflater.eof:
                tail = inflater.flush()
                size += len(tail)
                if size > limit:
                    raise _too_large(size, limit, f"the {encoding}-decompressed body", over=True)
                out.append(tail)
                if not inflater.eof:
                    raise ApiError(
                        400,
                        f"The {encoding} body is truncated (the stream ends early); "
                        "send the complete compressed body.",
                    )
            rest = inflater.unused_data
            if not rest or wbits != 31 or not rest.strip(b"\x00"):
                break
    except zlib.error as exc:
        raise ApiError(
            400,
            f"The body is declared as Content-Encoding {encoding} but cannot be "
            f"decompressed ({exc}); compress it with {encoding} or drop the header.",
        ) from None
    return b"".join(out)


def _too_large(size: int, limit: int, what: str, *, over: bool = False) -> ApiError:
    amount = f"more than {limit}" if over else str(size)
    return ApiError(
        413,
        f"{what[0].upper()}{what[1:]} is {amount} bytes; the limit is {limit} "
        "(setting ASSAY_MAX_BODY_BYTES). Send smaller batches.",
    )
