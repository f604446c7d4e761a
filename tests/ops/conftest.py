"""Fixtures for the operations suite: `make up` (scripts/up.sh) run for real, in a temp ARK_DATA.

UpStack starts scripts/up.sh (or `make up`) the way a developer does, with a data dir of its own and
free ports, so it never touches the developer's .data/ or ports 3000/8080/54329. The environment is the
caller's minus everything make test exports for the test database: the stack makes its own secrets.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.processes import REPO_ROOT, free_port

# What make test exports for the test database; the dev stack must make and use its own.
_FOREIGN = ("DATABASE_URL", "PGPASSFILE", "PGPASSWORD", "JWT_SECRET", "AUTHENTICATOR_PASSWORD", "BRIDGE_PASSWORD")
BANNER = "ArkAgentic is up."


def pid_alive(pid: int) -> bool:
    """True while pid runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def port_open(port: int) -> bool:
    import socket

    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2.0).status_code == 200
    except httpx.TransportError:
        return False


class UpStack:
    """One run of scripts/up.sh (or `make -s up`) on its own ports and data dir."""

    def __init__(self, data: Path, *, via_make: bool = False, stable_seconds: int = 60) -> None:
        self.data = data
        self.api_port = free_port()
        self.bridge_port = free_port()
        self.pg_port = free_port()
        self.via_make = via_make
        self.env = {k: v for k, v in os.environ.items() if k not in _FOREIGN and not k.startswith("PGRST_")}
        self.env.update(
            ARK_DATA=str(data),
            API_PORT=str(self.api_port),
            BRIDGE_PORT=str(self.bridge_port),
            ARK_PGPORT=str(self.pg_port),
            ARK_UP_STABLE_SECONDS=str(stable_seconds),
        )
        self.proc: subprocess.Popen[str] | None = None
        self.output: list[str] = []
        self._reader: threading.Thread | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def bridge_health(self) -> str:
        return f"http://127.0.0.1:{self.bridge_port}/health"

    def pid_of(self, service: str) -> int:
        return int((self.data / "run" / f"{service}.pid").read_text())

    def postmaster_pid(self) -> int:
        return int((self.data / "pg" / "postmaster.pid").read_text().split()[0])

    def start(self, timeout: float = 240.0) -> UpStack:
        """Start it and wait for its banner; the output is read in the background from then on."""
        command = ["make", "-s", "up"] if self.via_make else ["bash", "scripts/up.sh"]
        self.proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
            preexec_fn=_signals_as_from_a_terminal,
        )
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        for line in self.proc.stdout:
            self.output.append(line)
            if line.strip() == BANNER:
                break
            assert time.monotonic() < deadline, "make up did not print its banner in time:\n" + self.text()
        else:
            self.proc.stdout.close()
            raise AssertionError(f"make up exited ({self.proc.wait()}) before its banner:\n{self.text()}")
        return self

    def keep_reading(self) -> None:
        """Drain the output in a thread, so that the restarts' lines never block the script."""
        assert self.proc is not None and self.proc.stdout is not None
        stdout = self.proc.stdout

        def drain() -> None:
            for line in stdout:
                self.output.append(line)

        self._reader = threading.Thread(target=drain, daemon=True)
        self._reader.start()

    def close_pipe(self) -> None:
        """Close our end of make up's stdout, as `| head -1` or a killed `| tee` does."""
        assert self.proc is not None and self.proc.stdout is not None
        self.proc.stdout.close()

    def text(self) -> str:
        return "".join(self.output)

    def processes(self) -> dict[str, int]:
        """The PIDs of what this stack started: PostgREST, the bridge and the postmaster."""
        found = {}
        for service in ("postgrest", "bridge"):
            try:
                found[service] = self.pid_of(service)
            except FileNotFoundError:
                pass
        try:
            found["postgres"] = self.postmaster_pid()
        except FileNotFoundError:
            pass
        return found

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60.0) -> int:
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            rc = self.proc.wait(timeout)
        if self._reader is not None:
            self._reader.join(5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return rc

    def force_cleanup(self) -> None:
        """After a failed test: whatever is left of this stack's own processes, by PID."""
        for pid in self.processes().values():
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)


def _signals_as_from_a_terminal() -> None:
    """make up starts with SIGINT and SIGQUIT at their defaults, as it does from a terminal.

    A process started in the background by a non-interactive shell (`make test &`, nohup, a CI runner)
    has SIGINT ignored, every process below inherits that, and bash cannot trap a signal that was
    ignored when it started (CI showed up.sh with SIGINT in SigIgn, sitting in wait for 60 s): the
    Ctrl-C this suite sends would never reach up.sh's trap."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def make_data_dir() -> Path:
    # Traversable by the postgres OS user (make up's cluster runs as postgres when root runs it).
    root = Path(tempfile.mkdtemp(prefix="ark-up-"))
    root.chmod(0o711)
    return root / "data"


@pytest.fixture(scope="session")
def up_data_dir() -> Iterator[Path]:
    data = make_data_dir()
    yield data
    shutil.rmtree(data.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def dev_stack(up_data_dir: Path) -> Iterator[UpStack]:
    """A `make up` stack shared by the tests that only look at it or kill one of its services.

    Restarts are checked with a stable period of 5 s, so that the backoff of the second kill is short."""
    stack = UpStack(up_data_dir, stable_seconds=5)
    try:
        stack.start()
        stack.keep_reading()
        yield stack
    finally:
        stack.stop()
        stack.force_cleanup()
