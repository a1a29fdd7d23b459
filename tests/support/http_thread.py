"""A real HTTP server on 127.0.0.1 (port 0) in a daemon thread, used as a context manager.

The test servers (webhook receiver, OpenID Connect provider) build their handler class and
call :meth:`ThreadedServer.serve` with it; ``with`` starts and stops them.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self


class ThreadedServer:
    """Start/stop plumbing shared by the test HTTP servers."""

    server: ThreadingHTTPServer

    def serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        """Bind ``handler`` on a free loopback port (served once the ``with`` block starts)."""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
