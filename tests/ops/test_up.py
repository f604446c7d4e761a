"""`make up` is a supervisor (issue 10 section 3): a crashed bridge or PostgREST comes back while the
other keeps serving, Ctrl-C and SIGTERM stop everything even when its output pipe is gone, the banner
prints the database URL, `make token` mints service tokens, and the agent_service token is reused."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import jwt
import pytest

from tests.ops.conftest import UpStack, answers, pid_alive, port_open
from tests.support.processes import REPO_ROOT


def wait_for(condition: object, what: str, timeout: float = 30.0) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def kill_and_watch(stack: UpStack, service: str, health: str, other: str) -> None:
    """kill -9 one service; the other answers all along; the killed one comes back with a new PID."""
    old = stack.pid_of(service)
    os.kill(old, signal.SIGKILL)
    wait_for(lambda: not pid_alive(old), f"{service} {old} to die")
    other_answers = 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert answers(other), f"{other} stopped answering while {service} was down:\n{stack.text()[-3000:]}"
        other_answers += 1
        try:
            new = stack.pid_of(service)
        except (FileNotFoundError, ValueError):
            new = old
        if new != old and answers(health):
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"{service} did not come back within 30 s:\n{stack.text()[-3000:]}")
    assert other_answers >= 2
    assert f"{service} exited (status 137)" in stack.text(), stack.text()[-3000:]
    assert f"{service} restarted (pid {new})" in stack.text(), stack.text()[-3000:]


def test_a_killed_bridge_and_then_a_killed_postgrest_come_back_while_the_other_serves(dev_stack: UpStack) -> None:
    kill_and_watch(dev_stack, "bridge", dev_stack.bridge_health, dev_stack.api + "/")
    kill_and_watch(dev_stack, "postgrest", dev_stack.api + "/", dev_stack.bridge_health)
    # And the postmaster never went away.
    assert pid_alive(dev_stack.postmaster_pid())
    restarts = (dev_stack.data / "log" / "up.log").read_text()
    assert "bridge exited" in restarts and "postgrest exited" in restarts


def test_a_service_that_keeps_crashing_backs_off_doubling(dev_stack: UpStack) -> None:
    """Three quick crashes in a row wait 1, 2 and 4 s (the stable period of this stack is 5 s)."""
    time.sleep(6)  # the bridge's last restart is now "stable": the backoff starts again at 1 s
    for _ in range(3):
        old = dev_stack.pid_of("bridge")
        os.kill(old, signal.SIGKILL)
        wait_for(lambda old=old: dev_stack.pid_of("bridge") != old, "the bridge to be restarted", 40)
    lines = [line for line in dev_stack.text().splitlines() if "bridge exited" in line]
    delays = [line.rsplit(" in ", 1)[1].strip() for line in lines[-3:]]
    assert delays == ["1 s", "2 s", "4 s"], lines
    wait_for(lambda: answers(dev_stack.bridge_health), "the bridge to answer again")


def test_the_banner_prints_the_database_url_and_make_token_mints_tokens(dev_stack: UpStack) -> None:
    url = f"postgresql://postgres@127.0.0.1:{dev_stack.pg_port}/ark"
    assert f"Database   {url}" in dev_stack.text()
    assert f"PGPASSFILE={dev_stack.data}/pgpass" in dev_stack.text()
    secret = (dev_stack.data / "jwt_secret").read_text().strip()
    for role in ("content_admin", "agent_service"):
        done = subprocess.run(
            ["make", "-s", "token", f"ROLE={role}", "TTL=2 hours"],
            cwd=REPO_ROOT,
            env=dev_stack.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        token = done.stdout.strip()
        claims = jwt.decode(token, secret, algorithms=["HS256"])
        assert claims["role"] == role
        assert 2 * 3600 - 60 <= claims["exp"] - time.time() <= 2 * 3600
        # The token works against the stack's PostgREST.
        response = httpx.get(f"{dev_stack.api}/agents", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert response.status_code == 200, response.text
    refused = subprocess.run(
        ["make", "-s", "token", "ROLE=postgres"], cwd=REPO_ROOT, env=dev_stack.env, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "usage: make token" in refused.stderr


@pytest.fixture
def stopped_dev_stack(dev_stack: UpStack) -> Path:
    """The shared stack stopped, so that a test can start its own on the same data dir."""
    assert dev_stack.stop() in (0, 143), dev_stack.text()[-3000:]
    return dev_stack.data


def assert_all_gone(stack: UpStack, pids: dict[str, int]) -> None:
    assert set(pids) == {"postgrest", "bridge", "postgres"}, pids
    for name, pid in pids.items():
        wait_for(lambda pid=pid: not pid_alive(pid), f"{name} (pid {pid}) to exit", 30)
    for port in (stack.api_port, stack.bridge_port, stack.pg_port):
        assert not port_open(port), f"port {port} is still open"
    assert not (stack.data / "run" / "bridge.pid").exists()


@pytest.mark.parametrize(
    ("how", "sig", "via_make"),
    [("SIGTERM to make", signal.SIGTERM, True), ("Ctrl-C (SIGINT to the process group)", signal.SIGINT, False)],
)
def test_a_signal_stops_everything_even_after_the_output_pipe_closed(
    stopped_dev_stack: Path, how: str, sig: int, via_make: bool
) -> None:
    stack = UpStack(stopped_dev_stack, via_make=via_make)
    try:
        stack.start()
        pids = stack.processes()
        assert answers(stack.api + "/") and answers(stack.bridge_health)
        # The reader goes away, as `make up | head -1` or a `| tee` killed by the same Ctrl-C does.
        stack.close_pipe()
        # The next write to the pipe fails; make up must still be serving, and then stop on the signal.
        time.sleep(1)
        assert stack.proc is not None and stack.proc.poll() is None
        if sig == signal.SIGINT:
            os.killpg(stack.proc.pid, signal.SIGINT)
        else:
            stack.proc.send_signal(sig)
        try:
            # up.sh's stop is bounded: 10 s for the services, 20 s for PostgreSQL, then an immediate stop.
            rc = stack.proc.wait(60)
        except subprocess.TimeoutExpired:
            up_log = stack.data / "log" / "up.log"
            tail = up_log.read_text()[-2000:] if up_log.is_file() else "(no up.log)"
            tree = subprocess.run(
                ["ps", "-o", "pid,pgid,stat,wchan:20,etime,args", "-g", str(stack.proc.pid)],
                capture_output=True,
                text=True,
            ).stdout
            status = Path(f"/proc/{stack.proc.pid}/status")
            signals = [ln for ln in status.read_text().splitlines() if ln.startswith("Sig")] if status.exists() else []
            pytest.fail(f"{how}: make up had not stopped after 60 s; up.log ends:\n{tail}\n{tree}\n{signals}")
        assert rc != 0, how
        assert_all_gone(stack, pids)
        up_log = (stack.data / "log" / "up.log").read_text()
        assert up_log.rstrip().endswith("stopped"), up_log[-2000:]
    finally:
        stack.stop(signal.SIGKILL)
        stack.force_cleanup()


def test_make_up_keeps_a_still_valid_agent_service_token(stopped_dev_stack: Path) -> None:
    token_file = stopped_dev_stack / "agent_service.token"
    kept = token_file.read_text().strip()
    stack = UpStack(stopped_dev_stack)
    try:
        stack.start()
        assert token_file.read_text().strip() == kept, "a token with 30 days left was replaced"
        assert "(kept:" in stack.text()
        stack.stop()
        # One with less than a day left is replaced by a new 30-day one.
        secret = (stopped_dev_stack / "jwt_secret").read_text().strip()
        now = int(time.time())
        short = jwt.encode({"role": "agent_service", "iat": now, "exp": now + 3600}, secret, algorithm="HS256")
        token_file.write_text(short + "\n")
        stack = UpStack(stopped_dev_stack)
        stack.start()
        fresh = token_file.read_text().strip()
        assert fresh not in (short, kept)
        claims = jwt.decode(fresh, secret, algorithms=["HS256"])
        assert claims["role"] == "agent_service" and claims["exp"] - now > 29 * 86400
        assert oct(token_file.stat().st_mode & 0o777) == "0o600"
    finally:
        stack.stop()
        stack.force_cleanup()
