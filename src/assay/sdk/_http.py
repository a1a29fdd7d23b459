"""The default exporter: JSON batches over HTTP to ``POST {api_url}/api/v1/spans``.

Runs on the client's exporter thread only. One keep-alive connection (stdlib ``http.client``,
``TCP_NODELAY``), gzip level 1 unless compression is ``none``. Connection errors, 429 and 5xx
are retried with exponential backoff and jitter, honouring ``Retry-After``, until they succeed
or the exporter shuts down; any other 4xx drops the batch with one warning naming the status
and the server's message, since sending the same invalid data again cannot succeed.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import random
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

import orjson

from assay.errors import ConfigError
from assay.sdk._util import encode, log, warn_once

_MAX_BACKOFF = 5.0
_FIRST_BACKOFF = 0.1
_RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})


class HttpExporter:
    """Sends span batches to an assay server. Made by :func:`assay.init`.

    Attributes:
        dropped: Spans the server refused with a 4xx (never retried), or given up at shutdown.
        rejected: Spans the server answered as rejected items of an accepted batch.
    """

    def __init__(
        self,
        *,
        api_url: str,
        project: str,
        api_key: str | None = None,
        compression: str = "gzip",
        timeout: float = 30.0,
    ) -> None:
        """Prepare the exporter (no connection is made until the first batch).

        Args:
            api_url: Base URL of the server, e.g. ``http://127.0.0.1:8700``.
            project: Project name sent with every batch.
            api_key: Sent as ``Authorization: Bearer <api_key>`` when set.
            compression: ``gzip`` or ``none``.
            timeout: Socket timeout of one request, in seconds.
        """
        parts = urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"api_url is {api_url!r}; use a URL such as http://127.0.0.1:8700 "
                "(set ASSAY_API_URL or pass api_url= to assay.init)"
            )
        if compression not in ("gzip", "none"):
            raise ConfigError(f"compression is {compression!r}; use gzip or none")
        self.api_url = api_url
        self.project = project
        self.compression = compression
        self.timeout = timeout
        self.dropped = 0
        self.rejected = 0
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._path = parts.path.rstrip("/") + "/api/v1/spans"
        self._headers = {"Content-Type": "application/json", "User-Agent": "assay-sdk/0.1.0"}
        if compression == "gzip":
            self._headers["Content-Encoding"] = "gzip"
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._conn: http.client.HTTPConnection | None = None
        self._closed = threading.Event()
        self._outage = False

    # ------------------------------------------------------------------ Exporter protocol
    def export(self, spans: list[dict[str, Any]]) -> None:
        """POST one batch, retrying until it is delivered, refused, or the exporter shuts down."""
        body = self._body(spans)
        attempt = 0
        while not self._closed.is_set():
            status, payload, retry_after = self._post(body)
            if 200 <= status < 300:
                self._accepted(payload, len(spans))
                return
            if status and status not in _RETRY_STATUS:
                self._refused(status, payload, len(spans))
                return
            delay = min(_MAX_BACKOFF, _FIRST_BACKOFF * 2**attempt) * (0.5 + random.random() / 2)
            if retry_after is not None:
                delay = min(max(retry_after, 0.0), 60.0)
            attempt += 1
            self._closed.wait(delay)
        self.dropped += len(spans)

    def shutdown(self) -> None:
        """Stop retrying and close the connection."""
        self._closed.set()
        self._close()

    def after_fork(self) -> None:
        """Forget the parent's connection in a forked child."""
        self._conn = None

    # ------------------------------------------------------------------ internals
    def _body(self, spans: list[dict[str, Any]]) -> bytes:
        try:
            raw = orjson.dumps({"project": self.project, "spans": spans})
        except (TypeError, orjson.JSONEncodeError):
            parts = [b"".join([b"{", _fields(s), b"}"]) for s in spans]
            raw = b"".join(
                [b'{"project":', orjson.dumps(self.project), b',"spans":[', b",".join(parts), b"]}"]
            )
        if self.compression == "gzip":
            return gzip.compress(raw, compresslevel=1, mtime=0)
        return raw

    def _connect(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection
        if self._https:
            conn = http.client.HTTPSConnection(self._host, self._port, timeout=self.timeout)
        else:
            conn = http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
        conn.connect()
        if conn.sock is not None:
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()

    def _post(self, body: bytes) -> tuple[int, bytes, float | None]:
        """One request; status 0 means the connection failed."""
        try:
            if self._conn is None:
                self._conn = self._connect()
            self._conn.request("POST", self._path, body, self._headers)
            resp = self._conn.getresponse()
            payload = resp.read()
            if resp.will_close:
                self._close()
        except (OSError, http.client.HTTPException) as exc:
            self._close()
            if not self._outage:
                self._outage = True
                log.warning(
                    "assay: cannot reach the assay server at %s (%s: %s); spans stay queued "
                    "and are retried with backoff",
                    self.api_url,
                    type(exc).__name__,
                    exc,
                )
            return 0, b"", None
        if self._outage:
            self._outage = False
            log.info("assay: the assay server at %s is reachable again", self.api_url)
        return resp.status, payload, _retry_after(resp.getheader("Retry-After"))

    def _accepted(self, payload: bytes, count: int) -> None:
        try:
            answer = orjson.loads(payload) if payload else {}
        except orjson.JSONDecodeError:
            return
        rejected = answer.get("rejected") if isinstance(answer, dict) else None
        if rejected:
            self.rejected += len(rejected)
            warn_once(
                "rejected",
                "assay: the server rejected %d of %d spans, e.g. %s (later rejections are "
                "counted in the exporter's `rejected` attribute, not logged)",
                len(rejected),
                count,
                rejected[:3],
            )

    def _refused(self, status: int, payload: bytes, count: int) -> None:
        self.dropped += count
        message = payload[:500].decode("utf-8", "replace")
        log.warning(
            "assay: the server at %s answered %d to a batch of %d spans and they were dropped "
            "(not retried): %s",
            self.api_url,
            status,
            count,
            message,
        )


def _fields(span: dict[str, Any]) -> bytes:
    """Encode one span field by field, so that one odd value cannot spoil the batch."""
    return b",".join(orjson.dumps(k) + b":" + encode(v) for k, v in span.items())


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None  # an HTTP date; fall back to our own backoff
