"""The embedded clusters hand out nothing without a password (issue 10 section 2).

An unprivileged OS user (`nobody` when the tests run as root, else this user with no password in its
environment) runs psql against make test's throwaway cluster and against a dev cluster started by
`make up` in a temp ARK_DATA, over 127.0.0.1 and over the unix socket, as the owner and as every API
role: each attempt is refused. No pg_hba line trusts anyone, and the files that hold secrets or logs
are readable by their owner only.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.ops.conftest import UpStack

ROLES = ("postgres", "authenticator", "bridge", "web_anon", "player", "agent_service", "content_admin")


def as_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """Run a command as an OS user that holds no secret, with no PG* variable and no pgpass."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent", "PGPASSFILE": "/nonexistent"}
    prefix = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, "env", "-i", *[f"{k}={v}" for k, v in env.items()], *args],
        capture_output=True,
        text=True,
        timeout=30,
        cwd="/",
        stdin=subprocess.DEVNULL,
    )


def assert_refused(host: str, port: int, db: str) -> None:
    for role in ROLES:
        done = as_unprivileged("psql", "-X", "-w", "-h", host, "-p", str(port), "-U", role, "-d", db, "-c", "select 1")
        assert done.returncode != 0, f"{role} got in on {host}:{port} without a password: {done.stdout}"
        assert any(
            reason in done.stderr
            for reason in ("no password supplied", "password authentication failed", "Permission denied")
        ), done.stderr
    # A wrong password is refused too (the server really checks, it does not just ask).
    done = as_unprivileged("psql", "-X", "-w", f"postgresql://postgres:wrong@127.0.0.1:{port}/{db}", "-c", "select 1")
    assert done.returncode != 0 and "password authentication failed" in done.stderr, done.stderr


def assert_no_trust(conn: psycopg.Connection[Any]) -> None:
    query = "SELECT type, database, user_name, address, auth_method, error FROM pg_hba_file_rules"
    rules = conn.execute(query).fetchall()
    assert rules, "pg_hba.conf has rules"
    assert all(rule[5] is None for rule in rules), rules
    assert {rule[4] for rule in rules} == {"scram-sha-256"}, rules


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_private_files(run: Path, secrets: list[Path]) -> None:
    assert mode(run) == 0o700, f"socket directory {run} is {oct(mode(run))}"
    assert mode(run / "postgres.log") == 0o600
    assert mode(run / "server.pgpass") == 0o600
    for path in secrets:
        assert mode(path) == 0o600, f"{path} is {oct(mode(path))}"


def test_the_test_cluster_refuses_an_unprivileged_user(owner_conn: psycopg.Connection[Any]) -> None:
    data = Path(owner_conn.execute("SHOW data_directory").fetchone()[0])  # type: ignore[index]
    if not (data.parent / "owner.pid").is_file():
        pytest.skip("SKIPPED LOUDLY: the test database is not make test's throwaway cluster (TEST_DATABASE_URL)")
    port = int(owner_conn.execute("SHOW port").fetchone()[0])  # type: ignore[index]
    socket_dir = owner_conn.execute("SHOW unix_socket_directories").fetchone()[0]  # type: ignore[index]
    db = owner_conn.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
    assert socket_dir == str(data.parent / "run")
    assert_refused("127.0.0.1", port, db)
    assert_refused(socket_dir, port, db)
    assert_no_trust(owner_conn)
    assert owner_conn.execute("SHOW log_file_mode").fetchone()[0] == "0600"  # type: ignore[index]
    assert owner_conn.execute("SHOW unix_socket_permissions").fetchone()[0] == "0700"  # type: ignore[index]
    assert_private_files(data.parent / "run", [data.parent / "postgres_password", data.parent / "pgpass"])


def test_the_dev_cluster_of_make_up_refuses_an_unprivileged_user(dev_stack: UpStack) -> None:
    data = dev_stack.data
    assert_refused("127.0.0.1", dev_stack.pg_port, "ark")
    assert_refused(str(data / "pgrun"), dev_stack.pg_port, "ark")
    # The owner gets in with the generated password, through the pgpass file make up wrote.
    url = f"postgresql://postgres@127.0.0.1:{dev_stack.pg_port}/ark"
    with psycopg.connect(url, passfile=str(data / "pgpass"), autocommit=True) as conn:
        assert_no_trust(conn)
    assert "trust" not in (data / "pg" / "pg_hba.conf").read_text()
    names = ("postgres_password", "pgpass", "jwt_secret", "authenticator_password", "bridge_password")
    secrets = [data / name for name in (*names, "agent_service.token")]
    logs = sorted((data / "log").glob("*.log"))
    assert {"bridge.log", "postgrest.log"} <= {log.name for log in logs}, logs
    assert_private_files(data / "pgrun", secrets + logs)
    assert mode(data / "log") == 0o700


def test_a_dev_cluster_from_before_passwords_is_locked_down() -> None:
    """A .data/pg that an older make up created (trust, no owner password) gets both on the next start."""
    # Not pytest's tmp_path: its parent is 0700, and the server may run as the postgres OS user.
    root = Path(tempfile.mkdtemp(prefix="ark-old-"))
    root.chmod(0o711)
    try:
        check_old_cluster(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def check_old_cluster(root: Path) -> None:
    script = r"""
set -euo pipefail
source scripts/lib/common.sh; source scripts/lib/cluster.sh
data=$1/pg run=$1/pgrun
mkdir -p "$data" "$run"; if ((EUID == 0)); then chown postgres: "$data" "$run"; fi; chmod 700 "$data" "$run"
as_pg_user "$PG_BINDIR/initdb" -D "$data" -U postgres --auth=trust >/dev/null
printf 'local all all trust\nhost all postgres 127.0.0.1/32 trust\n' | as_pg_user tee "$data/pg_hba.conf" >/dev/null
cluster_init "$data" "$run"
port=$(free_port)
cluster_start "$data" "$run" "$port"
trap 'cluster_stop "$data" >/dev/null' EXIT
echo "port=$port"
psql -X -w -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc 'select 1'
"""
    done = subprocess.run(
        ["bash", "-c", script, "bash", str(root)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith("PG") or k == "PG_BINDIR"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("1"), "the owner gets in with the generated password"
    assert "trust" not in (root / "pg" / "pg_hba.conf").read_text()
    assert mode(root / "postgres_password") == 0o600
