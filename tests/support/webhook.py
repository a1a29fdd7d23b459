"""A webhook receiver for alert tests: a real HTTP server on 127.0.0.1, port 0, in a thread.

It keeps every JSON body POSTed to it and answers with the scripted status codes in order
(then 200).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.http_thread import ThreadedServer


class WebhookReceiver(ThreadedServer):
    """Collects POSTed JSON bodies; ``statuses`` are answered first, 200 after them."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.bodies: list[dict[str, Any]] = []
        self.answered: list[int] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"null")
                with receiver._lock:
                    receiver.bodies.append(body)
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.answered.append(status)
                self.send_response(status)
                self.send_header("content-type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"receiver says no")

            def log_message(self, *args: Any) -> None:
                pass

        self.serve(Handler)

    @property
    def url(self) -> str:
        return f"{self.base_url}/hook"

    def wait_for(
        self, check: Callable[[list[dict[str, Any]]], bool], *, timeout: float = 30.0
    ) -> list[dict[str, Any]]:
        """Poll until ``check(bodies)`` holds; the bodies then. AssertionError at the deadline."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                bodies = list(self.bodies)
            if check(bodies):
                return bodies
            if time.monotonic() > deadline:
                raise AssertionError(f"the webhook never got what was expected; it got {bodies}")
            time.sleep(0.05)
