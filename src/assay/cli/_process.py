"""Child processes of ``assay demo``: start one, read the URL it prints first, stop it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass

from assay.errors import AssayError

START_TIMEOUT = 30.0


@dataclass
class Child:
    """A running child program and the URL it announced on its first line of output."""

    name: str
    proc: subprocess.Popen[str]
    url: str

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 5 s; waits for the process to end."""
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


def python_env(**extra: str) -> dict[str, str]:
    """This environment for a Python child, with the current import path and ``extra`` added."""
    env = dict(os.environ)
    path = [p for p in sys.path if p]
    if env.get("PYTHONPATH"):
        path.insert(0, env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(path)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def _drain(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    for _ in proc.stdout:
        pass


def _read_first_line(proc: subprocess.Popen[str], into: list[str]) -> None:
    assert proc.stdout is not None
    into.append(proc.stdout.readline())


def start_service(name: str, module: str, *args: str, env: dict[str, str]) -> Child:
    """Start ``python -m module args`` and wait for the URL on its first stdout line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    first: list[str] = []
    reader = threading.Thread(target=_read_first_line, args=(proc, first), daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)
    url = first[0].strip() if first else ""
    if not url.startswith("http"):
        proc.kill()
        proc.wait()
        raise AssayError(f"{name} ({module}) did not start: first output line was {url!r}")
    threading.Thread(target=_drain, args=(proc,), daemon=True).start()
    return Child(name=name, proc=proc, url=url)


def run_program(module: str, *args: str, env: dict[str, str], timeout: float = 300) -> None:
    """Run ``python -m module args`` to the end, its output going to ours; raise if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], env=env, stdin=subprocess.DEVNULL, timeout=timeout
    )
    if done.returncode != 0:
        raise AssayError(f"{module} exited with code {done.returncode}; see its output above")
