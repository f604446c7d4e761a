#!/usr/bin/env python3
"""Generate the seed's Tiled maps and their tileset image (db/maps/).

    python3 db/maps/make_maps.py

rewrites tilesets/ark-town.png and the six maps (town.json, room-*.json) in this directory, from any cwd.
The geometry is db/seed.sql's: the same rooms, buildings, doors and spawn points, so that publishing these
maps reproduces the seed's content. Standard library only, so that it runs anywhere the repository does.
The output depends on nothing but this file (and zlib's deflate for the PNG's bytes), so a rerun is a no-op
in git, and a diff of a map is a diff of its rows.
"""

import json
import struct
import zlib
from collections import deque
from pathlib import Path

HERE = Path(__file__).resolve().parent
TILE = 32
COLUMNS = 8
TILECOUNT = 64

# Tile ids of the ark-town tileset (0-based; a layer stores gid = id + 1). The ids are the contract of
# maps-spec.md and of GET /tilesets: tests and other people's maps rely on them, so only append.
GRASS, PATH, FLOOR, WALL, WATER, ROOF, DOOR_MAT, DESK, TREE, START = range(10)
FLOWERS_RED, FLOWERS_YELLOW, STONES, RUG, PLANT, BUSH = range(10, 16)
COLLIDING = (WALL, WATER, ROOF, DESK, TREE)

# The seed's agent rooms (db/seed.sql): room slug, room and building name, agent, building slug, building x/y.
AGENTS = [
    ("room-scout", "Scout's Lab", "scout", "scout-lab", 3, 3),
    ("room-sage", "Sage's Study", "sage", "sage-study", 17, 3),
    ("room-chronicler", "Chronicler's Desk", "chronicler", "chronicler-desk", 31, 3),
    ("room-trends", "Trends Office", "trends", "trends-office", 8, 21),
    ("room-maven", "Maven's Corner", "maven", "maven-corner", 26, 21),
]
BUILDING_W, BUILDING_H = 6, 5

# --- the tileset image -------------------------------------------------------------------------------

# One palette for every tile: an indexed PNG is a quarter of the size of RGBA, and flat colours are the style.
PALETTE = [
    (88, 164, 72),  # 0 grass
    (64, 132, 56),  # 1 grass blades
    (214, 186, 132),  # 2 path
    (176, 146, 98),  # 3 pebbles
    (190, 140, 90),  # 4 floor planks
    (146, 102, 62),  # 5 plank seams
    (128, 128, 138),  # 6 wall bricks
    (78, 78, 88),  # 7 mortar
    (58, 116, 200),  # 8 water
    (140, 188, 238),  # 9 ripples
    (172, 62, 50),  # 10 roof
    (118, 40, 34),  # 11 shingle edges
    (150, 40, 60),  # 12 mat
    (226, 192, 88),  # 13 yellow: mat stripes, flowers, start marker, rug pattern
    (104, 66, 38),  # 14 desk edge
    (164, 114, 62),  # 15 desk top
    (44, 116, 52),  # 16 leaves
    (24, 74, 34),  # 17 dark leaves
    (98, 64, 34),  # 18 trunk
    (244, 244, 236),  # 19 paper
    (222, 58, 70),  # 20 red flowers
    (150, 150, 154),  # 21 stones
    (72, 82, 156),  # 22 rug
    (170, 90, 50),  # 23 flower pot
    (196, 196, 196),  # 24-25 free slot checker
    (168, 168, 168),
]


def fill(t, c):
    for row in t:
        row[:] = [c] * TILE


def rect(t, x0, y0, x1, y1, c):
    """Fill the inclusive rectangle (x0,y0)-(x1,y1)."""
    for y in range(y0, y1 + 1):
        for x in range(x0, x1 + 1):
            t[y][x] = c


def disc(t, cx, cy, r, c):
    for y in range(TILE):
        for x in range(TILE):
            if (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
                t[y][x] = c


def speckle(t, c, a, b, m):
    # A fixed arithmetic pattern instead of random noise: texture without a seed to keep in sync.
    for y in range(TILE):
        for x in range(TILE):
            if (x * a + y * b) % m == 0:
                t[y][x] = c


def flowers(t, c):
    speckle(t, 1, 7, 13, 23)
    for cx, cy in ((7, 8), (22, 6), (14, 17), (5, 25), (25, 24)):
        disc(t, cx, cy, 2, c)
        t[cy][cx] = 13


def draw_tile(tid):
    t = [[0] * TILE for _ in range(TILE)]
    if tid in (GRASS, TREE, START, FLOWERS_RED, FLOWERS_YELLOW, STONES, BUSH):
        speckle(t, 1, 7, 13, 23)  # tiles that stand on grass carry it, so they blend in on any layer
    if tid == PATH:
        fill(t, 2)
        speckle(t, 3, 5, 11, 29)
    elif tid in (FLOOR, DESK, PLANT, RUG):
        fill(t, 4)
        for y in (7, 15, 23, 31):  # planks, their seams staggered like a real floor
            rect(t, 0, y, 31, y, 5)
        for i, x in enumerate((10, 26, 4, 18)):
            rect(t, x, i * 8, x, i * 8 + 6, 5)
    elif tid == WALL:
        fill(t, 6)
        for y in range(0, TILE, 8):
            rect(t, 0, y, 31, y, 7)
            for x in range(0 if y % 16 else 8, TILE, 16):
                rect(t, x, y, x, y + 7, 7)
    elif tid == WATER:
        fill(t, 8)
        for y in range(3, TILE, 8):
            for x in range(TILE):
                if (x + y) % 12 < 5:
                    t[y][x] = 9
    elif tid == ROOF:
        fill(t, 10)
        for y in range(5, TILE, 6):
            rect(t, 0, y, 31, y, 11)
            for x in range(3 if y % 12 == 5 else 9, TILE, 12):
                rect(t, x, y - 5, x, y, 11)
    elif tid == DOOR_MAT:
        fill(t, 2)
        rect(t, 3, 5, 28, 26, 12)
        for y in (9, 15, 21):
            rect(t, 6, y, 25, y + 1, 13)
    elif tid == TREE:
        rect(t, 13, 20, 18, 30, 18)
        disc(t, 16, 13, 13, 17)
        disc(t, 16, 12, 11, 16)
        disc(t, 12, 8, 3, 1)
    elif tid == START:
        disc(t, 16, 16, 11, 13)
        disc(t, 16, 16, 7, 0)
        rect(t, 15, 10, 16, 21, 13)
        rect(t, 10, 15, 21, 16, 13)
    elif tid == FLOWERS_RED:
        flowers(t, 20)
    elif tid == FLOWERS_YELLOW:
        flowers(t, 13)
    elif tid == STONES:
        for cx, cy, r in ((9, 10, 4), (21, 14, 5), (12, 23, 3)):
            disc(t, cx, cy, r, 21)
    elif tid == BUSH:
        disc(t, 16, 18, 10, 17)
        disc(t, 16, 17, 8, 16)
    if tid == DESK:
        rect(t, 1, 6, 30, 25, 14)
        rect(t, 3, 8, 28, 23, 15)
        rect(t, 6, 11, 14, 20, 19)  # a sheet of paper, so it reads as a desk and not a crate
    elif tid == RUG:
        fill(t, 22)  # a pattern without a border, so that a rug of any size tiles seamlessly
        for c in range(4, TILE, 8):
            rect(t, c - 1, c - 1, c + 1, c + 1, 13)
            rect(t, 31 - c - 1, c - 1, 31 - c + 1, c + 1, 13)
    elif tid == PLANT:
        rect(t, 11, 20, 20, 29, 23)
        disc(t, 16, 13, 9, 16)
        disc(t, 13, 10, 3, 17)
    elif tid > BUSH:
        # Free slots: a plain checker that is visibly "nothing yet", until someone draws a decoration here.
        for y in range(TILE):
            for x in range(TILE):
                t[y][x] = 24 if (x // 8 + y // 8) % 2 else 25
    return t


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_tileset():
    tiles = [draw_tile(tid) for tid in range(TILECOUNT)]
    size = TILE * COLUMNS
    raw = bytearray()
    for py in range(size):
        raw.append(0)  # filter type None: deflate alone keeps flat colours small
        tile_row = py // TILE
        for col in range(COLUMNS):
            raw.extend(tiles[tile_row * COLUMNS + col][py % TILE])
    header = struct.pack(">IIBBBBB", size, size, 8, 3, 0, 0, 0)  # 8-bit palette, no interlace
    plte = b"".join(bytes(c) for c in PALETTE)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            png_chunk(b"IHDR", header),
            png_chunk(b"PLTE", plte),
            png_chunk(b"IDAT", zlib.compress(bytes(raw), 9)),
            png_chunk(b"IEND", b""),
        ]
    )


# --- the maps ----------------------------------------------------------------------------------------


class Grid:
    def __init__(self, width, height, tile=None):
        self.width, self.height = width, height
        self.cells = [[tile] * width for _ in range(height)]

    def set(self, x, y, tile):
        self.cells[y][x] = tile

    def rect(self, x0, y0, x1, y1, tile):
        for y in range(y0, y1 + 1):
            for x in range(x0, x1 + 1):
                self.cells[y][x] = tile

    def gids(self):
        # Tiled's CSV layer: gid = firstgid (1) + tile id, and 0 for no tile.
        return [0 if t is None else t + 1 for row in self.cells for t in row]


def prop(name, value):
    kind = "bool" if isinstance(value, bool) else "int" if isinstance(value, int) else "string"
    return {"name": name, "type": kind, "value": value}


def props(**values):
    # Tiled writes custom properties sorted by name; doing the same keeps a round trip through Tiled diff-free.
    return [prop(k, v) for k, v in sorted(values.items())]


def point(oid, cls, name, tx, ty, **properties):
    # A point at the tile's centre, so floor(x / 32) is the tile however the client rounds.
    return {
        "height": 0,
        "id": oid,
        "name": name,
        "point": True,
        "properties": props(**properties),
        "rotation": 0,
        "type": cls,
        "visible": True,
        "width": 0,
        "x": tx * TILE + TILE // 2,
        "y": ty * TILE + TILE // 2,
    }


def area(oid, cls, name, tx, ty, w, h, **properties):
    return {
        "height": h * TILE,
        "id": oid,
        "name": name,
        "properties": props(**properties),
        "rotation": 0,
        "type": cls,
        "visible": True,
        "width": w * TILE,
        "x": tx * TILE,
        "y": ty * TILE,
    }


def tilemap(name, ground, walls, objects):
    tileset = {
        "columns": COLUMNS,
        "firstgid": 1,
        "image": "tilesets/ark-town.png",
        "imageheight": TILE * COLUMNS,
        "imagewidth": TILE * COLUMNS,
        "margin": 0,
        "name": "ark-town",
        "spacing": 0,
        "tilecount": TILECOUNT,
        "tileheight": TILE,
        "tilewidth": TILE,
        # WorkAdventure's convention, which the validator and Phaser's setCollisionByProperty both read.
        "tiles": [{"id": tid, "properties": props(collides=True)} for tid in COLLIDING],
    }

    def tile_layer(lid, lname, grid):
        return {
            "data": grid.gids(),
            "height": grid.height,
            "id": lid,
            "name": lname,
            "opacity": 1,
            "type": "tilelayer",
            "visible": True,
            "width": grid.width,
            "x": 0,
            "y": 0,
        }

    return {
        "compressionlevel": -1,
        "height": ground.height,
        "infinite": False,
        "layers": [
            tile_layer(1, "ground", ground),
            tile_layer(2, "walls", walls),
            {
                "draworder": "topdown",
                "id": 3,
                "name": "objects",
                "objects": objects,
                "opacity": 1,
                "type": "objectgroup",
                "visible": True,
                "x": 0,
                "y": 0,
            },
        ],
        "nextlayerid": 4,
        "nextobjectid": max(o["id"] for o in objects) + 1,
        "orientation": "orthogonal",
        "properties": props(name=name),
        "renderorder": "right-down",
        "tiledversion": "1.10.2",
        "tileheight": TILE,
        "tilesets": [tileset],
        "tilewidth": TILE,
        "type": "map",
        "version": "1.10",
        "width": ground.width,
    }


def make_town():
    w, h = 40, 30
    ground, walls = Grid(w, h, GRASS), Grid(w, h)
    # Paths: the square around the spawn, a road north to the three upper doors, and a loop round the two
    # lower buildings, whose doors face south, away from the square.
    ground.rect(17, 14, 23, 18, PATH)
    ground.rect(6, 10, 34, 10, PATH)
    ground.rect(20, 10, 20, 14, PATH)
    ground.rect(20, 18, 20, 19, PATH)
    ground.rect(5, 19, 35, 19, PATH)
    ground.rect(5, 19, 5, 27, PATH)
    ground.rect(35, 19, 35, 27, PATH)
    ground.rect(5, 27, 35, 27, PATH)
    ground.rect(28, 13, 31, 16, WATER)
    for _, _, _, _, bx, by in AGENTS:
        dx, dy = bx + 3, by + 4
        if dy < 16:
            ground.rect(dx, dy + 1, dx, 10, PATH)
        else:
            ground.set(dx, dy + 1, PATH)
    # The tree border keeps players on the map with a wall rather than only the bounds check.
    walls.rect(0, 0, w - 1, 0, TREE)
    walls.rect(0, h - 1, w - 1, h - 1, TREE)
    walls.rect(0, 0, 0, h - 1, TREE)
    walls.rect(w - 1, 0, w - 1, h - 1, TREE)
    for x, y in ((10, 14), (12, 16), (9, 17), (14, 13), (25, 23), (15, 24)):
        walls.set(x, y, TREE)
    walls.set(24, 13, BUSH)
    objects = [point(1, "spawn", "town-square", 20, 16, direction="down")]
    for i, (room, bname, agent, bslug, bx, by) in enumerate(AGENTS):
        # Roof above, a wall row in front, and the door mat in it: the only way into the building.
        walls.rect(bx, by, bx + BUILDING_W - 1, by + 2, ROOF)
        walls.rect(bx, by + 3, bx + BUILDING_W - 1, by + BUILDING_H - 1, WALL)
        walls.set(bx + 3, by + 4, DOOR_MAT)
        objects.append(
            area(
                i + 2,
                "agent_room",
                bname,
                bx,
                by,
                BUILDING_W,
                BUILDING_H,
                agent=agent,
                door_x=bx + 3,
                door_y=by + 4,
                slug=bslug,
                target_room=room,
            )
        )
    for y in range(h):
        for x in range(w):
            if ground.cells[y][x] == GRASS and walls.cells[y][x] is None and (x * 31 + y * 17) % 37 == 0:
                ground.set(x, y, (FLOWERS_RED, FLOWERS_YELLOW, STONES)[(x + y) % 3])
    return tilemap("Ark Town", ground, walls, objects)


def make_room(name, agent):
    w, h = 20, 15
    ground, walls = Grid(w, h, FLOOR), Grid(w, h)
    ground.rect(7, 7, 12, 9, RUG)
    walls.rect(0, 0, w - 1, 0, WALL)
    walls.rect(0, h - 1, w - 1, h - 1, WALL)
    walls.rect(0, 0, 0, h - 1, WALL)
    walls.rect(w - 1, 0, w - 1, h - 1, WALL)
    walls.rect(9, 14, 10, 14, DOOR_MAT)  # the exit, two tiles wide, under the portal
    walls.rect(9, 3, 11, 3, DESK)  # the agent stands in front of it, at (10,4)
    for x, y in ((1, 1), (18, 1), (1, 13), (18, 13)):
        walls.set(x, y, PLANT)
    objects = [
        point(1, "spawn", "entrance", 10, 12, direction="up"),
        point(2, "agent_spawn", "agent", 10, 4, agent=agent, direction="down", slug="agent"),
        area(3, "portal", "Back to town", 9, 14, 2, 1, door_x=10, door_y=14, slug="exit", target_room="town"),
    ]
    return tilemap(name, ground, walls, objects)


# --- checks: a map that traps players or hides a door fails here, not in the game ---------------------


def blocked(m):
    w, h = m["width"], m["height"]
    bad = {t["id"] + 1 for t in m["tilesets"][0]["tiles"]}
    cells = [[False] * w for _ in range(h)]
    for layer in m["layers"]:
        for n, gid in enumerate(layer.get("data", ())):
            if gid in bad:
                cells[n // w][n % w] = True
    return cells


def check(name, m):
    def fail(msg):
        raise SystemExit(f"make_maps.py: {name}: {msg}")

    w, h = m["width"], m["height"]
    wall = blocked(m)
    objects = m["layers"][2]["objects"]
    spawns = [(o["x"] // TILE, o["y"] // TILE) for o in objects if o["type"] == "spawn"]
    if len(spawns) != 1:
        fail(f"expected one player spawn, found {len(spawns)}")
    targets, exits = {}, set()
    for o in objects:
        tx, ty = o["x"] // TILE, o["y"] // TILE
        if o.get("point"):
            targets[o["name"]] = (tx, ty)
            continue
        p = {q["name"]: q["value"] for q in o["properties"]}
        door = (p["door_x"], p["door_y"])
        targets[o["name"]] = door
        inside = [(x, y) for y in range(ty, ty + o["height"] // TILE) for x in range(tx, tx + o["width"] // TILE)]
        if o["type"] == "portal":
            exits.update(inside)
        if door not in inside:
            fail(f"{o['name']}: door {door} outside its rectangle")
        if o["type"] == "agent_room" and [xy for xy in inside if not wall[xy[1]][xy[0]]] != [door]:
            fail(f"{o['name']}: a building must be solid except its door")
    for x in range(w):
        for y in range(h):
            if (x in (0, w - 1) or y in (0, h - 1)) and not wall[y][x] and (x, y) not in exits:
                fail(f"the edge is open at ({x},{y})")
    seen, todo = {spawns[0]}, deque([spawns[0]])
    while todo:
        x, y = todo.popleft()
        for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if 0 <= nx < w and 0 <= ny < h and not wall[ny][nx] and (nx, ny) not in seen:
                seen.add((nx, ny))
                todo.append((nx, ny))
    for what, xy in targets.items():
        if wall[xy[1]][xy[0]] or xy not in seen:
            fail(f"{what} at {xy} is not reachable from the spawn {spawns[0]}")


def dump(m):
    # indent=1 with sorted keys, as Tiled writes it, but each layer's data one map row per line: readable diffs.
    rows = {}
    for layer in m["layers"]:
        if "data" in layer:
            key = f"@data{layer['id']}@"
            data, w = layer["data"], layer["width"]
            lines = (",".join(str(g) for g in data[i : i + w]) for i in range(0, len(data), w))
            rows[f'"{key}"'] = "[\n    " + ",\n    ".join(lines) + "\n   ]"
            layer["data"] = key
    text = json.dumps(m, indent=1, sort_keys=True)
    for key, value in rows.items():
        text = text.replace(key, value)
    return text + "\n"


def main():
    maps = {"town": make_town()}
    for room, name, agent, *_ in AGENTS:
        maps[room] = make_room(name, agent)
    for slug, m in maps.items():
        check(slug, m)
    (HERE / "tilesets").mkdir(exist_ok=True)
    (HERE / "tilesets" / "ark-town.png").write_bytes(make_tileset())
    for slug, m in maps.items():
        (HERE / f"{slug}.json").write_text(dump(m), encoding="utf-8")


if __name__ == "__main__":
    main()
