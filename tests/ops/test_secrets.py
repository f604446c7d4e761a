"""scripts/deploy.sh refuses secrets anyone could know, before it touches the database.

`.env.example` is public: a deploy with its JWT secret would let anyone forge a content_admin token. Each
refusal runs the real deploy script against a real, empty database, and checks that it exited non-zero,
named the variable without printing the value, and deployed nothing.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest

from tests.support.processes import REPO_ROOT

DEPLOY = REPO_ROOT / "scripts" / "deploy.sh"
COMMON = REPO_ROOT / "scripts" / "lib" / "common.sh"
EXAMPLE = dict(
    line.split("=", 1)
    for line in (REPO_ROOT / ".env.example").read_text().splitlines()
    if "=" in line and not line.startswith("#")
)


def strong() -> dict[str, str]:
    return {name: secrets.token_hex(32) for name in ("JWT_SECRET", "AUTHENTICATOR_PASSWORD", "BRIDGE_PASSWORD")}


def with_database(url: str, dbname: str, password: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    user = parts.username or "postgres"
    auth = quote(user, safe="") + (f":{quote(password, safe='')}" if password is not None else "")
    if password is None and parts.password is not None:
        auth += f":{quote(parts.password, safe='')}"
    return urlunsplit((parts.scheme, f"{auth}@{netloc}", f"/{dbname}", parts.query, ""))


@pytest.fixture
def empty_db(db_url: str) -> Iterator[str]:
    """The owner's URL of a new, empty database on the test server, dropped afterwards."""
    name = f"ark_secrets_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(db_url, name)
    finally:
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def deploy(owner_url: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEPLOY_STRICT_OWNER")}
    return subprocess.run(
        [str(DEPLOY), owner_url], env={**base, **env}, capture_output=True, text=True, timeout=120, check=False
    )


def schemas(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'").fetchall()
    return {row[0] for row in rows}


def assert_refused(result: subprocess.CompletedProcess[str], url: str, name: str, value: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert name in result.stderr, output
    assert value not in output, "the refused secret was printed"
    assert "sqitch deploy" not in output
    assert schemas(url) == {"public", "information_schema"}, "something was deployed"


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        # The case: the example's 43-character JWT secret, long enough for PostgREST.
        ("JWT_SECRET", EXAMPLE["JWT_SECRET"], "change-me"),
        ("AUTHENTICATOR_PASSWORD", EXAMPLE["AUTHENTICATOR_PASSWORD"], "change-me"),
        ("BRIDGE_PASSWORD", "please-change-me-" + secrets.token_hex(32), "change-me"),
        ("JWT_SECRET", secrets.token_hex(16), "too short"),
        ("BRIDGE_PASSWORD", secrets.token_urlsafe(24), "too short"),
        ("AUTHENTICATOR_PASSWORD", "ab" * 40, "does not look random"),
        ("JWT_SECRET", "", "not set"),
    ],
    ids=["example-jwt", "example-authenticator", "change-me", "short-hex", "short-base64", "repetitive", "empty"],
)
def test_deploy_refuses_a_weak_secret_and_deploys_nothing(empty_db: str, name: str, value: str, reason: str) -> None:
    result = deploy(empty_db, {**strong(), name: value})
    assert reason in result.stderr
    if value:
        assert_refused(result, empty_db, name, value)
    else:
        assert result.returncode != 0 and schemas(empty_db) == {"public", "information_schema"}


def test_deploy_refuses_a_published_owner_password(empty_db: str) -> None:
    # The owner password belongs to the server; a published one is refused all the same.
    url = with_database(empty_db, urlsplit(empty_db).path.lstrip("/"), password=EXAMPLE["POSTGRES_PASSWORD"])
    result = deploy(url, strong())
    assert "owner password" in result.stderr
    assert_refused(result, empty_db, "owner password", EXAMPLE["POSTGRES_PASSWORD"])


def test_compose_migrate_refuses_a_weak_owner_password(empty_db: str) -> None:
    # compose.yaml's migrate sets DEPLOY_STRICT_OWNER=1: POSTGRES_PASSWORD is ours to choose, so it must be
    # as strong as the others.
    weak = "hunter2hunter2"
    url = with_database(empty_db, urlsplit(empty_db).path.lstrip("/"), password=weak)
    result = deploy(url, {**strong(), "DEPLOY_STRICT_OWNER": "1"})
    assert "too short" in result.stderr
    assert_refused(result, empty_db, "POSTGRES_PASSWORD", weak)


def check_secret(value: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", f'source "{COMMON}"; check_secret X "$1"', "_", value],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    "value",
    [secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_hex(48)],
    ids=["hex-64", "base64url-43", "hex-96"],
)
def test_random_secrets_of_32_bytes_pass(value: str) -> None:
    result = check_secret(value)
    assert result.returncode == 0, result.stderr


def test_random_secret_of_the_scripts_passes() -> None:
    # What make up, make test and make bench generate must pass the check they run through.
    for _ in range(20):
        value = subprocess.run(
            ["bash", "-c", f'source "{COMMON}"; random_secret'], capture_output=True, text=True, check=True
        ).stdout
        result = check_secret(value)
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["POSTGRES_PASSWORD", "JWT_SECRET", "AUTHENTICATOR_PASSWORD", "BRIDGE_PASSWORD"])
def test_every_example_value_is_refused(name: str) -> None:
    result = check_secret(EXAMPLE[name])
    assert result.returncode != 0
    assert Path(REPO_ROOT / ".env.example").is_file()
