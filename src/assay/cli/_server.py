"""Shared by ``assay serve`` and ``assay demo``: settings, the socket, the store, uvicorn."""

from __future__ import annotations

import errno
import gc
import ipaddress
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay import config
from assay.errors import ConfigError, StoreError, UsageError

if TYPE_CHECKING:
    import uvicorn

    from assay.server.worker import WorkerThread
    from assay.store import Store

LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")
SWITCH_INTERVAL = 0.0005  # seconds; see tune_for_ingest
GC_THRESHOLDS = (20_000, 20, 20)  # see tune_for_ingest


def resolve_database_url(database_url: str | None, data_dir: str | None) -> str:
    """Return the database URL to use, creating the SQLite data folder when it is the default.

    A ``--data-dir`` becomes this process's ``ASSAY_DATA_DIR`` (inherited by its children), so
    the secret key file and the caches live next to the database it names.

    Args:
        database_url: ``--database-url`` if given; else ``ASSAY_DATABASE_URL`` / ``assay.toml``.
        data_dir: ``--data-dir`` if given; else ``ASSAY_DATA_DIR`` (default ``~/.assay``).
    """
    if data_dir:
        use_data_dir(Path(data_dir))
    url = str(config.get("database_url", database_url) or "")
    if url:
        return url
    folder = Path(str(config.get("data_dir", data_dir))).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder.resolve() / 'assay.db'}"


def use_data_dir(path: Path) -> None:
    """Make ``path`` the data folder of this process and the programs it starts."""
    os.environ[config.SETTINGS["data_dir"].env] = str(path.expanduser().resolve())


def is_loopback(host: str) -> bool:
    """Whether ``host`` names a loopback address (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_loopback(host: str, *, auth: bool) -> None:
    """Raise :class:`UsageError` when ``host`` is not loopback and authentication is off.

    The secure default: bound to loopback, assay may run as one local user with no sign-in;
    reachable from other machines, it must know who is calling.
    """
    if auth or is_loopback(host):
        return
    raise UsageError(
        f"refusing to bind host {host!r} with authentication off (anyone who can reach it could "
        "read and change everything): set ASSAY_AUTH=true and create an admin with "
        "`assay users create EMAIL --admin`, or bind 127.0.0.1"
    )


def warn_if_no_users(store: Store) -> None:
    """With authentication on, print one line when nobody can sign in yet, saying how."""
    if not store.list_users():
        print(
            "assay: warning: authentication is on but no user exists yet; create the first "
            "admin with `assay users create EMAIL --admin` (same --database-url/--data-dir)",
            file=sys.stderr,
            flush=True,
        )


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind and listen on ``host:port`` (port 0 picks a free port); a taken port is a UsageError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is already in use; stop the other process "
                "or pick another port with --port"
            ) from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def socket_url(sock: socket.socket) -> str:
    """The ``http://host:port`` URL a bound socket answers on."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def public_url(sock: socket.socket | None = None) -> str:
    """Base URL of the web UI for links: the ``public_url`` setting, else the bound socket's
    URL (``http://HOST:PORT`` of the settings when there is no socket)."""
    configured = str(config.get("public_url") or "")
    if configured:
        return configured.rstrip("/")
    if sock is not None:
        return socket_url(sock)
    return f"http://{config.get('host')}:{config.get('port')}"


def start_worker(store: Store, *, url: str, enabled: bool | None = None) -> WorkerThread | None:
    """Start the in-process job worker on its own thread unless the ``worker`` setting (or
    ``enabled``, from ``--no-worker``) turns it off; stop it with ``.stop(timeout)``."""
    if not bool(config.get("worker", enabled)):
        return None
    from assay.server.worker import Worker

    return Worker(store, public_url=url).start_in_thread()


def open_migrated_store(url: str) -> Store:
    """Open the store at ``url`` and bring its schema up to date."""
    from assay.store import open_store

    try:
        store = open_store(url)
    except (ConfigError, UsageError):
        raise
    except Exception as exc:
        raise _database_error(url, exc) from exc
    try:
        store.migrate()
    except Exception as exc:
        store.close()
        raise _database_error(url, exc) from exc
    return store


def _database_error(url: str, exc: Exception) -> StoreError:
    """A one-line StoreError for a database that cannot be opened or migrated."""
    if isinstance(exc, StoreError) or str(config.get("log_level")).lower() == "debug":
        return exc if isinstance(exc, StoreError) else StoreError(str(exc))
    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    return StoreError(
        f"cannot open the database {redact(url)}: {first}; check that it is running and "
        "that the URL is right (ASSAY_LOG_LEVEL=debug shows the traceback)"
    )


def make_server(store: Store, *, log_level: str | None = None) -> uvicorn.Server:
    """A uvicorn server for the assay app over ``store`` (one process, no reload)."""
    import uvicorn

    from assay.server.app import create_app

    tune_for_ingest()
    level = str(config.get("log_level", log_level)).lower()
    options: dict[str, Any] = {
        "log_level": level,
        "access_log": level == "debug",
        "lifespan": "on",
        "timeout_graceful_shutdown": 5,
    }
    return uvicorn.Server(uvicorn.Config(create_app(store=store), **options))


def tune_for_ingest() -> None:
    """Process-wide settings of a server process, for ingest.

    - SQLite works on a statement without holding the interpreter lock, so one request's
      writes overlap the decoding of another's spans; coming back, the writing thread waits for
      the lock until the decoding thread is made to give it up, every
      ``sys.getswitchinterval()`` seconds. The default 5 ms is longer than most statements.
    - The objects made at start (modules, the app, the schema) are moved out of the garbage
      collector's way (``gc.freeze``) and the youngest generation is collected less often: an
      ingest request makes tens of thousands of short-lived containers, and full collections
      walking every object of the process cost about a tenth of ingest throughput.
    - SQLite checkpoints wait while spans are arriving (see ``assay.store.sql.engine``).
    """
    from assay.server.pressure import INGEST
    from assay.store.sql import engine

    sys.setswitchinterval(SWITCH_INTERVAL)
    engine.defer_checkpoints_while(INGEST.busy)
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***``, for printing."""
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in creds:
        return url
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
