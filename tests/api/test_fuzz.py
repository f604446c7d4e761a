"""Schemathesis fuzzes the OpenAPI document of the running PostgREST (issue 2, section 6): whatever a
client sends, anonymously or with a player token, the answer is never a 5xx.

Every operation of the document is fuzzed; none is excluded. The bounds, and why:
- the fuzzing phase runs with max_examples=8 per operation and caller (about 1,000 requests in all);
- schemathesis' coverage phase is disabled: on this document (65 operations, each view with a filter per
  column plus select/order/limit/offset/Range/Prefer) it sends about 7,700 requests per caller, some 40 s
  each, which the suite's time budget cannot carry. The fuzzing phase draws from the same parameter space,
  positive and negative, only fewer of each;
- hypothesis keeps no example database (database=None), so a run does not depend on the previous one;
  a failure prints the seed and a curl command that reproduces it;
- header values whose bytes on the wire are not UTF-8 are not sent (bodies, paths, query strings and every
  other header value are). PostgREST 12.0.2 decodes every request header, of any name, with a UTF-8
  decoder that throws (it builds the SQL setting request.headers from them), so a value whose bytes are
  not UTF-8 answers 500 "Something went wrong" before any SQL of ours runs. The only headers this document
  lets schemathesis fill are Range, Range-Unit and Prefer, and it sends a character 0x80-0xFF as that
  single byte. tests/api/test_header_bytes.py pins the exact behaviour, with the source lines, as strict
  xfails: when they turn red, PostgREST is fixed and this filter goes.

The map endpoints of issue 12 (validate_map, publish_map, restore_map, room_maps, map_versions, tilesets)
are operations of the document like every other, so both runs above fuzz them; the test below checks that
they are there. Two more runs fuzz them with the callers who get furthest into them, again with no case
dropped and checked for the same thing (no 5xx):
- a world's owner, whose world and room (with a published map) stand in for a world_slug and a room_slug
  that name neither (a random world is a 404 before any map is read, which the runs above already send), so
  that publish_map and restore_map validate the generated map and version against a real room;
- content_admin, who publishes in the installation's world ark (world_slug stands for ark the same way) and
  writes /tilesets. Each case runs against the registry as the seed made it: the owner puts the rows back
  after every case, since an unfiltered PATCH or DELETE would change them for every later test, and removes
  any room a case published into ark.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import hypothesis
import psycopg
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error

from tests.api.conftest import MakeRoom
from tests.api.expect import ok
from tests.api.test_maps import MapWorld, map_world, tiled_map
from tests.api.worlds import Register
from tests.support.protocols import MakeToken, Player

FUZZ = hypothesis.settings(
    max_examples=8,
    deadline=None,
    database=None,
    # Generating from PostgREST's wide parameter lists is slow by hypothesis' standards, and that is fine.
    suppress_health_check=list(hypothesis.HealthCheck),
)


@pytest.fixture(scope="module")
def api_schema(postgrest: str) -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
    loaded = schemathesis.openapi.from_url(f"{postgrest}/", config=config)

    @loaded.hook("filter_headers")
    def header_bytes_are_utf8(ctx: Any, headers: dict[str, Any] | None) -> bool:
        # Exactly the upstream header-decoding defect described above (test_header_bytes.py): a value is
        # dropped only when the bytes it goes out as (one per character, as the client sends them) are
        # not UTF-8. Everything else, non-ASCII values included, is fuzzed as generated.
        return headers is None or all(_wire_bytes_are_utf8(str(value)) for value in headers.values())

    return loaded


def _wire_bytes_are_utf8(value: str) -> bool:
    try:
        value.encode("latin-1").decode("utf-8")
    except UnicodeError:  # not sendable as one byte per character, or those bytes are not UTF-8
        return value.isascii()
    return True


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def fuzz_player(player: Player, make_room: MakeRoom) -> Player:
    """A player standing in a room of their own, so that move, say_nearby and leave_room go past 'not in a room'."""
    ok(player.http.post("/rpc/enter_room", json={"room_slug": make_room()}))
    return player


@schema.parametrize()
@FUZZ
def test_anonymous_requests_never_get_a_5xx(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(checks=[not_a_server_error])


@schema.parametrize()
@FUZZ
def test_player_requests_never_get_a_5xx(case: schemathesis.Case[Any], fuzz_player: Player) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_player.token}"}, checks=[not_a_server_error])


# The operations issue 12 added, as the document lists them (views: every method PostgREST documents).
MAP_OPERATIONS = {
    ("GET", "/rpc/validate_map"),
    ("POST", "/rpc/validate_map"),
    ("GET", "/rpc/publish_map"),
    ("POST", "/rpc/publish_map"),
    ("GET", "/rpc/restore_map"),
    ("POST", "/rpc/restore_map"),
    ("GET", "/room_maps"),
    ("GET", "/map_versions"),
    ("POST", "/map_versions"),
    ("PATCH", "/map_versions"),
    ("DELETE", "/map_versions"),
    ("GET", "/tilesets"),
    ("POST", "/tilesets"),
    ("PATCH", "/tilesets"),
    ("DELETE", "/tilesets"),
}
MAP_PATHS = r"^/(rpc/(validate_map|publish_map|restore_map)|room_maps|map_versions|tilesets)$"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
map_schema = schema.include(path_regex=MAP_PATHS)


def test_the_fuzzed_document_has_every_map_endpoint(api_schema: schemathesis.BaseSchema) -> None:
    fuzzed = set()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        fuzzed.add((operation.method.upper(), operation.path))
    assert MAP_OPERATIONS <= fuzzed, sorted(MAP_OPERATIONS - fuzzed)


def _stand_in(case: schemathesis.Case[Any], world: str, room: str) -> None:
    """In a function's arguments, world_slug names world, and room_slug, when it is no slug at all, names
    room; everything else of the case (the views' filters on world_slug and room_slug too) is sent as generated."""
    if not case.operation.path.startswith("/rpc/"):
        return
    for args in (case.body, case.query):
        if isinstance(args, dict):
            if "world_slug" in args:
                args["world_slug"] = world
            if "room_slug" in args and not (isinstance(args["room_slug"], str) and SLUG.match(args["room_slug"])):
                args["room_slug"] = room


@pytest.fixture
def map_owner(registered: Register, world_slugs: list[str]) -> MapWorld:
    """A world's owner, with the room `garden` holding a published map (version 1)."""
    world = map_world(registered, world_slugs)
    body = {"world_slug": world.slug, "room_slug": "garden", "map": tiled_map(8, 8, walls={(3, 3)}, spawn=(1, 1))}
    ok(world.owner.http.post("/rpc/publish_map", json=body))
    return world


@map_schema.parametrize()
@FUZZ
def test_world_owner_map_requests_never_get_a_5xx(case: schemathesis.Case[Any], map_owner: MapWorld) -> None:
    _stand_in(case, map_owner.slug, "garden")
    case.call_and_validate(headers={"Authorization": f"Bearer {map_owner.owner.token}"}, checks=[not_a_server_error])


TILESET_COLUMNS = "name, image, tile_width, tile_height, columns, tilecount, image_width, image_height"


@dataclass(frozen=True)
class Registry:
    tilesets: list[tuple[Any, ...]]
    ark_rooms: list[str]


@pytest.fixture
def registry(owner_conn: psycopg.Connection[Any]) -> Iterator[Registry]:
    """The tileset registry and ark's rooms as they were before the test: put back after every case (and
    once more at the end)."""
    before = Registry(
        owner_conn.execute(f"SELECT {TILESET_COLUMNS} FROM app.tilesets ORDER BY name").fetchall(),
        _ark_rooms(owner_conn),
    )
    yield before
    _put_back(owner_conn, before)


def _ark_rooms(owner_conn: psycopg.Connection[Any]) -> list[str]:
    return [
        r[0]
        for r in owner_conn.execute(
            "SELECT r.slug FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE w.slug = 'ark'"
        ).fetchall()
    ]


def _put_back(owner_conn: psycopg.Connection[Any], before: Registry) -> None:
    with owner_conn.transaction():
        owner_conn.execute("DELETE FROM app.tilesets WHERE name <> ALL(%s)", ([r[0] for r in before.tilesets],))
        for row in before.tilesets:
            owner_conn.execute(
                f"INSERT INTO app.tilesets ({TILESET_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (name) DO UPDATE SET image = EXCLUDED.image, tile_width = EXCLUDED.tile_width,"
                " tile_height = EXCLUDED.tile_height, columns = EXCLUDED.columns, tilecount = EXCLUDED.tilecount,"
                " image_width = EXCLUDED.image_width, image_height = EXCLUDED.image_height",
                row,
            )
        owner_conn.execute(
            "DELETE FROM app.rooms WHERE slug <> ALL(%s) AND world_id = (SELECT id FROM app.worlds WHERE slug = 'ark')",
            (before.ark_rooms,),
        )


@map_schema.parametrize()
@FUZZ
def test_content_admin_map_requests_never_get_a_5xx(
    case: schemathesis.Case[Any],
    registry: Registry,
    make_token: MakeToken,
    owner_conn: psycopg.Connection[Any],
) -> None:
    _stand_in(case, "ark", f"fuzz-{uuid.uuid4().hex[:8]}")
    try:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {make_token('content_admin')}"}, checks=[not_a_server_error]
        )
    finally:
        _put_back(owner_conn, registry)
