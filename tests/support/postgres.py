"""A throwaway PostgreSQL cluster made from the machine's PostgreSQL binaries.

initdb refuses to run as root, so under root the cluster belongs to the ``postgres`` user and
every server command runs through ``runuser``. The socket and the data live in a temp folder;
the server listens on a free loopback port and is stopped (and deleted) at the end.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path


def _bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise RuntimeError(f"{name} not found: install PostgreSQL (apt-get install postgresql)")
    return candidates[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    root: Path
    port: int
    user: str

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/postgres"

    def create_database(self) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        _run(
            self._as_owner(
                [_bin("pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop"]
            ),
            check=False,
        )
        shutil.rmtree(self.root, ignore_errors=True)

    def _as_owner(self, cmd: list[str]) -> list[str]:
        return _as_owner(cmd)


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _run(cmd: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)


def start_cluster() -> Cluster:
    root = Path(tempfile.mkdtemp(prefix="assay-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    _run(
        _as_owner(
            [_bin("initdb"), "-D", str(data), "-U", user, "-A", "trust", "--no-sync", "-E", "UTF8"]
        )
    )
    port = free_port()
    opts = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    _run(
        _as_owner(
            [_bin("pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", opts, "-w", "start"]
        )
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return Cluster(root=root, port=port, user=user)
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL did not start; see {root / 'log'}")
