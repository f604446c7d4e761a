"""Times realtime.apply_moves with and without the meeting triggers, alternating on one database.

Usage: meetings_load.py OWNER_URL CALLS ROUNDS LEGACY_SQL. The 200 players of bench-moves (bench/bench_meetings.sh)
step one tile right and back, 4 batches of 50 taking turns, as bench/moves_load.py does. The room has
six meeting buildings four tiles wide, so about a third of the moves cross a zone's edge (a join or a
leave, with its session and frame) and the rest stay in or out of one. Each round runs CALLS calls with
the move path of tag v0.7.0 (LEGACY_SQL: its realtime.apply_moves and app.presence_move, one UPDATE per
move) and no meeting triggers, which is today's move path before issue 14; then the deployed move path
with the three meeting_zones triggers disabled; then with them enabled. Prints one RESULT line per round
and mode: RESULT mode=... round=... calls=... median_us=... p99_us=... transitions=...
(per move: the call's wall time over its moves).
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import psycopg

TRIGGERS = ("meeting_zones_insert", "meeting_zones_update", "meeting_zones_delete")


def main() -> None:
    url, calls, rounds, legacy_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    with open(legacy_path, encoding="utf-8") as f:
        legacy_sql = f.read()
    with psycopg.connect(url, autocommit=True) as conn:
        deployed = [
            row[0]
            for row in conn.execute(
                "SELECT pg_get_functiondef(f::regprocedure) FROM unnest(ARRAY['realtime.apply_moves(jsonb)',"
                " 'app.presence_move(uuid, integer, integer, text, timestamptz)']) AS f"
            ).fetchall()
        ]
        rows = conn.execute(
            "SELECT p.user_id::text, p.x, p.y FROM app.player_presence p JOIN app.rooms r ON r.id = p.room_id"
            " WHERE r.slug = 'bench-moves' AND p.status <> 'offline' ORDER BY p.user_id"
        ).fetchall()
        if len(rows) < 200:
            sys.exit(f"expected 200 players in bench-moves, found {len(rows)}")
        batches = [rows[i : i + 50] for i in range(0, 200, 50)]
        n = 0
        for round_no in range(1, rounds + 1):
            for mode in ("v0.7.0", "without", "with"):
                if mode == "v0.7.0":
                    conn.execute(legacy_sql)
                elif mode == "without":
                    for definition in deployed:
                        conn.execute(definition)
                action = "ENABLE" if mode == "with" else "DISABLE"
                for trigger in TRIGGERS:
                    conn.execute(f"ALTER TABLE app.player_presence {action} TRIGGER {trigger}")
                before = conn.execute("SELECT count(*) FROM app.meeting_attendance").fetchone()
                per_move: list[float] = []
                for i in range(calls + 40):
                    batch = batches[n % 4]
                    step = (n // 4) % 2  # right, then back
                    n += 1
                    moves = [
                        {"user_id": u, "x": x + 1 - step, "y": y, "direction": "right" if step == 0 else "left"}
                        for u, x, y in batch
                    ]
                    started = time.perf_counter()
                    result = conn.execute("SELECT realtime.apply_moves(%s::jsonb)", (json.dumps(moves),)).fetchone()
                    elapsed = time.perf_counter() - started
                    if result and result[0]:
                        sys.exit(f"rejected moves: {result[0][:3]}")
                    if i >= 40:  # the first 40 calls of each block warm the caches and plans
                        per_move.append(elapsed / len(moves) * 1e6)
                after = conn.execute("SELECT count(*) FROM app.meeting_attendance").fetchone()
                joins = (after[0] if after else 0) - (before[0] if before else 0)
                per_move.sort()
                p99 = per_move[min(len(per_move) - 1, int(len(per_move) * 0.99))]
                print(
                    f"RESULT mode={mode} round={round_no} calls={calls} median_us={statistics.median(per_move):.1f}"
                    f" p99_us={p99:.1f} joins={joins}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
