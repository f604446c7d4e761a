"""Presence load generator for bench/bench_ws.sh: N players over loopback, each moving at 5 Hz.

    python bench/ws_load.py run --url ws://127.0.0.1:8080/ws --players players.tsv \\
        --warmup 5 --duration 20 --server-pid PID [--pg-pid PID] --out result.json
    python bench/ws_load.py pglog postgres.log             # realtime.apply_moves calls in a server log
    python bench/ws_load.py report --dir DIR                # the tables of bench/results/ws.md

players.tsv has one line per player: ``user_id<TAB>token<TAB>room``. Every player connects with
``?token=``, joins its room, and once all have joined walks back and forth along its row (one tile per
step, x from 1 to 18, so inside a 20x15 room and at 5 tiles/s under max_speed 10) at --rate Hz, each
with its own phase so sends spread evenly over time.

A move frame has no free field for a timestamp, so each send is recorded as
(user_id, x, y, direction) -> send time; a key recurs only after a full walk there and back (34 steps,
6.8 s). Every receiving socket looks the entries of each ``moves`` frame up and records arrival minus
send time for each entry of ANOTHER player (its own, which the bare ceiling does not trim, is
ignored). Senders and receivers are one process, so both times come from the same monotonic clock.

Counted within the measurement window (after the warm-up): moves sent, moves rejected (error frames),
``moves`` frames received by all sockets, entries of others' moves received, latency percentiles, the
server's RSS (sampled every 0.5 s, and VmHWM), CPU of the server, of PostgreSQL (the postmaster and its
children) and of this process, and how late this process's own event loop runs (a loaded generator
inflates latencies, so that is reported too). Everything is bounded: connecting, joining and the run
each have a deadline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from procstats import CpuMeter, percentiles, result_reader, status_kb
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

X_MIN, X_MAX = 1, 18
CONNECT_CONCURRENCY = 25
CONNECT_DEADLINE = 90.0


@dataclass
class Stats:
    t0: float = 0.0
    t1: float = 0.0
    sent: int = 0
    late_slots: int = 0
    frames: int = 0
    other_frames: int = 0
    entries: int = 0
    own_entries: int = 0
    unmatched: int = 0
    rejections: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    closes: Counter[str] = field(default_factory=Counter)
    latencies: array[float] = field(default_factory=lambda: array("d"))
    loop_lag: array[float] = field(default_factory=lambda: array("d"))

    def measuring(self, now: float) -> bool:
        return self.t0 <= now < self.t1


class Load:
    def __init__(self, args: argparse.Namespace, players: list[tuple[str, str, str]]) -> None:
        self.args = args
        self.players = players
        self.stats = Stats()
        # (user_id, x, y, direction) -> [send time, receipts]; every record also goes to `records`.
        self.sent: dict[tuple[str, int, int, str], list[float]] = {}
        self.records: list[tuple[str, list[float]]] = []
        self.room_size = Counter(room for _, _, room in players)
        self.sockets: list[ClientConnection] = []
        self.go = asyncio.Event()
        self.stop_at = 0.0

    # Connecting and joining

    async def open(
        self, user_id: str, token: str, room: str, gate: asyncio.Semaphore
    ) -> tuple[ClientConnection, int, int]:
        async with gate:
            ws = await connect(
                f"{self.args.url}?token={token}",
                compression=None,
                ping_interval=None,
                proxy=None,
                open_timeout=30,
                close_timeout=2,
                max_size=2**20,
            )
            welcome = json.loads(await asyncio.wait_for(ws.recv(), 30))
            if welcome.get("type") != "welcome":
                raise RuntimeError(f"expected welcome, got {welcome!r:.200}")
            await ws.send(json.dumps({"type": "join", "room": room}))
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if frame.get("type") == "presence_state":
                    break
                if frame.get("type") == "error":
                    raise RuntimeError(f"join {room} failed: {frame!r:.200}")
        me = next((p for p in frame.get("players", []) if p.get("user_id") == user_id), None)
        x, y = (int(me["x"]), int(me["y"])) if me else (10, 12)
        return ws, min(max(x, X_MIN), X_MAX), y

    # Per player: a mover and a reader

    async def mover(self, ws: ClientConnection, user_id: str, x: int, y: int) -> None:
        period = 1.0 / self.args.rate
        await self.go.wait()
        step = 1 if random.random() < 0.5 else -1
        t = self.start + random.random() * period
        stats, sent, records, perf = self.stats, self.sent, self.records, time.perf_counter
        while t < self.stop_at:
            delay = t - perf()
            if delay > 0:
                await asyncio.sleep(delay)
            if x + step > X_MAX or x + step < X_MIN:
                step = -step
            x += step
            direction = "right" if step > 0 else "left"
            text = f'{{"type":"move","x":{x},"y":{y},"direction":"{direction}"}}'
            now = perf()
            record = [now, 0.0]
            sent[(user_id, x, y, direction)] = record
            if stats.measuring(now):
                stats.sent += 1
                records.append((user_id, record))
            try:
                await ws.send(text)
            except ConnectionClosed:
                return
            t += period
            if t < perf() - period:
                # More than a whole period behind: skip the missed steps instead of bursting them,
                # which the speed rule would (rightly) reject.
                stats.late_slots += 1
                t = perf()

    async def reader(self, ws: ClientConnection, user_id: str) -> None:
        stats, sent, perf, loads = self.stats, self.sent, time.perf_counter, json.loads
        lat = stats.latencies
        try:
            async for text in ws:
                now = perf()
                measuring = stats.measuring(now)
                frame = loads(text)
                kind = frame.get("type")
                if kind == "moves":
                    if not measuring:
                        for m in frame["moves"]:
                            record = sent.get((m["user_id"], m["x"], m["y"], m["direction"]))
                            if record is not None and m["user_id"] != user_id:
                                record[1] += 1
                        continue
                    stats.frames += 1
                    for m in frame["moves"]:
                        mover = m["user_id"]
                        if mover == user_id:
                            stats.own_entries += 1
                            continue
                        stats.entries += 1
                        record = sent.get((mover, m["x"], m["y"], m["direction"]))
                        if record is None:
                            stats.unmatched += 1
                            continue
                        record[1] += 1
                        lat.append(now - record[0])
                elif kind == "error":
                    if measuring:
                        if frame.get("code") == "invalid_move":
                            stats.rejections[str(frame.get("reason"))] += 1
                        else:
                            stats.errors[str(frame.get("code"))] += 1
                elif measuring:
                    stats.other_frames += 1
        except ConnectionClosed as exc:
            if time.perf_counter() < self.stop_at:
                code = exc.rcvd.code if exc.rcvd else None
                stats.closes[str(code)] += 1

    # Watching the loop, the server and PostgreSQL

    async def lag_probe(self) -> None:
        perf = time.perf_counter
        while perf() < self.stop_at:
            before = perf()
            await asyncio.sleep(0.010)
            after = perf()
            if self.stats.measuring(after):
                self.stats.loop_lag.append(after - before - 0.010)

    async def watch(self, result: dict[str, Any]) -> None:
        pid = self.args.server_pid
        peak = 0
        while time.perf_counter() < self.stats.t1:
            peak = max(peak, status_kb(pid, "VmRSS"))
            await asyncio.sleep(0.5)
        result["rss_peak_sampled_kb"] = max(peak, status_kb(pid, "VmRSS"))

    async def run(self) -> dict[str, Any]:
        args, stats = self.args, self.stats
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        t_connect = time.perf_counter()
        opened = await asyncio.wait_for(
            asyncio.gather(*(self.open(u, t, r, gate) for u, t, r in self.players)), CONNECT_DEADLINE
        )
        connect_seconds = time.perf_counter() - t_connect
        self.sockets = [ws for ws, _, _ in opened]
        result: dict[str, Any] = {
            "label": args.label,
            "players": len(self.players),
            "rooms": len(self.room_size),
            "rate_hz": args.rate,
            "warmup_s": args.warmup,
            "duration_s": args.duration,
            "connect_join_s": round(connect_seconds, 2),
            "rss_after_join_kb": status_kb(args.server_pid, "VmRSS"),
        }
        self.start = time.perf_counter() + 0.2
        stats.t0 = self.start + args.warmup
        stats.t1 = stats.t0 + args.duration
        self.stop_at = stats.t1
        readers = [asyncio.create_task(self.reader(ws, u)) for ws, (u, _, _) in zip(self.sockets, self.players)]
        movers = [asyncio.create_task(self.mover(ws, u, x, y)) for (ws, x, y), (u, _, _) in zip(opened, self.players)]
        aux = [asyncio.create_task(self.lag_probe()), asyncio.create_task(self.watch(result))]
        self.go.set()

        await asyncio.sleep(max(0.0, stats.t0 - time.perf_counter()))
        meter = CpuMeter({"server": args.server_pid}, {"postgres": args.pg_pid})
        cpu0 = meter.read()
        await asyncio.sleep(max(0.0, stats.t1 - time.perf_counter()))
        cpu1 = meter.read()
        result["rss_end_kb"] = status_kb(args.server_pid, "VmRSS")
        result["rss_hwm_kb"] = status_kb(args.server_pid, "VmHWM")
        # Let the last moves of the window arrive before closing (their receipts still count).
        await asyncio.wait(movers, timeout=2)
        await asyncio.sleep(1.0)
        await asyncio.wait(aux, timeout=2)
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        await asyncio.wait(readers, timeout=5)
        for task in (*readers, *movers, *aux):
            task.cancel()

        window = stats.t1 - stats.t0
        rejected = sum(stats.rejections.values())
        accepted = stats.sent - rejected
        seen = sum(1 for _, record in self.records if record[1] > 0)
        expected = sum(self.room_size[room] - 1 for room in self._rooms_of(self.records))
        receipts = sum(int(record[1]) for _, record in self.records)
        lat = sorted(stats.latencies)
        lag = sorted(stats.loop_lag)
        result.update(
            {
                "window_s": round(window, 3),
                "sent": stats.sent,
                "sent_per_s": stats.sent / window,
                "rejected": dict(stats.rejections),
                "accepted_per_s": accepted / window,
                "moves_seen_by_others": seen,
                "receipts_of_window_moves": receipts,
                "expected_receipts": expected,
                "frames": stats.frames,
                "frames_per_s": stats.frames / window,
                "entries": stats.entries,
                "entries_per_s": stats.entries / window,
                "own_entries": stats.own_entries,
                "unmatched": stats.unmatched,
                "other_frames": stats.other_frames,
                "errors": dict(stats.errors),
                "closes": dict(stats.closes),
                "late_slots": stats.late_slots,
                "latency_ms": percentiles(lat),
                "loop_lag_ms": percentiles(lag),
                "cpu_pct": CpuMeter.percent(cpu0, cpu1, window),
            }
        )
        return result

    def _rooms_of(self, records: list[tuple[str, list[float]]]) -> list[str]:
        room_of = {u: r for u, _, r in self.players}
        return [room_of[u] for u, _ in records]


def read_players(path: str) -> list[tuple[str, str, str]]:
    players = []
    with open(path) as f:
        for line in f:
            if line.strip():
                user_id, token, room = line.rstrip("\n").split("\t")
                players.append((user_id, token, room))
    return players


async def run(args: argparse.Namespace) -> int:
    load = Load(args, read_players(args.players))
    result = await load.run()
    text = json.dumps(result, indent=2)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    lat = result["latency_ms"]
    print(
        f"{args.label}: {result['accepted_per_s']:.0f} moves/s accepted, {result['frames_per_s']:.0f} frames/s,"
        f" {result['entries_per_s']:.0f} entries/s, p50 {lat.get('p50')} ms, p99 {lat.get('p99')} ms,"
        f" rejected {result['rejected']}, closes {result['closes']}, loadgen CPU {result['cpu_pct']['loadgen']:.0f}%"
    )
    return 0


APPLY_LINE = re.compile(r"duration: ([0-9.]+) ms +execute [^:]*: SELECT realtime\.apply_moves")


def pglog(path: str) -> dict[str, Any]:
    """Duration and batch size of every realtime.apply_moves call in a server log excerpt.

    bench_ws.sh sets log_min_duration_statement = 0 (and full parameters) for the bridge role in the
    bench database, so each call is one `duration: … execute` line followed by its parameters.
    """
    durations: list[float] = []
    sizes: list[float] = []
    with open(path, errors="replace") as f:
        lines = f.read().splitlines()
    for i, line in enumerate(lines):
        m = APPLY_LINE.search(line)
        if m and i + 1 < len(lines) and "parameters:" in lines[i + 1]:
            durations.append(float(m.group(1)) / 1000)
            sizes.append(lines[i + 1].count('"user_id"'))
    out: dict[str, Any] = {"calls": len(durations), "ms": percentiles(durations), "moves": percentiles(sizes, 1)}
    if sum(sizes):
        out["ms_per_move"] = round(1000 * sum(durations) / sum(sizes), 3)
    return out


def report(directory: str) -> str:
    """The tables of bench/results/ws.md from the JSON files bench_ws.sh left in directory."""

    load = result_reader(directory)

    def ratio(a: float | None, b: float | None) -> str:
        return f"{100 * a / b:.0f}%" if a is not None and b else "n/a"

    def mb(kb: int) -> str:
        return f"{kb / 1024:.0f} MB"

    runs = [("50", "N=50, one room"), ("200", "N=200, four rooms of 50")]
    out = [
        "| run | server | accepted moves/s | moves frames/s | vs bare | others' move entries/s | vs bare"
        " | delivered | p50 | p99 | max |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, title in runs:
        bare = load(f"bare{n}")
        for server in ("bare", "bridge"):
            r = load(f"{server}{n}")
            if not r:
                continue
            lat = r["latency_ms"]
            delivered = ratio(r["receipts_of_window_moves"], r["expected_receipts"])
            name = "bare_broadcast.py (ceiling)" if server == "bare" else "bridge"
            out.append(
                f"| {title} | {name} | {r['accepted_per_s']:.0f} | {r['frames_per_s']:.0f}"
                f" | {ratio(r['frames_per_s'], bare.get('frames_per_s'))} | {r['entries_per_s']:.0f}"
                f" | {ratio(r['entries_per_s'], bare.get('entries_per_s'))} | {delivered}"
                f" | {lat.get('p50')} ms | {lat.get('p99')} ms | {lat.get('max')} ms |"
            )
    out += [
        "",
        "| run | server | RSS after join | RSS peak (VmHWM) | RSS end | server CPU | PostgreSQL CPU"
        " | load generator CPU | rest of the machine | generator loop lag p99 | rejected moves | closes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, title in runs:
        for server in ("bare", "bridge"):
            r = load(f"{server}{n}")
            if not r:
                continue
            cpu = r["cpu_pct"]
            name = "bare" if server == "bare" else "bridge"
            peak = max(r["rss_hwm_kb"], r["rss_peak_sampled_kb"])
            pg = f"{cpu['postgres']:.0f}%" if "postgres" in cpu else "–"
            rejected = sum(r["rejected"].values())
            closes = sum(r["closes"].values())
            out.append(
                f"| {title} | {name} | {mb(r['rss_after_join_kb'])} | {mb(peak)} | {mb(r['rss_end_kb'])}"
                f" | {cpu['server']:.0f}% | {pg} | {cpu['loadgen']:.0f}% | {cpu['other']:.0f}%"
                f" | {r['loop_lag_ms'].get('p99')} ms | {rejected} | {closes} |"
            )
    out += [
        "",
        "realtime.apply_moves, the bridge's one SQL call per tick (pg_stat_user_functions with track_functions = all,"
        " over warm-up and window; the distribution from the server log):",
        "",
        "| run | calls/s | moves per call (mean, p50, max) | ms per call (mean) | of which in apply_moves itself"
        " | in app.presence_move | ms per call p50 / p99 / max | ms per move |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, title in runs:
        r, f, log = load(f"bridge{n}"), load(f"funcs{n}"), load(f"pglog{n}")
        apply, move = f.get("realtime.apply_moves"), f.get("app.presence_move")
        if not r or not apply or not apply["calls"]:
            continue
        span = r["warmup_s"] + r["window_s"]
        calls = apply["calls"]
        per_call = move["calls"] / calls if move else float("nan")
        ms, moves = log.get("ms", {}), log.get("moves", {})
        dist = f"{ms.get('p50')} / {ms.get('p99')} / {ms.get('max')}" if ms.get("n") else "n/a"
        sizes = f"{per_call:.0f}, {moves.get('p50')}, {moves.get('max')}" if moves.get("n") else f"{per_call:.0f}"
        moved = move["total_ms"] / calls if move else float("nan")
        out.append(
            f"| {title} | {calls / span:.1f} | {sizes} | {apply['total_ms'] / calls:.1f}"
            f" | {apply['self_ms'] / calls:.1f} | {moved:.1f} | {dist} | {log.get('ms_per_move', 'n/a')} |"
        )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--url", required=True)
    r.add_argument("--players", required=True)
    r.add_argument("--label", default="run")
    r.add_argument("--rate", type=float, default=5.0)
    r.add_argument("--warmup", type=float, default=5.0)
    r.add_argument("--duration", type=float, default=20.0)
    r.add_argument("--server-pid", type=int, required=True)
    r.add_argument("--pg-pid", type=int, default=0)
    r.add_argument("--out")
    g = sub.add_parser("pglog")
    g.add_argument("log")
    p = sub.add_parser("report")
    p.add_argument("--dir", required=True)
    args = parser.parse_args()
    if args.command == "pglog":
        print(json.dumps(pglog(args.log)))
        return 0
    if args.command == "report":
        print(report(args.dir))
        return 0
    if args.duration > 120 or args.warmup > 60:
        parser.error("keep runs bounded: --duration 120 s and --warmup 60 s at most")
    try:
        import uvloop
    except ImportError:
        return asyncio.run(run(args))
    return uvloop.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
