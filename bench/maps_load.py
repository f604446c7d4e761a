"""Times publish_map and validate_map of a 200x200 map through PostgREST, and realtime.apply_moves with walls.

Usage: maps_load.py OWNER_URL API_BASE TOKEN WORLD_SLUG ROUNDS MOVE_CALLS MOVE_ROUNDS (bench/bench_maps.sh).

The map is generated here, with no randomness but a fixed seed: 200x200 tiles of 32 px, the installation's
ark-town tileset (embedded as db/maps/town.json embeds it), four layers: ground (grass, ponds of water,
which collides), walls (the buildings' walls and trees, which collide), decoration (flowers and stones,
which do not) and objects, an object group of 500 objects: 50 portals to the world's lobby (each with a
door point), 50 agent rooms (door_x/door_y), 100 meetings (a jitsiRoom each), 200 spawns and 50 agent
spawns. The room is a grid of 20x20 cells of 10x10 tiles: every fourth column of cells holds walled
8x8 buildings with a door at the bottom, the column two along holds open meeting zones, the rest are
open ground with a spawn point and six trees or ponds.

First the HTTP side, as the world's owner (TOKEN): one round of warm-up (its publish, version 1, creates the
room and is printed as first_publish), then ROUNDS rounds of, in turn, POST /rpc/bench_noop with {} (a
function call that does nothing), POST /rpc/bench_map_noop with publish_map's very body (a function of the
same arguments that does nothing, created by bench_maps.sh in its throwaway database: what carrying and
parsing the JSON costs), POST /rpc/validate_map {map} and POST /rpc/publish_map (the next version each
round). Prints RESULT kind=... round=... ms=....

Then the move path, on the owner's connection: 200 players in the map's room, 180 of them in open cells and
20 just left of a building's west wall, step one tile right and back, 4 batches of 50 taking turns, as
bench/meetings_load.py does; so the 20 bump into the wall (rejected, blocked) on every step right when the
room has its map. Each of MOVE_ROUNDS rounds times MOVE_CALLS calls in each of three modes: **map**, the room
with its map (map_version set, walls enforced), and **nomap**, the same room with map_version NULL (no walls:
app.move_blocked finds no grid), interleaved: the mode changes every cycle of 8 calls (in which every batch
steps right and back), the side that starts alternating by round; then **stub**, a block of its own, the same
room with app.move_blocked replaced by the stub it was before issue 12 (SELECT false). Prints MOVES mode=...
round=... calls=... median_us=... p99_us=... rejected=... (per move: the call's wall time over its 50 moves).
"""

from __future__ import annotations

import json
import pathlib
import random
import statistics
import sys
import time
from typing import Any

import httpx
import psycopg

W = H = 200
CELL = 10
TILE = 32
ROOM = "bench-map"
AGENTS = ("scout", "sage", "chronicler", "trends", "maven")
GRASS, FLOOR, WALL, WATER, DOOR_MAT, TREE = 1, 3, 4, 5, 7, 9  # gids: firstgid 1 + the tile ids of db/maps/README.md
DECORATIONS = (11, 12, 13, 15)  # red flowers, yellow flowers, stones, potted plant: none collides
STUB = (
    "CREATE OR REPLACE FUNCTION app.move_blocked(room_id uuid, from_x integer, from_y integer, to_x integer,"
    " to_y integer) RETURNS boolean LANGUAGE sql STABLE SET search_path TO '' AS $$ SELECT false $$"
)


def prop(name: str, kind: str, value: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "value": value}


def make_map(tileset: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[int, int]], list[tuple[int, int]]]:
    """The map, the tiles of the 180 free movers and those of the 20 who stand left of a wall."""
    rng = random.Random(12)
    ground = [GRASS] * (W * H)
    walls = [0] * (W * H)
    deco = [0] * (W * H)
    objects: list[dict[str, Any]] = []
    free: list[tuple[int, int]] = []
    by_wall: list[tuple[int, int]] = []

    def at(x: int, y: int) -> int:
        return y * W + x

    def obj(**o: Any) -> None:
        o.setdefault("width", 0)
        o.setdefault("height", 0)
        o.setdefault("rotation", 0)
        o.setdefault("visible", True)
        objects.append({"id": len(objects) + 1, **o})

    n_building = n_meeting = n_open = 0
    for cy in range(H // CELL):
        for cx in range(W // CELL):
            x0, y0 = cx * CELL, cy * CELL
            if cx % 4 == 0:  # a walled 8x8 building, its door in the middle of the bottom wall
                n_building += 1
                dx, dy = x0 + 4, y0 + 8
                for y in range(y0 + 1, y0 + 9):
                    for x in range(x0 + 1, x0 + 9):
                        edge = x in (x0 + 1, x0 + 8) or y in (y0 + 1, y0 + 8)
                        ground[at(x, y)] = FLOOR
                        walls[at(x, y)] = DOOR_MAT if (x, y) == (dx, dy) else WALL if edge else 0
                rect = {"x": (x0 + 1) * TILE, "y": (y0 + 1) * TILE, "width": 8 * TILE, "height": 8 * TILE}
                if n_building % 2:
                    obj(
                        name=f"Portal {n_building}",
                        type="portal",
                        **rect,
                        properties=[
                            prop("slug", "string", f"portal-{n_building}"),
                            prop("target_room", "string", "lobby"),
                        ],
                    )
                    obj(name="", type="door", point=True, x=dx * TILE + TILE // 2, y=dy * TILE + TILE // 2)
                else:
                    obj(
                        name=f"Agent room {n_building}",
                        type="agent_room",
                        **rect,
                        properties=[
                            prop("agent", "string", AGENTS[n_building % 5]),
                            prop("door_x", "int", dx),
                            prop("door_y", "int", dy),
                            prop("slug", "string", f"agent-room-{n_building}"),
                        ],
                    )
                if len(by_wall) < 20:
                    by_wall.append((x0, y0 + 3))  # the gap column left of the west wall
            elif cx % 4 == 2:  # an open meeting zone
                n_meeting += 1
                obj(
                    name=f"Meeting {n_meeting}",
                    type="meeting",
                    x=(x0 + 1) * TILE,
                    y=(y0 + 1) * TILE,
                    width=8 * TILE,
                    height=8 * TILE,
                    properties=[prop("jitsiRoom", "string", f"bench-meeting-{n_meeting}")],
                )
            else:  # open ground: a spawn, maybe an agent's spot, six trees or ponds in the lower rows
                n_open += 1
                obj(
                    name=f"spawn {n_open}",
                    type="spawn",
                    point=True,
                    x=(x0 + 2) * TILE + 16,
                    y=(y0 + 2) * TILE + 16,
                    properties=[prop("direction", "string", "down")],
                )
                if n_open <= 50:
                    obj(
                        name=f"agent spot {n_open}",
                        type="agent_spawn",
                        point=True,
                        x=(x0 + 7) * TILE + 16,
                        y=(y0 + 2) * TILE + 16,
                        properties=[
                            prop("agent", "string", AGENTS[n_open % 5]),
                            prop("slug", "string", f"agent-spot-{n_open}"),
                        ],
                    )
                lower = [(x, y) for y in range(y0 + 4, y0 + 9) for x in range(x0 + 1, x0 + 9)]
                for i, (x, y) in enumerate(rng.sample(lower, 6)):
                    if i % 2:
                        walls[at(x, y)] = TREE
                    else:
                        ground[at(x, y)] = WATER
                if len(free) < 180:
                    free.append((x0 + 1, y0 + 1))
            for y in range(y0, y0 + CELL):
                for x in range(x0, x0 + CELL):
                    if walls[at(x, y)] == 0 and ground[at(x, y)] == GRASS and rng.random() < 0.15:
                        deco[at(x, y)] = rng.choice(DECORATIONS)

    def tile_layer(i: int, name: str, data: list[int]) -> dict[str, Any]:
        return {
            "id": i,
            "name": name,
            "type": "tilelayer",
            "width": W,
            "height": H,
            "x": 0,
            "y": 0,
            "opacity": 1,
            "visible": True,
            "data": data,
        }

    tiled = {
        "type": "map",
        "version": "1.10",
        "tiledversion": "1.10.2",
        "orientation": "orthogonal",
        "renderorder": "right-down",
        "infinite": False,
        "width": W,
        "height": H,
        "tilewidth": TILE,
        "tileheight": TILE,
        "nextlayerid": 5,
        "nextobjectid": len(objects) + 1,
        "tilesets": [tileset],
        "properties": [prop("name", "string", "Bench 200x200"), prop("max_speed", "float", 100)],
        "layers": [
            tile_layer(1, "ground", ground),
            tile_layer(2, "walls", walls),
            tile_layer(3, "decoration", deco),
            {
                "id": 4,
                "name": "objects",
                "type": "objectgroup",
                "draworder": "topdown",
                "x": 0,
                "y": 0,
                "opacity": 1,
                "visible": True,
                "objects": objects,
            },
        ],
    }
    assert len(objects) == 500, len(objects)
    return tiled, free, by_wall


def timed_post(client: httpx.Client, path: str, body: bytes, token: str) -> tuple[float, Any]:
    started = time.perf_counter()
    r = client.post(
        path, content=body, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    )
    elapsed = time.perf_counter() - started
    if r.status_code != 200:
        sys.exit(f"POST {path} answered {r.status_code}: {r.text[:2000]}")
    return elapsed * 1e3, r.json()


def http_rounds(api: str, token: str, world: str, tiled: dict[str, Any], rounds: int) -> None:
    publish_body = json.dumps({"world_slug": world, "room_slug": ROOM, "map": tiled}).encode()
    validate_body = json.dumps({"map": tiled}).encode()
    with httpx.Client(base_url=api, timeout=120) as client:
        for n in range(rounds + 1):  # round 0 warms up
            out: dict[str, float] = {}
            out["noop"], _ = timed_post(client, "/rpc/bench_noop", b"{}", token)
            out["noop_body"], _ = timed_post(client, "/rpc/bench_map_noop", publish_body, token)
            out["validate"], checked = timed_post(client, "/rpc/validate_map", validate_body, token)
            if not checked["ok"] or checked["errors"]:
                sys.exit(f"the bench map is not valid: {checked['errors'][:5]}")
            out["publish"], published = timed_post(client, "/rpc/publish_map", publish_body, token)
            if published["version"] != n + 1:
                sys.exit(f"round {n} published version {published['version']}, expected {n + 1}")
            if n == 0:
                s = published["summary"]
                print(
                    f"MAP bytes={len(publish_body)} width={s['width']} height={s['height']} layers={s['layers']}"
                    f" objects={len(tiled['layers'][3]['objects'])} blocked_tiles={s['blocked_tiles']}"
                    f" buildings={s['buildings']} spawn_points={s['spawn_points']}",
                    flush=True,
                )
                print(f"RESULT kind=first_publish round=0 ms={out['publish']:.2f}", flush=True)
                continue
            for kind, ms in out.items():
                print(f"RESULT kind={kind} round={n} ms={ms:.2f}", flush=True)


def move_rounds(
    url: str, world: str, free: list[tuple[int, int]], by_wall: list[tuple[int, int]], calls: int, rounds: int
) -> None:
    calls = -(-calls // 8) * 8  # whole cycles: every batch steps right and back, so each block ends where it began
    with psycopg.connect(url, autocommit=True) as conn:
        room_id, version = conn.execute(
            "SELECT r.id, r.map_version FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id"
            " WHERE w.slug = %s AND r.slug = %s",
            (world, ROOM),
        ).fetchone() or (None, None)
        if version is None:
            sys.exit("the bench room has no map")
        deployed = conn.execute(
            "SELECT pg_get_functiondef('app.move_blocked(uuid, integer, integer, integer, integer)'::regprocedure)"
        ).fetchone()
        assert deployed
        tiles = free + by_wall
        conn.execute(
            "INSERT INTO app.users (display_name, avatar_sprite)"
            " SELECT 'mover-' || i, 'brendan' FROM generate_series(1, %s) AS i",
            (len(tiles),),
        )
        conn.execute(
            "SELECT count(realtime.join(u.id, %s, 'bench-' || u.id, %s))"
            " FROM app.users u WHERE u.display_name LIKE 'mover-%%'",
            (ROOM, world),
        )
        users = [
            r[0]
            for r in conn.execute(
                "SELECT id::text FROM app.users WHERE display_name LIKE 'mover-%' ORDER BY id"
            ).fetchall()
        ]
        rng = random.Random(7)
        rng.shuffle(tiles)  # the 20 by a wall spread over the four batches
        with conn.cursor() as cur:
            cur.executemany(
                "UPDATE app.player_presence SET x = %s, y = %s WHERE user_id = %s",
                [(x, y, u) for u, (x, y) in zip(users, tiles, strict=True)],
            )
        conn.execute("ANALYZE")
        rows = list(zip(users, tiles, strict=True))
        batches = [rows[i : i + 50] for i in range(0, len(rows), 50)]
        n = 0

        def call() -> tuple[float, list[dict[str, Any]]]:
            """The next call of the cycle: batch n % 4, a step right on the first pass, back on the second."""
            nonlocal n
            batch = batches[n % 4]
            step = (n // 4) % 2
            n += 1
            moves = [
                {"user_id": u, "x": x + 1 - step, "y": y, "direction": "right" if step == 0 else "left"}
                for u, (x, y) in batch
            ]
            started = time.perf_counter()
            result = conn.execute("SELECT realtime.apply_moves(%s::jsonb)", (json.dumps(moves),)).fetchone()
            elapsed = time.perf_counter() - started
            return elapsed / len(moves) * 1e6, (result[0] if result else None) or []

        def report(mode: str, round_no: int, per_move: list[float], rejected: int) -> None:
            per_move.sort()
            p99 = per_move[min(len(per_move) - 1, int(len(per_move) * 0.99))]
            print(
                f"MOVES mode={mode} round={round_no} calls={calls} median_us={statistics.median(per_move):.1f}"
                f" p99_us={p99:.1f} rejected={rejected}",
                flush=True,
            )

        warm = 6  # cycles of 8 calls per side that warm the caches and plans, untimed
        for round_no in range(1, rounds + 1):
            # map and nomap interleaved: the mode changes every cycle of 8 calls (each batch steps right and
            # back in one mode), the side that starts alternating by round.
            conn.execute(deployed[0])
            per: dict[str, list[float]] = {"map": [], "nomap": []}
            refused_by: dict[str, int] = {"map": 0, "nomap": 0}
            order = ("map", "nomap") if round_no % 2 else ("nomap", "map")
            for cycle in range(2 * (calls // 8 + warm)):
                mode = order[cycle % 2]
                conn.execute(
                    "UPDATE app.rooms SET map_version = %s WHERE id = %s",
                    (None if mode == "nomap" else version, room_id),
                )
                for _ in range(8):
                    us, refused = call()
                    if any(r.get("reason") != "blocked" for r in refused) or (refused and mode != "map"):
                        sys.exit(f"unexpected rejections in mode {mode}: {refused[:3]}")
                    if cycle >= 2 * warm:
                        per[mode].append(us)
                        refused_by[mode] += len(refused)
            if refused_by["map"] != calls // 8 * len(by_wall):
                sys.exit(f"expected {calls // 8 * len(by_wall)} moves blocked by walls, got {refused_by['map']}")
            for mode in order:
                report(mode, round_no, per[mode], refused_by[mode])
            # stub: the move path before issue 12, a block of its own (replacing the function invalidates plans).
            conn.execute(STUB)
            conn.execute("UPDATE app.rooms SET map_version = %s WHERE id = %s", (version, room_id))
            stub: list[float] = []
            for i in range(calls + 8 * warm):
                us, refused = call()
                if refused:
                    sys.exit(f"unexpected rejections with the stub: {refused[:3]}")
                if i >= 8 * warm:
                    stub.append(us)
            report("stub", round_no, stub, 0)
        conn.execute(deployed[0])
        conn.execute("UPDATE app.rooms SET map_version = %s WHERE id = %s", (version, room_id))


def main() -> None:
    url, api, token, world = sys.argv[1:5]
    rounds, move_calls, move_round_count = (int(a) for a in sys.argv[5:8])
    town = json.loads((pathlib.Path(__file__).resolve().parent.parent / "db/maps/town.json").read_text())
    tiled, free, by_wall = make_map(town["tilesets"][0])
    http_rounds(api, token, world, tiled, rounds)
    move_rounds(url, world, free, by_wall, move_calls, move_round_count)


if __name__ == "__main__":
    main()
