"""The map corpus of issue 12 (tests/maps/*.json) through the real PostgREST: validate_map and publish_map.

Each corpus file is {"description", "expect": {"ok", "errors": [{severity, path, message_contains?}],
"summary"?}, "publish"?, "published"?, "world_agents"?, "map"}. For every rule of notes/maps-spec.md there is
a valid map and an invalid one; an invalid map carries exactly one problem (the multi-* maps carry several,
all reported at once), so the (severity, path) pairs are asserted exactly, as a multiset.

- validate_map (a signed-in player): 200, ok and the exact (severity, path) pairs, each message a non-empty
  string, every path a JSON pointer whose parent lies in the submitted map, and the summary subset.
- publish_map into a fresh world of the test's own: a valid map gives version 1, GET /room_maps returns it
  unchanged, and the rows it derives (room settings, spawn points, buildings) are the `published` ones; an
  invalid map gives 400 PT400 with the same pairs in details, creates no room, and once the room has a map,
  leaves its version, its map and its history as they were.
  `publish` overrides `expect` where publish knows more than validate_map: portal targets and world agents.
- The limit cases (1001 tiles wide, 65 layers, 10,001 objects, 33 tilesets, over 4 MB) are built here at
  test time, beside their just-inside twins, from the corpus's base map.
- The WorkAdventure-style map publishes into a world and yields its start-layer spawns, its walls (a REST
  move onto or across one is refused with reason blocked) and its jitsiRoom meeting.
"""

from __future__ import annotations

import copy
import functools
import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.api.expect import error, ok
from tests.api.worlds import Register, new_world
from tests.bridge.worlds import insert_world
from tests.support.protocols import AnonLogin, ClientFactory, Player

CORPUS = Path(__file__).resolve().parent.parent / "maps"
ROOM = "corpus-room"  # the room every corpus map is published into (portal-self-target-invalid names it)
LIMIT = 4_194_304  # bytes of JSON text
SUMMARY_KEYS = {"width", "height", "tile_width", "tile_height", "layers", "blocked_tiles", "spawn_points", "buildings"}
INVALID = ("the map is not valid",)


# ------------------------------------------------------------------------------------- generated limit cases
def _file(name: str) -> dict[str, Any]:
    case: dict[str, Any] = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    return case


def _base() -> dict[str, Any]:
    """The corpus's base map (format-valid): 6x5, a wall at (4, 1), the spawn Gate at (0, 4)."""
    return copy.deepcopy(_file("format-valid")["map"])


def _sized(width: int, height: int) -> dict[str, Any]:
    """A grass map of width x height with its spawn Gate on (0, 0)."""
    m = _base()
    m["width"], m["height"] = width, height
    ground = m["layers"][0]
    ground.update(width=width, height=height, data=[1] * (width * height))
    m["layers"][1]["objects"][0].update(x=16, y=16)
    return m


def _case(description: str, m: dict[str, Any], errors: list[dict[str, str]],
          summary: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    expect: dict[str, Any] = {"ok": not any(e["severity"] == "error" for e in errors), "errors": errors}
    if summary is not None:
        expect["summary"] = summary
    return {"description": description, "expect": expect, "map": m}


def _error(path: str) -> dict[str, str]:
    return {"severity": "error", "path": path}


def _empty_layer(layer_id: int, width: int = 6, height: int = 5) -> dict[str, Any]:
    return {"id": layer_id, "name": f"deco-{layer_id}", "type": "tilelayer", "width": width, "height": height,
            "x": 0, "y": 0, "opacity": 1, "visible": True, "data": [0] * (width * height)}  # fmt: skip


def _layers(tile_layers: int) -> dict[str, Any]:
    """The base map with `tile_layers` tile layers in all (ground first, the rest empty, half of them inside a
    group layer, which is not counted) and its object layer last."""
    m = _base()
    ground, objects = m["layers"]
    extra = [_empty_layer(10 + n) for n in range(tile_layers - 1)]
    half = len(extra) // 2
    group = {"id": 9, "name": "group", "type": "group", "x": 0, "y": 0, "opacity": 1, "visible": True,
             "layers": extra[:half]}  # fmt: skip
    m["layers"] = [ground, group, *extra[half:], objects]
    return m


def _objects(count: int) -> dict[str, Any]:
    """The base map with `count` objects in all: the spawn and plain objects, over two object layers, the
    second inside a group layer."""
    m = _base()
    plain = [{"id": 100 + n, "name": "", "x": 8 * (n % 24), "y": 8 * (n // 24 % 20), "width": 0, "height": 0,
              "rotation": 0, "visible": True, "point": True} for n in range(count - 1)]  # fmt: skip
    half = len(plain) // 2
    m["layers"][1]["objects"] += plain[:half]
    second = {**copy.deepcopy(m["layers"][1]), "id": 3, "name": "more", "objects": plain[half:]}
    m["layers"].append({"id": 4, "name": "group", "type": "group", "x": 0, "y": 0, "opacity": 1, "visible": True,
                        "layers": [second]})  # fmt: skip
    return m


def _tilesets(count: int) -> dict[str, Any]:
    m = _base()
    first = m["tilesets"][0]
    m["tilesets"] = [{**copy.deepcopy(first), "firstgid": 1 + 64 * n} for n in range(count)]
    m["layers"][0]["data"][0] = 64 * count  # the last tile of the last tileset
    return m


def _padded(size: int, separators: tuple[str, str] | None, **over: Any) -> dict[str, Any]:
    """The base map padded with a property `padding` to exactly `size` bytes of JSON text, as json.dumps
    writes it with these separators (None: ", " and ": ", as PostgreSQL prints jsonb; (",", ":"): compact, as
    httpx sends it). A map padded to the limit in the wider form is within it in every form, and one padded
    past it in the compact form is past it in every form."""
    m = _base()
    m.update(over)
    m["properties"] = [{"name": "padding", "type": "string", "value": ""}]
    text = json.dumps(m, separators=separators) if separators else json.dumps(m)
    m["properties"][0]["value"] = "x" * (size - len(text.encode()))
    text = json.dumps(m, separators=separators) if separators else json.dumps(m)
    assert len(text.encode()) == size
    return m


GENERATED: dict[str, Callable[[], dict[str, Any]]] = {
    "limit-width-1000-valid": lambda: _case(
        "1000 x 1 tiles.", _sized(1000, 1), [], {"width": 1000, "height": 1, "blocked_tiles": 0}
    ),
    "limit-width-1001-invalid": lambda: _case("1001 x 1 tiles: too wide.", _sized(1001, 1), [_error("/width")]),
    "limit-height-1000-valid": lambda: _case("1 x 1000 tiles.", _sized(1, 1000), [], {"width": 1, "height": 1000}),
    "limit-height-1001-invalid": lambda: _case("1 x 1001 tiles: too high.", _sized(1, 1001), [_error("/height")]),
    "limit-area-250000-valid": lambda: _case(
        "500 x 500 = 250,000 tiles, the most allowed.", _sized(500, 500), [], {"width": 500, "height": 500}
    ),
    "limit-area-250500-invalid": lambda: _case(
        "501 x 500 = 250,500 tiles: too many (the path is /width).", _sized(501, 500), [_error("/width")]
    ),
    "limit-layers-64-valid": lambda: _case(
        "63 tile layers (31 in a group) and an object layer: 64, the group not counted.",
        _layers(63),
        [],
        {"layers": 64, "blocked_tiles": 1, "spawn_points": 1},
    ),
    "limit-layers-65-invalid": lambda: _case(
        "64 tile layers and an object layer: 65.", _layers(64), [_error("/layers")]
    ),
    "limit-objects-10000-valid": lambda: _case(
        "10,000 objects over two object layers, one inside a group.",
        _objects(10_000),
        [],
        {"layers": 3, "spawn_points": 1, "buildings": 0},
    ),
    "limit-objects-10001-invalid": lambda: _case(
        "10,001 objects over two object layers.", _objects(10_001), [_error("/layers")]
    ),
    "limit-tilesets-32-valid": lambda: _case(
        "32 embedded tilesets; a gid of the last one (2048).", _tilesets(32), [], {"blocked_tiles": 1}
    ),
    "limit-tilesets-33-invalid": lambda: _case("33 embedded tilesets.", _tilesets(33), [_error("/tilesets")]),
    "limit-size-4mb-valid": lambda: _case(
        "Exactly 4,194,304 bytes of JSON text (with spaces after separators).",
        _padded(LIMIT, None),
        [],
        {"width": 6, "height": 5, "spawn_points": 1},
    ),
    "limit-size-over-4mb-invalid": lambda: _case(
        "4,194,305 bytes of compact JSON text: only the size is reported.", _padded(LIMIT + 1, (",", ":")), [_error("")]
    ),
    "limit-size-over-4mb-with-problems-invalid": lambda: _case(
        "Over 4 MB with other problems: only the size is reported.",
        _padded(LIMIT + 1000, (",", ":"), type="x", orientation="isometric", width=0),
        [_error("")],
    ),
}

CASE_IDS = sorted([path.stem for path in CORPUS.glob("*.json")] + list(GENERATED))


@functools.cache
def _load(name: str) -> dict[str, Any]:
    return GENERATED[name]() if name in GENERATED else _file(name)


def load_case(name: str) -> dict[str, Any]:
    """The case, a copy the test may not spoil for the next one."""
    return copy.deepcopy(_load(name))


# ------------------------------------------------------------------------------------------------- checks
def pairs(errors: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((e["severity"], e["path"]) for e in errors)


def resolves(document: Any, pointer: str) -> bool:
    """Whether an RFC 6901 JSON pointer names a value in document."""
    if pointer == "":
        return True
    if not pointer.startswith("/"):
        return False
    value = document
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return False
    return True


def check_errors(got: list[dict[str, Any]], expected: list[dict[str, Any]], submitted: Any) -> None:
    __tracebackhide__ = True
    assert isinstance(got, list), got
    for e in got:
        assert set(e) == {"severity", "path", "message"}, e
        assert e["severity"] in ("error", "warning"), e
        assert isinstance(e["message"], str) and e["message"].strip(), e
        assert isinstance(e["path"], str), e
        # The parent of every path lies in the map (the last step may name what is missing, or a gid of base64).
        assert resolves(submitted, e["path"].rpartition("/")[0]), e
    assert pairs(got) == pairs(expected), json.dumps(got, indent=1)
    for want in expected:
        if "message_contains" in want:
            messages = [e["message"] for e in got if (e["severity"], e["path"]) == (want["severity"], want["path"])]
            assert any(want["message_contains"] in m for m in messages), (want, messages)


def check_summary(summary: Any, expected: dict[str, Any] | None) -> None:
    __tracebackhide__ = True
    if expected is None:
        return
    assert isinstance(summary, dict) and SUMMARY_KEYS <= set(summary), summary
    assert {k: summary[k] for k in expected} == expected, summary


def room_maps(who: httpx.Client, world: str, room: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ok(
        who.get("/room_maps", params={"world_slug": f"eq.{world}", "room_slug": f"eq.{room}"})
    )
    return rows


def publish(who: httpx.Client, world: str, room: str, m: Any) -> httpx.Response:
    return who.post("/rpc/publish_map", json={"world_slug": world, "room_slug": room, "map": m})


def check_published(who: httpx.Client, room_id: str, expected: dict[str, Any] | None) -> None:
    """The rows a published map derived: the room's settings and its spawn points and buildings, by slug."""
    __tracebackhide__ = True
    if not expected:
        return
    if "room" in expected:
        [room] = ok(who.get("/rooms", params={"id": f"eq.{room_id}"}))
        assert {k: room[k] for k in expected["room"]} == expected["room"], room
    for path in ("spawn_points", "buildings"):
        if path in expected:
            rows = {r["slug"]: r for r in ok(who.get(f"/{path}", params={"room_id": f"eq.{room_id}"}))}
            want = {r["slug"]: r for r in expected[path]}
            assert set(rows) == set(want), (path, rows)
            for slug, row in want.items():
                assert {k: rows[slug][k] for k in row} == row, (path, rows[slug])


def world_id(who: Player, slug: str) -> str:
    world: dict[str, Any] = ok(who.http.post("/rpc/get_world", json={"slug": slug}))
    return str(world["id"])


def agent_body(world: str, slug: str) -> dict[str, Any]:
    return {"world_slug": world, "slug": slug, "name": "Corpus Agent", "role": "Tester", "emoji": "🧪",
            "sprite_key": "steven", "greeting": "Hello.", "system_prompt": "You test maps."}  # fmt: skip


@pytest.fixture(scope="module")
def validator(anon_login: AnonLogin, postgrest: str) -> Iterator[httpx.Client]:
    """One signed-in player validating every corpus map: a sign-in per case would spend a third of the
    installation's login_anonymous budget (600 per 10 minutes, all callers together) on this module alone."""
    body = anon_login("Map validator", "brendan")
    headers = {"Authorization": f"Bearer {body['token']}"}
    with httpx.Client(base_url=postgrest, headers=headers, timeout=30.0, verify=False) as http:
        yield http


@pytest.fixture
def own_world(owner_conn: psycopg.Connection[Any], client: ClientFactory) -> Iterator[tuple[Player, str]]:
    """(owner, world slug): a private world with its lobby, of an owner made as the database owner with a
    token from auth.issue_token (for the login_anonymous budget, as above; create_world through the API is
    what the WorkAdventure and jitsiRoom tests below use). Deleted with its owner when the test ends, its
    buildings first: a portal's target room is ON DELETE RESTRICT."""
    row = owner_conn.execute(
        "INSERT INTO app.users (display_name, avatar_sprite) VALUES ('Map publisher', 'brendan') RETURNING id"
    ).fetchone()
    assert row is not None
    user_id = str(row[0])
    token = owner_conn.execute("SELECT auth.issue_token(%s::uuid) ->> 'token'", (user_id,)).fetchone()
    assert token is not None
    world_id, slug = insert_world(owner_conn, user_id, "private", "corpus")
    yield Player(user_id, token[0], client(token[0]), {}), slug
    owner_conn.execute(
        "DELETE FROM app.buildings b USING app.rooms r WHERE b.room_id = r.id AND r.world_id = %s", (world_id,)
    )
    owner_conn.execute("DELETE FROM app.worlds WHERE id = %s", (world_id,))
    owner_conn.execute("DELETE FROM app.users WHERE id = %s", (user_id,))


# --------------------------------------------------------------------------------------------------- tests
# Each rule of maps-spec.md with its valid and its invalid case.
RULES: dict[str, tuple[str, str]] = {
    "type is map": ("format-valid", "format-type-invalid"),
    "orientation orthogonal": ("format-valid", "format-orientation-invalid"),
    "infinite false (missing is false)": ("format-infinite-missing-valid", "format-infinite-invalid"),
    "a JSON object": ("format-valid", "format-not-object-array-invalid"),
    "at most 4 MB": ("limit-size-4mb-valid", "limit-size-over-4mb-invalid"),
    "width 1..1000": ("limit-width-1000-valid", "limit-width-1001-invalid"),
    "height 1..1000": ("limit-height-1000-valid", "limit-height-1001-invalid"),
    "width x height <= 250,000": ("limit-area-250000-valid", "limit-area-250500-invalid"),
    "tile size 8..256": ("size-tile-8-valid", "size-tilewidth-7-invalid"),
    "tile size up to 256": ("size-tile-256-valid", "size-tilewidth-257-invalid"),
    "layers an array": ("layers-group-valid", "layers-missing-invalid"),
    "at most 64 layers": ("limit-layers-64-valid", "limit-layers-65-invalid"),
    "no compression": ("layer-compression-empty-valid", "layer-compression-zlib-invalid"),
    "encoding csv or base64": ("layer-data-csv-encoding-valid", "layer-encoding-invalid"),
    "data: width x height gids": ("layer-data-base64-valid", "layer-data-short-invalid"),
    "base64 of 4 x width x height bytes": ("layer-data-base64-valid", "layer-data-base64-length-invalid"),
    "layer size is the map's": ("format-valid", "layer-width-invalid"),
    "gids within a tileset": ("gid-valid", "gid-invalid"),
    "gids between tilesets": ("gid-two-tilesets-valid", "gid-gap-invalid"),
    "tilesets an array": ("tilesets-empty-valid", "tilesets-missing-invalid"),
    "at most 32 tilesets": ("limit-tilesets-32-valid", "limit-tilesets-33-invalid"),
    "embedded tilesets": ("tileset-registry-valid", "tileset-source-invalid"),
    "registry image": ("tileset-registry-valid", "tileset-image-url-invalid"),
    "registry tile size and columns": ("tileset-registry-valid", "tileset-columns-invalid"),
    "firstgid a positive integer": ("gid-two-tilesets-valid", "tileset-firstgid-zero-invalid"),
    "at most 10,000 objects": ("limit-objects-10000-valid", "limit-objects-10001-invalid"),
    "object class via class": ("class-via-class-valid", "class-via-class-invalid"),
    "object class via type": ("class-via-type-valid", "class-via-type-invalid"),
    "class before type": ("class-wins-over-type-valid", "class-wins-over-type-invalid"),
    "map property name": ("properties-valid", "properties-name-empty-invalid"),
    "map property max_speed": ("properties-bounds-valid", "properties-max-speed-0-invalid"),
    "map property proximity_radius": ("properties-bounds-valid", "properties-proximity-radius-101-invalid"),
    "spawn point off walls": ("spawn-point-valid", "spawn-point-wall-invalid"),
    "spawn inside the map": ("spawn-point-edge-valid", "spawn-outside-right-invalid"),
    "spawn rectangle by its centre": ("spawn-rectangle-valid", "spawn-rectangle-wall-invalid"),
    "start layer off walls": ("start-layer-valid", "start-layer-wall-invalid"),
    "no spawn: a warning": ("no-spawn-warning-valid", "no-spawn-warning-invalid"),
    "a walkable tile": ("no-walkable-valid", "no-walkable-invalid"),
    "walls by tile property": ("walls-tile-property-valid", "walls-tile-property-invalid"),
    "walls by layer property": ("walls-layer-property-valid", "walls-layer-property-invalid"),
    "agent_room with a known agent": ("agent-room-valid", "agent-room-unknown-agent-invalid"),
    "agent_room with an agent": ("agent-room-valid", "agent-room-no-agent-invalid"),
    "agent_room with a door": ("agent-room-door-object-valid", "agent-room-no-door-invalid"),
    "door inside and walkable": ("agent-room-valid", "agent-room-door-wall-invalid"),
    "building inside the map": ("agent-room-valid", "agent-room-outside-invalid"),
    "building slugs distinct": ("building-slug-valid", "building-slug-taken-invalid"),
    "portal with a target": ("portal-valid", "portal-no-target-invalid"),
    "portal with a door": ("portal-valid", "portal-no-door-invalid"),
    "meeting with a jitsiRoom": ("meeting-valid", "meeting-no-jitsi-invalid"),
    "jitsiRoom shape": ("meeting-jitsi-64-valid", "meeting-jitsi-65-invalid"),
    "jitsiRoom distinct": ("meeting-valid", "meeting-jitsi-taken-invalid"),
    "jitsiRoom area is a meeting": ("area-jitsi-class-valid", "area-jitsi-bad-invalid"),
    "agent_spawn with a known agent": ("agent-spawn-valid", "agent-spawn-unknown-agent-invalid"),
    "agent_spawn off walls": ("agent-spawn-valid", "agent-spawn-wall-invalid"),
}


def test_every_rule_has_a_valid_and_an_invalid_case_and_every_case_is_well_formed() -> None:
    for rule, (valid, invalid) in RULES.items():
        assert valid in CASE_IDS and invalid in CASE_IDS, rule
        assert _load(valid)["expect"]["errors"] == [], rule
        assert _load(invalid)["expect"]["errors"], rule
    for name in (path.stem for path in CORPUS.glob("*.json")):
        case = _file(name)
        assert set(case) <= {"description", "expect", "publish", "published", "world_agents", "map"}, name
        assert {"description", "expect", "map"} <= set(case), name
        expect = case["expect"]
        assert expect["ok"] == (not any(e["severity"] == "error" for e in expect["errors"])), name
        if name != "workadventure-style":
            assert name.endswith("-invalid") == bool(expect["errors"] or "publish" in case), name
        for e in expect["errors"]:
            assert set(e) <= {"severity", "path", "message_contains"} and e["severity"] in ("error", "warning"), name


@pytest.mark.parametrize("name", CASE_IDS)
def test_validate_map(name: str, validator: httpx.Client) -> None:
    case = load_case(name)
    body = ok(validator.post("/rpc/validate_map", json={"map": case["map"]}))
    assert isinstance(body, dict) and set(body) == {"ok", "errors", "summary"}, body
    assert body["ok"] is case["expect"]["ok"], body["errors"]
    check_errors(body["errors"], case["expect"]["errors"], case["map"])
    check_summary(body["summary"], case["expect"].get("summary"))


@pytest.mark.parametrize("name", CASE_IDS)
def test_publish_map(name: str, own_world: tuple[Player, str]) -> None:
    case = load_case(name)
    expected = case.get("publish", case["expect"])
    owner, slug = own_world
    for agent in case.get("world_agents", []):
        ok(owner.http.post("/rpc/create_agent", json=agent_body(slug, agent)))

    if expected["ok"]:
        body = ok(publish(owner.http, slug, ROOM, case["map"]))
        assert set(body) == {"room_id", "version", "summary"} and body["version"] == 1, body
        check_summary(body["summary"], case["expect"].get("summary"))
        [row] = room_maps(owner.http, slug, ROOM)
        assert (row["room_id"], row["world_slug"], row["room_slug"], row["version"]) == (body["room_id"], slug, ROOM, 1)
        assert row["map"] == case["map"]
        [room] = ok(owner.http.get("/rooms", params={"id": f"eq.{body['room_id']}"}))
        assert (room["slug"], room["map_version"]) == (ROOM, 1), room
        # A room made by publish_map has only what its map derived.
        for path in ("spawn_points", "buildings"):
            rows = ok(owner.http.get(f"/{path}", params={"room_id": f"eq.{body['room_id']}"}))
            assert all(r["derived"] is True for r in rows), (path, rows)
        check_published(owner.http, body["room_id"], case.get("published"))
        return

    def refused() -> None:
        answer = error(publish(owner.http, slug, ROOM, case["map"]), 400, "PT400", *INVALID)
        assert isinstance(answer["details"], str), answer
        check_errors(json.loads(answer["details"])["errors"], expected["errors"], case["map"])

    # A map refused for a room that has none: no room, no map.
    refused()
    assert room_maps(owner.http, slug, ROOM) == []
    assert [r["slug"] for r in ok(owner.http.get("/rooms", params={"world_id": f"eq.{world_id(owner, slug)}"}))] == [
        "lobby"
    ]
    # And once the room has a map, a refused one leaves its version, its map and its history alone.
    base = load_case("format-valid")["map"]
    first = ok(publish(owner.http, slug, ROOM, base))
    assert first["version"] == 1
    refused()
    [row] = room_maps(owner.http, slug, ROOM)
    assert (row["version"], row["map"]) == (1, base)
    [room] = ok(owner.http.get("/rooms", params={"id": f"eq.{first['room_id']}"}))
    assert room["map_version"] == 1, room
    history = ok(owner.http.get("/map_versions", params={"room_id": f"eq.{first['room_id']}"}))
    assert [v["version"] for v in history] == [1]


def test_validate_map_is_for_players_and_content_admin(client: ClientFactory, content_admin: httpx.Client) -> None:
    m = load_case("format-valid")["map"]
    body = ok(content_admin.post("/rpc/validate_map", json={"map": m}))
    assert (body["ok"], body["errors"]) == (True, [])
    error(client().post("/rpc/validate_map", json={"map": m}), 401, "42501")


def test_a_jitsi_room_taken_in_another_room_of_the_world_is_refused_on_publish(
    registered: Register, world_slugs: list[str]
) -> None:
    m = load_case("meeting-valid")["map"]  # its meeting, object 1 of layer 1, has jitsiRoom Corpus_Board-1
    owner = registered()
    slug = new_world(owner, world_slugs, "private")["slug"]
    assert ok(publish(owner.http, slug, "north", m))["version"] == 1
    answer = error(publish(owner.http, slug, "south", m), 400, "PT400", *INVALID)
    assert pairs(json.loads(answer["details"])["errors"]) == Counter({("error", "/layers/1/objects/1/properties/0"): 1})
    assert room_maps(owner.http, slug, "south") == []
    # The same room publishing it again is no clash: its own meeting is replaced.
    assert ok(publish(owner.http, slug, "north", m))["version"] == 2
    # Another world may use the same name.
    other = registered()
    assert ok(publish(other.http, new_world(other, world_slugs, "private")["slug"], "south", m))["version"] == 1


def test_the_workadventure_style_map_gives_its_spawns_walls_and_meeting(
    registered: Register, world_slugs: list[str]
) -> None:
    case = load_case("workadventure-style")
    owner = registered()
    world = new_world(owner, world_slugs, "private")["slug"]
    room = f"office-{uuid.uuid4().hex[:6]}"
    body = ok(publish(owner.http, world, room, case["map"]))
    assert body["summary"]["blocked_tiles"] == case["expect"]["summary"]["blocked_tiles"] == 10
    check_summary(body["summary"], case["expect"]["summary"])
    room_id = body["room_id"]

    spawns = ok(owner.http.get("/spawn_points", params={"room_id": f"eq.{room_id}"}))
    assert sorted((s["slug"], s["type"], s["x"], s["y"]) for s in spawns) == [
        ("start-1", "player", 1, 1), ("start-2", "player", 2, 6)
    ]  # fmt: skip
    buildings = ok(owner.http.get("/buildings", params={"room_id": f"eq.{room_id}"}))
    assert [(b["type"], b["jitsi_room"], b["slug"], b["x"], b["y"], b["width"], b["height"]) for b in buildings] == [
        ("meeting", "WA-Meeting", "meeting-room", 5, 0, 5, 5)
    ]
    check_published(owner.http, room_id, case["published"])

    # The walls: column 4 (rows 0, 1, 3, 4) and row 5 (columns 4..9); (4, 2) is the way in.
    state = ok(owner.http.post("/rpc/enter_room", json={"room_slug": room, "world_slug": world}))
    me = [p for p in state["players"] if p["user_id"] == owner.user_id]
    assert [(p["x"], p["y"]) for p in me] == [(1, 1)]  # start-1, the first player spawn by slug
    try:
        for x in (2, 3):
            ok(owner.http.post("/rpc/move", json={"x": x, "y": 1, "direction": "right"}))

        def position() -> tuple[int, int]:
            [row] = ok(owner.http.get("/presence", params={"user_id": f"eq.{owner.user_id}"}))
            return row["x"], row["y"]

        for target in ((4, 1), (5, 1), (4, 0)):  # onto the wall, across it, onto it diagonally
            refused = error(owner.http.post("/rpc/move", json={"x": target[0], "y": target[1], "direction": "right"}),
                            400, "22023")  # fmt: skip
            assert refused["details"] == "blocked", (target, refused)
            assert position() == (3, 1)
        for x, y in ((3, 2), (4, 2), (5, 2)):  # through the gap, into the meeting room
            ok(owner.http.post("/rpc/move", json={"x": x, "y": y, "direction": "right"}))
        assert position() == (5, 2)
    finally:
        owner.http.post("/rpc/leave_room")

    # Another map in the same room replaces what the first derived.
    again = ok(publish(owner.http, world, room, load_case("format-valid")["map"]))
    assert (again["room_id"], again["version"]) == (room_id, 2)
    assert [r["map_version"] for r in ok(owner.http.get("/rooms", params={"id": f"eq.{room_id}"}))] == [2]
    check_published(owner.http, room_id, {"spawn_points": [{"slug": "gate", "x": 0, "y": 4}], "buildings": []})
