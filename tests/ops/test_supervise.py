"""The supervisor loop of make up (scripts/lib/supervise.sh), driven with stand-in services.

A service killed the moment it has been restarted must come back too. Under `wait -n` it did not: a
child that died while the shell ran a foreground command (the `mv` of its pid file, the `date` of a log
line) was reaped there, `wait -n` answered "no such job" for it and blocked on the other service, and
the bridge stayed down (a CI run of tests/ops/test_up.py saw it). The race window is a few
milliseconds, so this test kills each new pid as soon as its pid file names it, for many rounds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import REPO_ROOT

ROUNDS = 15

DRIVER = textwrap.dedent(
    """\
    set -u
    RUN=$1
    STABLE_SECONDS=0          # every restart waits the first backoff step, 1 s
    say() { printf '%s %s\\n' "$(date -u +%FT%TZ)" "$*" >>"$RUN/sup.log"; }
    write_pid() { echo "$2" >"$RUN/$1.pid.tmp" && mv -f "$RUN/$1.pid.tmp" "$RUN/$1.pid"; }
    spawn_flaky() { sleep 100000 </dev/null & SERVICE_PID[flaky]=$!; write_pid flaky "$!"; }
    spawn_steady() { sleep 100000 </dev/null & SERVICE_PID[steady]=$!; write_pid steady "$!"; }
    source "$2/scripts/lib/supervise.sh"
    trap 'kill "${SERVICE_PID[@]}" 2>/dev/null; exit 0' TERM
    spawn_flaky
    spawn_steady
    supervise flaky steady
    """
)


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text())
    except (FileNotFoundError, ValueError):
        return None


def read_log(run: Path) -> str:
    try:
        return (run / "sup.log").read_text()
    except FileNotFoundError:
        return ""


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Path]:
    script = tmp_path / "driver.sh"
    script.write_text(DRIVER)
    proc = subprocess.Popen(["bash", str(script), str(tmp_path), str(REPO_ROOT)], start_new_session=True)
    try:
        yield tmp_path
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_a_service_killed_as_soon_as_it_restarts_comes_back_every_time(supervisor: Path) -> None:
    pid_file = supervisor / "flaky.pid"
    deadline = time.monotonic() + 10
    # Both stand-ins have started (the steady one after the flaky one).
    while read_pid(pid_file) is None or read_pid(supervisor / "steady.pid") is None:
        assert time.monotonic() < deadline, "the stand-in services never started"
        time.sleep(0.01)
    steady = read_pid(supervisor / "steady.pid")
    for round_ in range(ROUNDS):
        old = read_pid(pid_file)
        assert old is not None
        os.kill(old, signal.SIGKILL)
        deadline = time.monotonic() + 10  # a 1 s backoff and 0.2 s polls
        while (new := read_pid(pid_file)) in (old, None):
            log = read_log(supervisor)
            assert time.monotonic() < deadline, f"round {round_}: pid {old} was never replaced:\n{log}"
            time.sleep(0.001)  # kill the new one inside the few milliseconds that follow its pid file
    deadline = time.monotonic() + 5  # the "restarted" line follows the pid file
    while read_log(supervisor).count("flaky restarted (pid") < ROUNDS and time.monotonic() < deadline:
        time.sleep(0.05)
    log = read_log(supervisor)
    assert log.count("flaky exited (status 137)") == ROUNDS, log
    assert log.count("flaky restarted (pid") == ROUNDS, log
    # The other service was never touched, and never restarted.
    assert read_pid(supervisor / "steady.pid") == steady and "steady" not in log, log
    assert new is not None and Path(f"/proc/{new}").exists()
