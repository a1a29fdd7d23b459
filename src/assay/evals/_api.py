"""A small synchronous HTTP client for the eval and dataset endpoints of the assay server.

Errors people read: an unreachable server raises :class:`ServerUnavailableError` naming the
URL and what to do; an error answer raises :class:`ApiError` carrying the server's message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from assay import config
from assay.errors import AssayError, ConfigError, NotFoundError, ServerUnavailableError

if TYPE_CHECKING:
    import httpx


class ApiError(AssayError):
    """The server answered a request with an error.

    Attributes:
        status: The HTTP status.
        details: The per-item problems the server listed, if any.
    """

    def __init__(self, message: str, *, status: int, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.details = details or []


class ApiNotFoundError(ApiError, NotFoundError):
    """The server answered 404."""


def q(segment: str) -> str:
    """Quote one path segment (a project, dataset or experiment name)."""
    return quote(segment, safe="")


class ApiClient:
    """Talks to ``{api_url}/api/v1``; one keep-alive connection pool, used from any thread.

    Args:
        api_url: Base URL of the server (``ASSAY_API_URL`` when None).
        api_key: Project API key (``ASSAY_API_KEY`` when None).
        timeout: Seconds one request may take.
    """

    def __init__(
        self, api_url: str | None = None, api_key: str | None = None, *, timeout: float = 30.0
    ) -> None:
        import httpx

        self.api_url = str(config.get("api_url", api_url)).rstrip("/")
        if not self.api_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"api_url is {self.api_url!r}; use a URL such as http://127.0.0.1:8700 "
                "(set ASSAY_API_URL or pass api_url=)"
            )
        key = str(config.get("api_key", api_key) or "")
        headers = {"User-Agent": "assay-sdk/0.1.0"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self.api_key = key or None
        # A plain-http server needs no TLS context (loading the CA bundle costs ~50 ms).
        plain = self.api_url.startswith("http://")
        self._http = httpx.Client(
            base_url=self.api_url + "/api/v1", headers=headers, timeout=timeout, verify=not plain
        )

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Any = None,
        content: bytes | None = None,
    ) -> Any:
        """Send one request and return the decoded JSON answer.

        Raises:
            ServerUnavailableError: The server could not be reached.
            ApiError: The server answered 4xx or 5xx (``ApiNotFoundError`` for 404).
        """
        import httpx

        try:
            if content is not None:
                headers = {"Content-Type": "application/json"}
                resp = self._http.request(method, path, content=content, headers=headers)
            else:
                resp = self._http.request(method, path, json=json, params=params)
        except (httpx.TransportError, OSError) as exc:
            raise ServerUnavailableError(
                f"cannot reach the assay server at {self.api_url} ({type(exc).__name__}: {exc}); "
                "start it with `assay serve`, or set ASSAY_API_URL to where it runs"
            ) from None
        if resp.status_code >= 400:
            raise _error(method, path, resp)
        if not resp.content:
            return None
        return resp.json()

    def get(self, path: str, **params: Any) -> Any:
        """GET ``path`` with the query parameters that are not None."""
        return self.request("GET", path, params={k: v for k, v in params.items() if v is not None})

    def post(self, path: str, body: Any) -> Any:
        """POST ``body`` as JSON to ``path``; values JSON cannot hold are sent as text."""
        from assay.sdk._util import encode

        return self.request("POST", path, content=encode(body))


def _error(method: str, path: str, resp: httpx.Response) -> ApiError:
    message = resp.text[:500]
    details: list[Any] = []
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            message = str(err.get("message") or message)
            details = list(err.get("details") or [])
        elif "detail" in body:
            message = str(body["detail"])
    if details:
        shown = "; ".join(
            f"item {d.get('index')}: {d.get('field') or ''} {d.get('reason', '')}".strip()
            for d in details[:5]
            if isinstance(d, dict)
        )
        message = f"{message} ({shown})"
    text = f"the assay server answered {resp.status_code} to {method} {path}: {message}"
    cls = ApiNotFoundError if resp.status_code == 404 else ApiError
    return cls(text, status=resp.status_code, details=details)
