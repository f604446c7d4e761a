"""Chat load generator for bench/bench_chat.sh: HTTP senders and WebSocket recipients in one process.

    python bench/chat_load.py run --api http://127.0.0.1:3000 --ws ws://127.0.0.1:8080/ws \\
        --users users.tsv --concurrency 16 --warmup 3 --duration 15 --out result.json \\
        [--bridge-pid PID --postgrest-pid PID --pg-pid PID]
    python bench/chat_load.py report --dir DIR        # the tables of bench/results/chat.md

users.tsv has one line per user: ``user_id<TAB>token<TAB>session_id<TAB>partner_id``, two users per
private session. Every user keeps a socket open on the bridge (``?token=``) for the whole run. Then,
--rounds times, one phase after the other, --concurrency workers (each with its own keep-alive
HTTP/1.1 connection) send back to back for a warm-up and a measured window:

* baseline: ``POST /rpc/bench_noop`` with a player token (a trivial volatile api function);
* send: ``POST /rpc/send_message`` into the workers' own sessions (worker w takes the pairs whose
  index is w modulo the concurrency, so no two workers write the same session or rate-limit row),
  the two users of a pair taking turns. The content carries a nonce; the send time of each nonce is
  kept, and the partner's socket, on the ``chat_message`` frame, records arrival minus send time. The
  sender's own socket gets the message too (it is in the audience); that copy is counted, not timed.

The HTTP client is a minimal one on asyncio streams (uvloop), the same for both phases, so the
comparison is between the two functions, not between clients. The phases alternate (baseline, send,
baseline, send, ...) so that both see the same drift of a shared machine; each round's send rate is
set beside the baseline just before it, and the report takes the median of the rounds' ratios.
Requests completed within the window count; latencies are of those. CPU of the bridge, PostgREST,
PostgreSQL, this process and the rest of the machine is read from /proc over each window. With
BENCH_OWNER_URL in the environment, what PostgREST's backends (role authenticator) are doing is
sampled from pg_stat_activity every 50 ms of each window: running, or the wait event they are
blocked on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import psycopg
from procstats import CpuMeter, percentiles, result_reader
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

CONNECT_CONCURRENCY = 25
CONNECT_DEADLINE = 60.0
REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class User:
    user_id: str
    token: str
    session_id: str
    partner_id: str


class Http:
    """One keep-alive HTTP/1.1 connection; enough of the protocol for PostgREST's answers."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, token: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        return await asyncio.wait_for(self._answer(self.reader), REQUEST_TIMEOUT)

    async def _answer(self, reader: asyncio.StreamReader) -> tuple[int, bytes]:
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        if b"transfer-encoding: chunked" in lower:
            body = bytearray()
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    break
                body += (await reader.readexactly(size + 2))[:-2]
            return status, bytes(body)
        length = 0
        for line in lower.split(b"\r\n"):
            if line.startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return status, await reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class Phase:
    t0: float = 0.0
    t1: float = 0.0
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    http: list[float] = field(default_factory=list)
    # Send phases: nonces stored within the window, and the partner's socket latency of each.
    nonces: list[str] = field(default_factory=list)
    socket: list[float] = field(default_factory=list)

    def measuring(self, now: float) -> bool:
        return self.t0 <= now < self.t1


class Load:
    def __init__(self, args: argparse.Namespace, users: list[User]) -> None:
        self.args = args
        self.users = users
        api = urlsplit(args.api)
        self.host, self.port = api.hostname or "127.0.0.1", api.port or 80
        # nonce -> [send time, partner's socket receipts]
        self.sent: dict[str, list[float]] = {}
        self.own_copies = 0
        self.unmatched = 0
        self.send_phase: Phase | None = None
        self.closes: Counter[str] = Counter()
        self.stop_at = float("inf")

    async def open(self, user: User, gate: asyncio.Semaphore) -> ClientConnection:
        async with gate:
            ws = await connect(
                f"{self.args.ws}?token={user.token}",
                compression=None,
                ping_interval=None,
                proxy=None,
                open_timeout=30,
                close_timeout=2,
            )
            welcome = json.loads(await asyncio.wait_for(ws.recv(), 30))
        if welcome.get("type") != "welcome":
            raise RuntimeError(f"expected welcome, got {welcome!r:.200}")
        return ws

    async def reader(self, ws: ClientConnection, user: User) -> None:
        perf, sent, loads = time.perf_counter, self.sent, json.loads
        try:
            async for text in ws:
                now = perf()
                frame = loads(text)
                if frame.get("type") != "chat_message":
                    continue
                message = frame["message"]
                if message.get("sender_id") == user.user_id:
                    self.own_copies += 1
                    continue
                record = sent.get(message.get("content", "")[6:])
                if record is None:
                    self.unmatched += 1
                    continue
                record[1] += 1
                phase = self.send_phase
                if phase is not None and phase.t0 <= record[0] < phase.t1:
                    phase.socket.append(now - record[0])
        except ConnectionClosed as exc:
            if time.perf_counter() < self.stop_at:
                self.closes[str(exc.rcvd.code if exc.rcvd else None)] += 1

    async def worker(self, w: int, phase: Phase, send: bool) -> None:
        http = Http(self.host, self.port)
        pairs = [(self.users[i], self.users[i + 1]) for i in range(0, len(self.users) - 1, 2)]
        mine = pairs[w :: self.args.concurrency] or pairs[w % len(pairs) :: len(pairs)]
        perf = time.perf_counter
        seq = 0
        try:
            while perf() < phase.t1:
                a, b = mine[seq % len(mine)]
                sender = a if (seq // len(mine)) % 2 == 0 else b
                seq += 1
                if send:
                    nonce = f"{w}.{seq}"
                    path = "/rpc/send_message"
                    body = json.dumps({"session_id": sender.session_id, "content": f"bench {nonce}"}).encode()
                else:
                    path, body = "/rpc/bench_noop", b"{}"
                started = perf()
                if send:
                    self.sent[nonce] = [started, 0.0]
                try:
                    status, _ = await http.post(path, sender.token, body)
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                    if phase.measuring(perf()):
                        phase.failures[type(exc).__name__] += 1
                    http.close()
                    http = Http(self.host, self.port)
                    continue
                done = perf()
                if phase.measuring(done):
                    phase.requests += 1
                    phase.statuses[status] += 1
                    phase.http.append(done - started)
                    if send and 200 <= status < 300:
                        phase.nonces.append(nonce)
        finally:
            http.close()

    async def sample_waits(self, phase: Phase, waits: Counter[str]) -> None:
        """What PostgREST's backends do, every 50 ms of the window (needs BENCH_OWNER_URL)."""
        url = os.environ.get("BENCH_OWNER_URL")
        if not url:
            return
        # A lock wait names what it waits for: NOTIFY's commit lock is the object lock on database 0
        # (pg_database, objid 0) that PreCommit_Notify takes and holds until the commit is flushed.
        query = (
            "SELECT coalesce(a.wait_event_type || ': ' || a.wait_event, 'running')"
            " || coalesce(' on ' || l.target, '') || ' (' || a.state || ')'"
            " FROM pg_stat_activity a LEFT JOIN LATERAL ("
            "   SELECT coalesce(l.classid::regclass::text || ' ' || l.objid, l.locktype) AS target"
            "     FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted LIMIT 1) l ON true"
            " WHERE a.usename = 'authenticator' AND a.state <> 'idle'"
        )
        async with await psycopg.AsyncConnection.connect(url, autocommit=True, application_name="bench") as conn:
            await asyncio.sleep(max(0.0, phase.t0 - time.perf_counter()))
            while time.perf_counter() < phase.t1:
                cursor = await conn.execute(query)
                for (what,) in await cursor.fetchall():
                    waits[what] += 1
                await asyncio.sleep(0.05)

    async def phase(self, name: str, send: bool, meter: CpuMeter) -> dict[str, Any]:
        args = self.args
        phase = Phase()
        start = time.perf_counter()
        phase.t0 = start + args.warmup
        phase.t1 = phase.t0 + args.duration
        if send:
            self.send_phase = phase
        workers = [asyncio.create_task(self.worker(w, phase, send)) for w in range(args.concurrency)]
        waits: Counter[str] = Counter()
        sampler = asyncio.create_task(self.sample_waits(phase, waits))
        await asyncio.sleep(max(0.0, phase.t0 - time.perf_counter()))
        cpu0 = meter.read()
        await asyncio.sleep(max(0.0, phase.t1 - time.perf_counter()))
        cpu1 = meter.read()
        await asyncio.wait([*workers, sampler], timeout=REQUEST_TIMEOUT + 5)
        for task in (*workers, sampler):
            task.cancel()
        window = phase.t1 - phase.t0
        ok = sum(n for status, n in phase.statuses.items() if 200 <= status < 300)
        out: dict[str, Any] = {
            "name": name,
            "concurrency": args.concurrency,
            "window_s": round(window, 3),
            "requests": phase.requests,
            "ok": ok,
            "rps": ok / window,
            "statuses": {str(k): v for k, v in phase.statuses.items()},
            "failures": dict(phase.failures),
            "http_ms": percentiles(phase.http),
            "cpu_pct": CpuMeter.percent(cpu0, cpu1, window),
            "backend_samples": dict(waits.most_common()),
        }
        if send:
            # Stragglers of the window still count when they arrive within 2 s.
            await asyncio.sleep(2.0)
            delivered = sum(1 for nonce in phase.nonces if self.sent[nonce][1] > 0)
            out.update(
                {
                    "socket_ms": percentiles(phase.socket),
                    "socket_s": phase.socket,
                    "delivered_to_partner": delivered,
                    "stored_in_window": len(phase.nonces),
                    "duplicates": sum(1 for nonce in phase.nonces if self.sent[nonce][1] > 1),
                    "own_copies": self.own_copies,
                    "unmatched": self.unmatched,
                }
            )
        return out

    async def run(self) -> dict[str, Any]:
        args = self.args
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        t = time.perf_counter()
        sockets = await asyncio.wait_for(
            asyncio.gather(*(self.open(user, gate) for user in self.users)), CONNECT_DEADLINE
        )
        connected = time.perf_counter() - t
        readers = [asyncio.create_task(self.reader(ws, user)) for ws, user in zip(sockets, self.users)]
        meter = CpuMeter({"bridge": args.bridge_pid, "postgrest": args.postgrest_pid}, {"postgres": args.pg_pid})
        rounds = []
        for _ in range(args.rounds):
            baseline = None if args.send_only else await self.phase("bench_noop", False, meter)
            rounds.append({"baseline": baseline, "send": await self.phase("send_message", True, meter)})
        self.stop_at = time.perf_counter()
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        await asyncio.wait(readers, timeout=5)
        for task in readers:
            task.cancel()
        return {
            "users": len(self.users),
            "sockets": len(sockets),
            "connect_s": round(connected, 2),
            "warmup_s": args.warmup,
            "closes": dict(self.closes),
            "summary": summarize(rounds),
            "rounds": rounds,
        }


def summarize(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the rounds, and the socket latencies of every round pooled (then dropped from the rounds)."""
    latencies = [x for r in rounds for x in r["send"].pop("socket_s")]
    out: dict[str, Any] = {
        "rounds": len(rounds),
        "send_rps": statistics.median(r["send"]["rps"] for r in rounds),
        "socket_ms": percentiles(latencies),
    }
    if all(r["baseline"] for r in rounds):
        ratios = [r["send"]["rps"] / r["baseline"]["rps"] for r in rounds]
        out.update(
            {
                "baseline_rps": statistics.median(r["baseline"]["rps"] for r in rounds),
                "ratios": ratios,
                "ratio": statistics.median(ratios),
            }
        )
    return out


def read_users(path: str) -> list[User]:
    users = []
    with open(path) as f:
        for line in f:
            if line.strip():
                users.append(User(*line.rstrip("\n").split("\t")))
    return users


def report(directory: str) -> str:
    """The tables of bench/results/chat.md from the JSON files bench_chat.sh left in directory."""

    load = result_reader(directory)

    main, diag = load("chat"), load("chat_sync_off")
    rounds, summary = main["rounds"], main["summary"]

    def cpu(p: dict[str, Any]) -> str:
        c = p["cpu_pct"]
        return " / ".join(f"{c.get(k, 0):.0f}%" for k in ("postgrest", "postgres", "bridge", "loadgen", "other"))

    def errors(p: dict[str, Any]) -> int:
        return int(p["requests"] - p["ok"] + sum(p["failures"].values()))

    def row(title: str, p: dict[str, Any], base_rps: float) -> str:
        sock = p.get("socket_ms", {})
        lost = p["stored_in_window"] - p["delivered_to_partner"] if "socket_ms" in p else None
        return (
            f"| {title} | {p['rps']:.0f} | {100 * p['rps'] / base_rps:.0f}% | {p['http_ms'].get('p50')} ms"
            f" | {p['http_ms'].get('p99')} ms | {sock.get('p50', '–')} ms | {sock.get('p99', '–')} ms"
            f" | {sock.get('max', '–')} ms | {'–' if lost is None else lost} | {errors(p)} | {cpu(p)} |"
        ).replace("– ms", "–")

    out = [
        "| round: call | calls/s | vs the round's baseline | HTTP median | HTTP p99"
        " | send → partner's socket median | p99 | max | not delivered | errors"
        " | CPU: PostgREST / PostgreSQL / bridge / load generator / rest of the machine |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for i, r in enumerate(rounds, 1):
        out.append(row(f"{i}: POST /rpc/bench_noop (baseline)", r["baseline"], r["baseline"]["rps"]))
        out.append(row(f"{i}: POST /rpc/send_message", r["send"], r["baseline"]["rps"]))
    if diag:
        out.append(
            row(
                "POST /rpc/send_message, synchronous_commit = off (diagnostic, against the median baseline)",
                diag["rounds"][0]["send"],
                summary["baseline_rps"],
            )
        )
    sock = summary["socket_ms"]
    out += [
        "",
        f"Median of the {summary['rounds']} rounds: bench_noop {summary['baseline_rps']:.0f} calls/s, send_message"
        f" {summary['send_rps']:.0f} calls/s; **send_message at {100 * summary['ratio']:.0f}% of its baseline**"
        f" (the rounds: {', '.join(f'{100 * x:.0f}%' for x in summary['ratios'])}).",
        f"From the send to the partner's socket, all rounds' {sock['n']} messages pooled: median {sock['p50']} ms,"
        f" **p99 {sock['p99']} ms**, max {sock['max']} ms.",
    ]

    funcs, wal = load("funcs"), load("wal")
    samples: Counter[str] = Counter()
    for r in rounds:
        samples.update(r["send"].get("backend_samples") or {})
    if funcs:
        out += [
            "",
            "Inside PostgreSQL over all rounds (pg_stat_user_functions, track_functions = all;"
            " pg_stat_wal with track_wal_io_timing = on; warm-ups and windows):",
            "",
            "| function | calls | ms per call | of which its own |",
            "|---|---:|---:|---:|",
        ]
        for name, f in sorted(funcs.items(), key=lambda kv: -kv[1]["total_ms"]):
            if f["calls"]:
                out.append(
                    f"| {name} | {f['calls']} | {f['total_ms'] / f['calls']:.3f} | {f['self_ms'] / f['calls']:.3f} |"
                )
    if wal and funcs.get("api.send_message", {}).get("calls"):
        calls = funcs["api.send_message"]["calls"]
        syncs = wal["wal_sync"]
        per_sync = wal["wal_sync_time"] / syncs if syncs else 0
        out += [
            "",
            f"WAL: {syncs} syncs for {calls} messages ({syncs / calls:.2f} per message, {per_sync:.2f} ms each).",
        ]
    if samples:
        total = sum(samples.values())
        out += [
            "",
            "What PostgREST's backends were doing during the send_message windows (pg_stat_activity every 50 ms,"
            " role authenticator, not idle):",
            "",
            "| state | share of samples |",
            "|---|---:|",
        ]
        for what, n in samples.most_common(6):
            if "on pg_database 0" in what:
                what += ": NOTIFY's commit lock, one committer at a time, held through the commit's WAL flush"
            out.append(f"| {what} | {100 * n / total:.0f}% |")
    return "\n".join(out)


async def run(args: argparse.Namespace) -> int:
    result = await Load(args, read_users(args.users)).run()
    with open(args.out, "w") as f:
        f.write(json.dumps(result, indent=2) + "\n")
    summary = result["summary"]
    for i, r in enumerate(result["rounds"], 1):
        base, send = r["baseline"] or {"rps": 0, "http_ms": {}}, r["send"]
        print(
            f"round {i}: bench_noop {base['rps']:.0f}/s (p99 {base['http_ms'].get('p99')} ms); send_message"
            f" {send['rps']:.0f}/s (HTTP p99 {send['http_ms'].get('p99')} ms,"
            f" socket p50 {send['socket_ms'].get('p50')} ms p99 {send['socket_ms'].get('p99')} ms,"
            f" delivered {send['delivered_to_partner']}/{send['stored_in_window']},"
            f" statuses {send['statuses']}, failures {send['failures']})"
        )
    if "ratio" in summary:
        print(f"median send_message/bench_noop over {summary['rounds']} rounds: {100 * summary['ratio']:.0f}%")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--api", required=True)
    r.add_argument("--ws", required=True)
    r.add_argument("--users", required=True)
    r.add_argument("--concurrency", type=int, default=16)
    r.add_argument("--warmup", type=float, default=3.0)
    r.add_argument("--duration", type=float, default=15.0)
    r.add_argument("--bridge-pid", type=int, default=0)
    r.add_argument("--postgrest-pid", type=int, default=0)
    r.add_argument("--pg-pid", type=int, default=0)
    r.add_argument("--rounds", type=int, default=3, help="baseline and send phases, alternating")
    r.add_argument("--send-only", action="store_true", help="skip the bench_noop phases")
    r.add_argument("--out", required=True)
    p = sub.add_parser("report")
    p.add_argument("--dir", required=True)
    args = parser.parse_args()
    if args.command == "report":
        print(report(args.dir))
        return 0
    if args.duration > 120 or args.warmup > 30 or not 1 <= args.concurrency <= 256 or not 1 <= args.rounds <= 9:
        parser.error("keep runs bounded: --duration 120 s, --warmup 30 s, --concurrency 256 and --rounds 9 at most")
    try:
        import uvloop
    except ImportError:
        return asyncio.run(run(args))
    return uvloop.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
