"""Times realtime.apply_moves as the bridge calls it: one autocommit call per tick of 50 moves.

Usage: moves_load.py OWNER_URL CALLS. The players of the room bench-moves (entered by bench/moves_once.sh)
step one tile right and back; 4 batches of 50 take turns, so each player moves on every 4th call, well
within the room's max_speed of 100 tiles/s. Prints one line: RESULT calls=... moves=... rejected=...
median_us=... p99_us=... (per move: the call's wall time over its moves).
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import psycopg


def main() -> None:
    url, calls = sys.argv[1], int(sys.argv[2])
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT p.user_id::text, p.x, p.y FROM app.player_presence p JOIN app.rooms r ON r.id = p.room_id"
            " WHERE r.slug = 'bench-moves' AND p.status <> 'offline' ORDER BY p.user_id"
        ).fetchall()
        if len(rows) < 200:
            sys.exit(f"expected 200 players in bench-moves, found {len(rows)}")
        batches = [rows[i : i + 50] for i in range(0, 200, 50)]
        per_move: list[float] = []
        rejected = 0
        for n in range(calls + 40):
            batch = batches[n % 4]
            step = (n // 4) % 2  # right, then back
            moves = [
                {"user_id": u, "x": x + 1 - step, "y": y, "direction": "right" if step == 0 else "left"}
                for u, x, y in batch
            ]
            started = time.perf_counter()
            result = conn.execute("SELECT realtime.apply_moves(%s::jsonb)", (json.dumps(moves),)).fetchone()
            elapsed = time.perf_counter() - started
            if n >= 40:  # the first 40 calls warm the caches and plans
                per_move.append(elapsed / len(moves) * 1e6)
                rejected += len(result[0]) if result else 0
        per_move.sort()
        p99 = per_move[min(len(per_move) - 1, int(len(per_move) * 0.99))]
        print(
            f"RESULT calls={calls} moves={calls * 50} rejected={rejected}"
            f" median_us={statistics.median(per_move):.1f} p99_us={p99:.1f}"
        )


if __name__ == "__main__":
    main()
