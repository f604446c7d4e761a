"""Start real server processes for tests: a free port, a log file, readiness, a clean stop.

PostgREST (tests/conftest.py) and, later, the bridge under uvicorn start the same way:

    with ManagedProcess("postgrest", [binary, conf], env=env) as proc:
        wait_http(f"http://127.0.0.1:{port}/", proc)
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]

_running: list[ManagedProcess] = []


def running_processes() -> list[ManagedProcess]:
    """The managed processes started and not yet stopped, for attaching their logs to failure reports."""
    return [proc for proc in _running if proc.alive]


def free_port() -> int:
    """A loopback TCP port that nothing listens on at the moment of the call."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ProcessError(RuntimeError):
    """A managed process failed to start or died; the message ends with the tail of its log."""


class ManagedProcess:
    """A subprocess whose output goes to a temp log file, stopped with SIGTERM then SIGKILL.

    The process gets its own session so that a Ctrl-C on pytest reaches pytest only, whose fixtures then
    stop it in order.
    """

    def __init__(
        self,
        name: str,
        args: Sequence[str | os.PathLike[str]],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path = REPO_ROOT,
    ) -> None:
        self.name = name
        self.args = [os.fspath(a) for a in args]
        self.env = dict(env) if env is not None else dict(os.environ)
        self.cwd = cwd
        handle, path = tempfile.mkstemp(prefix=f"ark-{name}-", suffix=".log")
        os.close(handle)
        self.log_path = Path(path)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ManagedProcess:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.args,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _running.append(self)
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def fail(self, message: str) -> ProcessError:
        return ProcessError(f"{message}\n---- {self.name} log ({self.log_path}) ----\n{self.log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        if self in _running:
            _running.remove(self)
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout)

    def remove_log(self) -> None:
        self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> ManagedProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def wait_http(url: str, proc: ManagedProcess, *, timeout: float = 20.0, status: int = 200) -> None:
    """Poll url until it answers `status`; fail early, with the log, if the process dies first."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if not proc.alive:
            raise proc.fail(
                f"{proc.name} exited with status {proc.proc and proc.proc.returncode} before {url} answered"
            )
        try:
            response = httpx.get(url, timeout=2.0)
        except httpx.TransportError as exc:
            last = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code == status:
                return
            last = f"HTTP {response.status_code}: {response.text[:200]}"
        time.sleep(0.1)
    proc.stop()
    raise proc.fail(f"{url} did not answer {status} within {timeout:.0f}s (last: {last})")
