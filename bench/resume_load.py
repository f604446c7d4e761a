"""Resume load generator for bench/bench_resume.sh: a reconnect storm, and chat latency beside a held transaction.

    python bench/resume_load.py storm --ws ws://127.0.0.1:8080/ws --users users.tsv \\
        --missed 10 --rounds 3 --out storm.json [--bridge-pid PID --pg-pid PID]
    python bench/resume_load.py latency --api http://127.0.0.1:3000 --ws ws://127.0.0.1:8080/ws \\
        --users users.tsv --senders 16 --rate 200 --warmup 3 --baseline 15 --held 60 --after 15 \\
        --out latency.json [--bridge-pid PID --postgrest-pid PID --pg-pid PID]
    python bench/resume_load.py report --dir DIR --part storm|latency   # the tables of bench/results/resume.md

users.tsv has one line per user: ``user_id<TAB>token<TAB>session_id<TAB>partner_id<TAB>partner_token``:
each user has a private session with a partner of its own, and only the users open sockets, so every
message a partner sends has exactly one reader on the bridge and none of its own copies to sort out.
BENCH_OWNER_URL (the database owner) is needed by both runs; BENCH_BRIDGE_URL (the bridge role) by
the latency run, to time realtime.chat_stamp as the bridge calls it. Neither goes on a command line.

storm: --rounds times, alternating, all users reconnect at once:

* baseline: connect, welcome, ping, pong; no message was missed and nothing is resumed. The welcome's
  cursor is what the client stores.
* storm: those sockets close; each partner sends --missed messages through api.send_message (as the
  owner in SQL with the partner's claims, one committed transaction per message, so they are the same
  rows a REST call stores); once the bridge has stamped them all, every user reconnects at once and
  sends ``resume`` with its stored cursor as its first frame. A socket is caught up at its ``resumed``
  frame. Every message id must arrive exactly once on its reader's socket, no other message may
  arrive, and cursors may never go back; each socket then listens QUIET_SECONDS more for late
  copies. Any breach fails the run (exit status 3) after the JSON is written.

latency: --senders workers, each with its own keep-alive HTTP/1.1 connection, send POST
/rpc/send_message as partners at --rate messages/s in all (paced, so both windows see the same load);
the content carries a nonce, and the reader's socket records arrival minus send time. After a warm-up
come three windows: baseline; held, while another connection (the owner) sits idle inside
``BEGIN; SELECT pg_current_xact_id();`` so the database's xmin horizon stays behind it; after, once it
rolled back. Meanwhile realtime.chat_stamp() is called as the bridge role every STAMP_EVERY seconds
(timed from here), and its pg_stat_user_functions counters are read at every window's edge (calls of
the bridge's own tail included). Every stored message must reach its reader exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import psycopg
from chat_load import Http
from procstats import CpuMeter, percentiles, result_reader
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

# Every wait is bounded: a stuck socket or database fails the run instead of hanging it.
SOCKET_DEADLINE = 60.0
# After its resumed frame a socket listens this long more: a copy arriving late is a duplicate too.
QUIET_SECONDS = 1.5
# Owner connections that send the missed messages (one committed transaction per message).
SEND_CONNECTIONS = 8
# How often the latency run times realtime.chat_stamp() as the bridge role.
STAMP_EVERY = 0.2
# How long the latency run waits, after its last window, for the last messages to arrive.
DRAIN_SECONDS = 10.0
# The held window is also cut into this many equal slices, to show a trend inside it.
HELD_SLICES = 4
# The exit status of a run that saw exactly-once delivery broken.
EXIT_BREACH = 3

STAMP_STATS = (
    "SELECT calls, total_time, self_time FROM pg_stat_user_functions"
    " WHERE schemaname = 'realtime' AND funcname = 'chat_stamp'"
)


@dataclass(frozen=True, slots=True)
class User:
    user_id: str
    token: str
    session_id: str
    partner_id: str
    partner_token: str


def read_users(path: str) -> list[User]:
    with open(path) as f:
        return [User(*line.rstrip("\n").split("\t")) for line in f if line.strip()]


def env_url(name: str) -> str:
    url = os.environ.get(name)
    if not url:
        raise SystemExit(f"{name} is not set")
    return url


async def open_socket(ws_url: str, user: User) -> tuple[ClientConnection, dict[str, Any]]:
    """A socket and its welcome frame."""
    ws = await connect(
        f"{ws_url}?token={user.token}",
        compression=None,
        ping_interval=None,
        proxy=None,
        open_timeout=SOCKET_DEADLINE,
        close_timeout=2,
        max_queue=None,
    )
    welcome = json.loads(await ws.recv())
    if welcome.get("type") != "welcome":
        await ws.close()
        raise RuntimeError(f"expected welcome, got {welcome!r:.200}")
    return ws, welcome


# The reconnect storm


@dataclass
class Socket:
    """What one socket of a reconnect saw, its times from the start of the reconnect."""

    user: User
    welcome_s: float = 0.0
    done_s: float = 0.0
    cursor: int | None = None
    ids: list[int] = field(default_factory=list)
    cursors: list[int] = field(default_factory=list)
    strays: list[str] = field(default_factory=list)
    error: str | None = None


async def reconnect(ws_url: str, user: User, t0: float, resume_from: int | None) -> tuple[ClientConnection, Socket]:
    """Opens the socket; resumes from resume_from (or, for the baseline, pings) and waits for the answer."""
    seen = Socket(user)
    ws, welcome = await open_socket(ws_url, user)
    seen.welcome_s = time.perf_counter() - t0
    seen.cursor = welcome.get("cursor")
    if resume_from is None:
        await ws.send('{"type":"ping"}')
        await read_until(ws, seen, "pong")
    else:
        await ws.send(json.dumps({"type": "resume", "cursor": resume_from}))
        resumed = await read_until(ws, seen, "resumed")
        seen.cursor = resumed.get("cursor")
    seen.done_s = time.perf_counter() - t0
    return ws, seen


async def read_until(ws: ClientConnection, seen: Socket, wanted: str) -> dict[str, Any]:
    """Reads frames, recording chat messages, until one of type `wanted`; anything else is a stray."""
    while True:
        frame = json.loads(await ws.recv())
        kind = frame.get("type")
        if kind == wanted:
            return frame
        if kind == "chat_message":
            seen.ids.append(frame["message"]["id"])
            seen.cursors.append(frame["cursor"])
        else:
            seen.strays.append(json.dumps(frame)[:200])


async def listen_quietly(ws: ClientConnection, seen: Socket) -> None:
    """QUIET_SECONDS more on a socket that is done: a chat frame now is a late copy or a stray."""
    deadline = time.perf_counter() + QUIET_SECONDS
    try:
        while (left := deadline - time.perf_counter()) > 0:
            frame = json.loads(await asyncio.wait_for(ws.recv(), left))
            if frame.get("type") == "chat_message":
                seen.ids.append(frame["message"]["id"])
                seen.cursors.append(frame["cursor"])
            else:
                seen.strays.append(json.dumps(frame)[:200])
    except TimeoutError:
        pass
    except ConnectionClosed as exc:
        seen.error = f"closed while quiet: {exc}"


async def one_socket(
    ws_url: str, user: User, t0: float, resume_from: int | None
) -> tuple[ClientConnection | None, Socket]:
    try:
        ws, seen = await asyncio.wait_for(reconnect(ws_url, user, t0, resume_from), SOCKET_DEADLINE)
    except (OSError, TimeoutError, ConnectionClosed, RuntimeError) as exc:
        return None, Socket(user, error=f"{type(exc).__name__}: {exc}")
    await listen_quietly(ws, seen)
    return ws, seen


async def reconnect_all(
    ws_url: str, users: list[User], cursors: dict[str, int] | None, meter: CpuMeter
) -> dict[str, Any]:
    """Every user at once (no gate: that is the storm); returns the per-socket times and what each saw."""
    cpu0 = meter.read()
    t0 = time.perf_counter()
    results = await asyncio.gather(
        *(one_socket(ws_url, u, t0, None if cursors is None else cursors[u.user_id]) for u in users)
    )
    cpu1 = meter.read()
    sockets = [ws for ws, _ in results if ws is not None]
    seen = [s for _, s in results]
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    done = [s.done_s for s in seen if s.error is None]
    return {
        "seen": seen,
        "all_done_s": max(done) if len(done) == len(users) else None,
        "done_ms": percentiles(done),
        "welcome_ms": percentiles([s.welcome_s for s in seen if s.error is None]),
        # CPU seconds over the reconnect and the quiet listening after it.
        "cpu_s": {k: round(cpu1[k] - cpu0[k], 2) for k in cpu0},
    }


async def send_as(conn: psycopg.AsyncConnection[Any], user: User, content: str) -> int:
    """One message from the partner to the user: api.send_message with the partner's claims, committed."""
    claims = json.dumps({"sub": user.partner_id, "role": "player"})
    async with conn.transaction():
        await conn.execute("SELECT set_config('request.jwt.claims', %s, true)", (claims,))
        cursor = await conn.execute("SELECT id FROM api.send_message(%s::uuid, %s)", (user.session_id, content))
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def send_missed(owner_url: str, users: list[User], per_user: int, tag: str) -> dict[str, list[int]]:
    """per_user messages to every user, over SEND_CONNECTIONS owner connections; the ids, by reader."""
    sent: dict[str, list[int]] = {u.user_id: [] for u in users}

    async def share(part: list[User]) -> None:
        async with await psycopg.AsyncConnection.connect(owner_url, application_name="bench-missed") as conn:
            for k in range(per_user):
                for user in part:
                    sent[user.user_id].append(await send_as(conn, user, f"missed {tag}.{k} for {user.user_id}"))

    await asyncio.gather(*(share(users[i::SEND_CONNECTIONS]) for i in range(SEND_CONNECTIONS)))
    return sent


async def wait_stamped(owner_url: str, ids: list[int]) -> float:
    """Waits until the bridge's tail has given every id a stream position; returns how long that took."""
    t0 = time.perf_counter()
    async with await psycopg.AsyncConnection.connect(owner_url, autocommit=True) as conn:
        while time.perf_counter() - t0 < SOCKET_DEADLINE:
            cursor = await conn.execute("SELECT count(*) FROM app.chat_log WHERE message_id = ANY(%s)", (ids,))
            row = await cursor.fetchone()
            if row is not None and row[0] == len(ids):
                return time.perf_counter() - t0
            await asyncio.sleep(0.05)
    raise RuntimeError(f"the bridge did not stamp {len(ids)} messages within {SOCKET_DEADLINE} s")


def breaches(seen: list[Socket], expected: dict[str, list[int]] | None) -> list[str]:
    """Everything exactly-once forbids, one line per socket and kind: lost, twice, foreign, cursor back."""
    out = []
    for s in seen:
        who = f"user {s.user.user_id}"
        if s.error:
            out.append(f"{who}: {s.error}")
            continue
        got = Counter(s.ids)
        want = set(expected.get(s.user.user_id, ())) if expected else set()
        if lost := sorted(want - got.keys()):
            out.append(f"{who}: {len(lost)} of {len(want)} missed messages never arrived: ids {lost[:10]}")
        if twice := sorted(i for i, n in got.items() if n > 1):
            out.append(f"{who}: {len(twice)} message ids arrived more than once: {twice[:10]}")
        if foreign := sorted(got.keys() - want):
            out.append(f"{who}: {len(foreign)} messages it was not owed arrived: ids {foreign[:10]}")
        if any(b <= a for a, b in zip(s.cursors, s.cursors[1:])):
            out.append(f"{who}: chat frame cursors went back or repeated: {s.cursors[:20]}")
        if s.cursors and s.cursor is not None and s.cursor < s.cursors[-1] and expected:
            out.append(f"{who}: resumed cursor {s.cursor} is below its last chat frame's {s.cursors[-1]}")
        if s.strays:
            out.append(f"{who}: unexpected frames: {s.strays[:3]}")
    return out


def storm_summary(result: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """The JSON of one reconnect, without the per-socket detail (except the breaches)."""
    seen: list[Socket] = result.pop("seen")
    result["sockets"] = len(seen)
    result["frames"] = sum(len(s.ids) for s in seen)
    result["breaches"] = problems
    return result


async def storm_run(args: argparse.Namespace) -> dict[str, Any]:
    users = read_users(args.users)
    owner_url = env_url("BENCH_OWNER_URL")
    meter = CpuMeter({"bridge": args.bridge_pid}, {"postgres": args.pg_pid})
    # A warm-up reconnect: the first one of a process pays for its pools and caches.
    await reconnect_all(args.ws, users, None, meter)
    rounds = []
    for r in range(1, args.rounds + 1):
        base = await reconnect_all(args.ws, users, None, meter)
        base_problems = breaches(base["seen"], None)
        # What each client stores: the cursor of the last frame it got, here its welcome.
        cursors = {s.user.user_id: s.cursor for s in base["seen"] if s.cursor is not None}
        if base_problems or len(cursors) < len(users):
            raise RuntimeError(
                f"the baseline reconnect of round {r} failed: {base_problems[:5]} ({len(cursors)} cursors)"
            )
        t = time.perf_counter()
        expected = await send_missed(owner_url, users, args.missed, f"r{r}")
        send_s = time.perf_counter() - t
        stamp_s = await wait_stamped(owner_url, [i for ids in expected.values() for i in ids])
        storm = await reconnect_all(args.ws, users, cursors, meter)
        problems = breaches(storm["seen"], expected)
        rounds.append(
            {
                "baseline": storm_summary(base, base_problems),
                "storm": storm_summary(storm, problems),
                "missed_sent": sum(len(v) for v in expected.values()),
                "send_s": round(send_s, 2),
                "stamp_wait_s": round(stamp_s, 2),
            }
        )
        print_storm_round(r, rounds[-1])
    return {"users": len(users), "missed_per_user": args.missed, "rounds": rounds, "summary": summarize_storm(rounds)}


def summarize_storm(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    def median(kind: str, pick: Callable[[dict[str, Any]], float | None]) -> float | None:
        values = [v for r in rounds if (v := pick(r[kind])) is not None]
        return statistics.median(values) if len(values) == len(rounds) else None

    out: dict[str, Any] = {"rounds": len(rounds)}
    for kind in ("baseline", "storm"):
        out[kind] = {
            "all_done_ms": median(kind, lambda p: None if p["all_done_s"] is None else 1000 * p["all_done_s"]),
            "p50_ms": median(kind, lambda p: p["done_ms"].get("p50")),
            "p99_ms": median(kind, lambda p: p["done_ms"].get("p99")),
        }
    # As in bench_chat.sh: each round beside its own baseline, since the machine drifts between rounds.
    ratios = [r["storm"]["all_done_s"] / r["baseline"]["all_done_s"] for r in rounds if complete(r)]
    out["ratios"] = ratios
    out["ratio"] = statistics.median(ratios) if len(ratios) == len(rounds) else None
    out["breaches"] = sum(len(r[k]["breaches"]) for r in rounds for k in ("baseline", "storm"))
    return out


def complete(rnd: dict[str, Any]) -> bool:
    """Both reconnects of the round had every socket done."""
    return bool(rnd["baseline"]["all_done_s"]) and rnd["storm"]["all_done_s"] is not None


def print_storm_round(r: int, rnd: dict[str, Any]) -> None:
    for kind in ("baseline", "storm"):
        p = rnd[kind]
        all_done = "n/a" if p["all_done_s"] is None else f"{1000 * p['all_done_s']:.0f} ms"
        print(
            f"round {r} {kind}: all {p['sockets']} done in {all_done}, per socket p50 {p['done_ms'].get('p50')} ms"
            f" p99 {p['done_ms'].get('p99')} ms, {p['frames']} chat frames, {len(p['breaches'])} breaches",
            flush=True,
        )
        for line in p["breaches"][:20]:
            print(f"    BREACH: {line}", file=sys.stderr, flush=True)


# Latency beside a held transaction


@dataclass
class Timeline:
    """The run's windows on the perf_counter clock: warm-up, baseline, held, after."""

    start: float
    base0: float
    held0: float
    after0: float
    end: float

    @classmethod
    def plan(cls, args: argparse.Namespace) -> Timeline:
        start = time.perf_counter()
        base0 = start + args.warmup
        held0 = base0 + args.baseline
        after0 = held0 + args.held
        return cls(start, base0, held0, after0, after0 + args.after)

    def windows(self) -> dict[str, tuple[float, float]]:
        out = {"baseline": (self.base0, self.held0), "held": (self.held0, self.after0)}
        if self.end > self.after0:
            out["after"] = (self.after0, self.end)
        width = (self.after0 - self.held0) / HELD_SLICES
        for i in range(HELD_SLICES):
            out[f"held {i + 1}/{HELD_SLICES}"] = (self.held0 + i * width, self.held0 + (i + 1) * width)
        return out


@dataclass
class Sent:
    at: float
    status: int = 0
    arrivals: list[float] = field(default_factory=list)


@dataclass
class LatencyState:
    sent: dict[str, Sent] = field(default_factory=dict)
    unmatched: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    closes: Counter[str] = field(default_factory=Counter)
    # (time, ms, got the lock) of each timed realtime.chat_stamp() call.
    stamps: list[tuple[float, float, bool]] = field(default_factory=list)
    # (time, ms) of each lag sample of this process's event loop.
    loop_lag: list[tuple[float, float]] = field(default_factory=list)
    # Readings at each window's edge: name -> {stamp counters, chat_log_state pages, CPU}.
    edges: dict[str, dict[str, Any]] = field(default_factory=dict)
    held: dict[str, Any] = field(default_factory=dict)
    stopping: bool = False


async def recipient(ws: ClientConnection, state: LatencyState) -> None:
    """A reader's socket: the arrival time of every chat frame whose nonce this run sent."""
    perf, loads = time.perf_counter, json.loads
    try:
        async for text in ws:
            now = perf()
            frame = loads(text)
            if frame.get("type") != "chat_message":
                continue
            record = state.sent.get(frame["message"].get("content", "")[4:])
            if record is None:
                state.unmatched += 1
            else:
                record.arrivals.append(now)
    except ConnectionClosed as exc:
        if not state.stopping:
            state.closes[str(exc.rcvd.code if exc.rcvd else None)] += 1


async def sender(w: int, args: argparse.Namespace, users: list[User], line: Timeline, state: LatencyState) -> None:
    """Worker w: its users' partners in turn, one message every senders/rate seconds, until the end."""
    api = urlsplit(args.api)
    http = Http(api.hostname or "127.0.0.1", api.port or 80)
    mine = users[w :: args.senders]
    interval = args.senders / args.rate
    perf = time.perf_counter
    due = line.start + w * interval / args.senders  # spread the workers over one interval
    seq = 0
    try:
        while (now := perf()) < line.end:
            if due > now:
                await asyncio.sleep(due - now)
            # A worker that fell behind sends at once, but does not burst to make up more than one slot.
            due = max(due + interval, perf() - interval)
            user = mine[seq % len(mine)]
            seq += 1
            nonce = f"{w}.{seq}"
            record = state.sent[nonce] = Sent(perf())
            body = json.dumps({"session_id": user.session_id, "content": f"lat {nonce}"}).encode()
            try:
                record.status, _ = await http.post("/rpc/send_message", user.partner_token, body)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                state.failures[type(exc).__name__] += 1
                http.close()
                http = Http(api.hostname or "127.0.0.1", api.port or 80)
    finally:
        http.close()


Conn = psycopg.AsyncConnection[Any]


async def hold_transaction(conn: Conn, line: Timeline, state: LatencyState) -> None:
    """From held0 to after0: an open transaction with an xid, idle, on its own connection; then rollback."""
    await asyncio.sleep(max(0.0, line.held0 - time.perf_counter()))
    # Not autocommit: this statement opens the transaction, and pg_current_xact_id gives it an xid.
    cursor = await conn.execute("SELECT pg_current_xact_id()::text, pg_backend_pid()")
    row = await cursor.fetchone()
    assert row is not None
    state.held.update({"xid": row[0], "pid": row[1]})
    await asyncio.sleep(max(0.0, line.after0 - time.perf_counter()))
    try:
        await conn.rollback()
        state.held["rolled_back"] = True
    except psycopg.Error as exc:
        state.held["error"] = f"{type(exc).__name__}: {exc}"


async def check_held(conn: Conn, line: Timeline, state: LatencyState) -> None:
    """A second into the held window: proof that the holder sits idle in a transaction with an xid."""
    await asyncio.sleep(max(0.0, line.held0 + 1.0 - time.perf_counter()))
    cursor = await conn.execute(
        "SELECT state, backend_xid::text, pg_snapshot_xmin(pg_current_snapshot())::text"
        " FROM pg_stat_activity WHERE application_name = 'bench-held-xact'"
    )
    row = await cursor.fetchone()
    if row is not None:
        # Idle between statements, the holder has no snapshot; its running xid is what holds every
        # other snapshot's xmin (and so vacuum's horizon) back.
        state.held.update({"state": row[0], "backend_xid": row[1], "snapshot_xmin": row[2]})


async def sample_stamps(conn: Conn, line: Timeline, state: LatencyState) -> None:
    """realtime.chat_stamp() as the bridge role, timed from here; NULL means the bridge's tail had the lock."""
    while (now := time.perf_counter()) < line.end:
        cursor = await conn.execute("SELECT realtime.chat_stamp()")
        row = await cursor.fetchone()
        done = time.perf_counter()
        state.stamps.append((now, 1000 * (done - now), row is not None and row[0] is not None))
        await asyncio.sleep(STAMP_EVERY)


async def sample_loop_lag(line: Timeline, state: LatencyState) -> None:
    """How late this process's event loop wakes: a loaded generator inflates every latency it measures."""
    while (now := time.perf_counter()) < line.end:
        await asyncio.sleep(0.05)
        state.loop_lag.append((now, 1000 * (time.perf_counter() - now - 0.05)))


async def read_edges(conn: Conn, line: Timeline, meter: CpuMeter, state: LatencyState) -> None:
    """At each window's edge: chat_stamp's counters, the size of chat_log_state, and CPU so far."""
    edges = {"baseline": line.base0, "held": line.held0, "after": line.after0, "end": line.end}
    for name, at in edges.items():
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        cpu = meter.read()
        cursor = await conn.execute(STAMP_STATS)
        calls = await cursor.fetchone()
        cursor = await conn.execute(
            "SELECT pg_relation_size('app.chat_log_state') / current_setting('block_size')::int,"
            " (SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = 'app.chat_log_state'::regclass)"
        )
        size = await cursor.fetchone()
        state.edges[name] = {
            "at": at,
            "stamp": list(calls) if calls else [0, 0.0, 0.0],
            "state_pages": size[0] if size else None,
            "state_dead_tuples": size[1] if size else None,
            "cpu": cpu,
        }


def window_figures(name: str, span: tuple[float, float], state: LatencyState) -> dict[str, Any]:
    t0, t1 = span
    mine = [s for s in state.sent.values() if t0 <= s.at < t1]
    stored = [s for s in mine if 200 <= s.status < 300]
    latencies = [s.arrivals[0] - s.at for s in stored if s.arrivals]
    stamps = [(ms, locked) for at, ms, locked in state.stamps if t0 <= at < t1]
    return {
        "name": name,
        "seconds": round(t1 - t0, 2),
        "sent": len(mine),
        "stored": len(stored),
        "sent_per_s": round(len(mine) / (t1 - t0), 1),
        "statuses": dict(Counter(str(s.status) for s in mine)),
        "socket_ms": percentiles(latencies),
        "not_delivered": sum(1 for s in stored if not s.arrivals),
        "duplicates": sum(1 for s in stored if len(s.arrivals) > 1),
        "stamp_sampled_ms": percentiles([ms / 1000 for ms, locked in stamps if locked]),
        "stamp_sampled_skipped": sum(1 for _, locked in stamps if not locked),
        "loop_lag_ms": percentiles([ms / 1000 for at, ms in state.loop_lag if t0 <= at < t1]),
    }


def per_second(line: Timeline, state: LatencyState) -> list[dict[str, Any]]:
    """Second by second from the baseline on (for the JSON, not the report): where a spike sits."""
    out = []
    t = line.base0
    while t < line.end:
        w = window_figures(f"{t - line.base0:.0f}", (t, t + 1.0), state)
        out.append(
            {
                "second": w["name"],
                "sent": w["sent"],
                "p50": w["socket_ms"].get("p50"),
                "max": w["socket_ms"].get("max"),
                "stamp_max": w["stamp_sampled_ms"].get("max"),
                "loop_lag_max": w["loop_lag_ms"].get("max"),
            }
        )
        t += 1.0
    return out


def edge_figures(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Between two edges: chat_stamp calls and mean ms per call (every caller), CPU percent, state size."""
    calls = b["stamp"][0] - a["stamp"][0]
    total = b["stamp"][1] - a["stamp"][1]
    return {
        "stamp_calls": calls,
        "stamp_ms_per_call": round(total / calls, 3) if calls else None,
        "cpu_pct": CpuMeter.percent(a["cpu"], b["cpu"], b["at"] - a["at"]),
        "state_pages_at_start": a["state_pages"],
        "state_pages_at_end": b["state_pages"],
        "state_dead_tuples_at_end": b["state_dead_tuples"],
    }


async def drain(state: LatencyState) -> None:
    """Waits (up to DRAIN_SECONDS) until every stored message has reached its reader."""
    deadline = time.perf_counter() + DRAIN_SECONDS
    while time.perf_counter() < deadline:
        if all(s.arrivals for s in state.sent.values() if 200 <= s.status < 300):
            return
        await asyncio.sleep(0.1)


async def latency_run(args: argparse.Namespace) -> dict[str, Any]:
    users = read_users(args.users)
    owner_url, bridge_url = env_url("BENCH_OWNER_URL"), env_url("BENCH_BRIDGE_URL")
    state = LatencyState()
    gate = asyncio.Semaphore(25)

    async def gated(user: User) -> tuple[ClientConnection, dict[str, Any]]:
        async with gate:
            return await open_socket(args.ws, user)

    opened = await asyncio.wait_for(asyncio.gather(*(gated(u) for u in users)), SOCKET_DEADLINE)
    sockets = [ws for ws, _ in opened]
    # A first frame that is not a resume: live chat flows at once instead of after the 1-s hold.
    await asyncio.gather(*(ws.send('{"type":"ping"}') for ws in sockets))
    readers = [asyncio.create_task(recipient(ws, state)) for ws in sockets]
    meter = CpuMeter(
        {"bridge": args.bridge_pid, "postgrest": args.postgrest_pid}, {"postgres": args.pg_pid}, include_self=True
    )
    async with contextlib.AsyncExitStack() as stack:
        # Every connection opens before the clock starts: a connect (SCRAM included) inside a window
        # would stall this process's loop and show up as latency.
        holder, checker, edges, stamper = [
            await stack.enter_async_context(
                await psycopg.AsyncConnection.connect(url, autocommit=auto, application_name=name)
            )
            for url, auto, name in (
                (owner_url, False, "bench-held-xact"),
                (owner_url, True, "bench-check"),
                (owner_url, True, "bench-edges"),
                (bridge_url, True, "bench-stamp"),
            )
        ]
        line = Timeline.plan(args)
        jobs: list[Awaitable[None]] = [sender(w, args, users, line, state) for w in range(args.senders)]
        jobs += [
            hold_transaction(holder, line, state),
            check_held(checker, line, state),
            sample_stamps(stamper, line, state),
            sample_loop_lag(line, state),
            read_edges(edges, line, meter, state),
        ]
        await asyncio.wait_for(asyncio.gather(*jobs), line.end - time.perf_counter() + 60)
    await drain(state)
    state.stopping = True
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    await asyncio.wait(readers, timeout=5)
    return latency_result(args, users, line, state)


def latency_result(args: argparse.Namespace, users: list[User], line: Timeline, state: LatencyState) -> dict[str, Any]:
    windows = [window_figures(name, span, state) for name, span in line.windows().items()]
    edges = state.edges
    order = [n for n in ("baseline", "held", "after", "end") if n in edges]
    for w in windows:
        if w["name"] in order[:-1]:
            w.update(edge_figures(edges[w["name"]], edges[order[order.index(w["name"]) + 1]]))
    stored = [s for s in state.sent.values() if 200 <= s.status < 300]
    return {
        "users": len(users),
        "senders": args.senders,
        "rate": args.rate,
        "warmup_s": args.warmup,
        "held_xact": state.held,
        "windows": windows,
        "per_second": per_second(line, state),
        "stored_total": len(stored),
        "not_delivered_total": sum(1 for s in stored if not s.arrivals),
        "duplicates_total": sum(1 for s in stored if len(s.arrivals) > 1),
        "unmatched": state.unmatched,
        "failures": dict(state.failures),
        "closes": dict(state.closes),
    }


def latency_breaches(result: dict[str, Any]) -> list[str]:
    out = []
    if result["not_delivered_total"]:
        out.append(f"{result['not_delivered_total']} stored messages never reached their reader's socket")
    if result["duplicates_total"]:
        out.append(f"{result['duplicates_total']} messages reached their reader more than once")
    if result["closes"]:
        out.append(f"sockets were closed by the server: {result['closes']}")
    held = result["held_xact"]
    if not held.get("rolled_back") or held.get("state") != "idle in transaction" or not held.get("backend_xid"):
        out.append(f"the held transaction was not held idle with an xid for the whole window: {held}")
    return out


# The report


def report(directory: str, part: str) -> str:
    """One part of bench/results/resume.md (storm or latency) from the JSON files the run left in directory."""
    load = result_reader(directory)
    lines = storm_report(load("storm")) if part == "storm" else latency_report(load("latency"))
    return "\n".join(lines)


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def storm_report(storm: dict[str, Any]) -> list[str]:
    if not storm:
        return ["(the reconnect storm left no result)"]
    n, k = storm["users"], storm["missed_per_user"]
    out = [
        f"| round: reconnect of {n} sockets at once | all done | vs the round's baseline | per socket median | p99"
        " | welcome median | chat frames | lost / duplicated / foreign | CPU s: bridge / PostgreSQL |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for i, r in enumerate(storm["rounds"], 1):
        for kind, title in (
            ("baseline", "connect + ping/pong, nothing missed (baseline)"),
            ("storm", f"resume, {k} missed each"),
        ):
            p = r[kind]
            done = None if p["all_done_s"] is None else 1000 * p["all_done_s"]
            versus = f"{p['all_done_s'] / r['baseline']['all_done_s']:.1f}×" if complete(r) else "–"
            cpu = p["cpu_s"]
            out.append(
                f"| {i}: {title} | {ms(done)} | {versus}"
                f" | {ms(p['done_ms'].get('p50'))} | {ms(p['done_ms'].get('p99'))}"
                f" | {ms(p['welcome_ms'].get('p50'))} | {p['frames']} | {len(p['breaches'])}"
                f" | {cpu.get('bridge', 0):.2f} / {cpu.get('postgres', 0):.2f} |"
            )
    s = storm["summary"]
    b, t = s["baseline"], s["storm"]
    ratio = "n/a" if s["ratio"] is None else f"{s['ratio']:.1f}×"
    each = ", ".join(f"{x:.1f}×" for x in s["ratios"])
    sent = [r["send_s"] for r in storm["rounds"]]
    exactness = (
        f"**{s['breaches']} BREACHES** (listed in the run's log)"
        if s["breaches"]
        else "every missed message arrived exactly once, no other message arrived, and no cursor went back"
    )
    out += [
        "",
        f"Medians of the {s['rounds']} rounds: all {n} sockets caught up (resumed, and all {n * k} missed messages"
        f" there) in **{ms(t['all_done_ms'])}** from the start of the storm, beside {ms(b['all_done_ms'])} for the"
        f" same reconnect without anything to replay; per socket median {ms(t['p50_ms'])} / p99 {ms(t['p99_ms'])}"
        f" (baseline {ms(b['p50_ms'])} / {ms(b['p99_ms'])}). Each round beside its own baseline, the median of the"
        f" rounds' ratios: **the storm takes {ratio} as long** (the rounds: {each}).",
        f"Exactly once: {exactness} (checked on every socket, until {QUIET_SECONDS} s past its resumed frame).",
        f"Sending the {n * k} missed messages took {', '.join(f'{x:.1f}' for x in sent)} s per round"
        " (before the storm, not timed in it).",
    ]
    return out


def latency_report(lat: dict[str, Any]) -> list[str]:
    if not lat:
        return ["(the latency run left no result)"]
    out = [
        "| window | s | sent/s | send → reader's socket median | p99 | max | not delivered / twice"
        " | chat_stamp(), all callers: calls, ms per call | chat_stamp() as the bridge role from here: median, p99"
        " | chat_log_state pages at end | load generator loop lag p99"
        " | CPU: PostgREST / PostgreSQL / bridge / load generator / rest |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for w in lat["windows"]:
        sock, stamp = w["socket_ms"], w["stamp_sampled_ms"]
        calls = "–" if "stamp_calls" not in w else f"{w['stamp_calls']}, {w['stamp_ms_per_call']} ms"
        cpu = w.get("cpu_pct")
        cpu_text = (
            "–"
            if not cpu
            else " / ".join(f"{cpu.get(k, 0):.0f}%" for k in ("postgrest", "postgres", "bridge", "loadgen", "other"))
        )
        out.append(
            f"| {w['name']} | {w['seconds']:.0f} | {w['sent_per_s']:.0f}"
            f" | {ms(sock.get('p50'))} | {ms(sock.get('p99'))}"
            f" | {ms(sock.get('max'))} | {w['not_delivered']} / {w['duplicates']} | {calls}"
            f" | {stamp.get('p50', '–')} ms, {stamp.get('p99', '–')} ms (n={stamp['n']})"
            f" | {w.get('state_pages_at_end', '–')} | {w['loop_lag_ms'].get('p99', '–')} ms | {cpu_text} |"
        )
    by = {w["name"]: w for w in lat["windows"]}
    base, held = by["baseline"]["socket_ms"].get("p99"), by["held"]["socket_ms"].get("p99")
    factor = held / base if base and held else None
    verdict = "n/a" if factor is None else ("met" if factor <= 1.5 else "NOT met")
    x = lat["held_xact"]
    b_stamp, h_stamp = by["baseline"].get("stamp_ms_per_call"), by["held"].get("stamp_ms_per_call")
    stamp_line = f"{h_stamp} ms held vs {b_stamp} ms in the baseline"
    if b_stamp and h_stamp:
        stamp_line += f" ({h_stamp / b_stamp:.2f}×)"
    pages = f"{by['held'].get('state_pages_at_start')} to {by['held'].get('state_pages_at_end')}"
    out += [
        "",
        f"Held transaction: xid {x.get('xid')}, {x.get('state')} (pg_stat_activity.backend_xid"
        f" {x.get('backend_xid')}; a new snapshot's xmin then: {x.get('snapshot_xmin')}) for the whole held window,"
        f" then rolled back.",
        f"realtime.chat_stamp() per call, all callers: {stamp_line}; app.chat_log_state (its one row, updated by"
        f" every stamp that found messages) grew from {pages} pages while the transaction kept its dead versions.",
        f"Claim: delivery latency stays flat while the transaction is held, p99 within 1.5× the baseline's:"
        f" held p99 {ms(held)} vs baseline {ms(base)}"
        f" = {'n/a' if factor is None else f'{factor:.2f}×'}: **{verdict}**.",
        f"All windows: {lat['stored_total']} messages stored, {lat['not_delivered_total']} not delivered,"
        f" {lat['duplicates_total']} delivered twice; HTTP failures {lat['failures'] or 'none'}.",
    ]
    return out


# Entry points


def write(path: str, result: dict[str, Any]) -> None:
    with open(path, "w") as f:
        f.write(json.dumps(result, indent=2, default=str) + "\n")


async def run(args: argparse.Namespace) -> int:
    if args.command == "storm":
        result = await storm_run(args)
        write(args.out, result)
        count = result["summary"]["breaches"]
    else:
        result = await latency_run(args)
        write(args.out, result)
        problems = latency_breaches(result)
        for line in problems:
            print(f"    BREACH: {line}", file=sys.stderr)
        for w in result["windows"]:
            print(f"{w['name']}: sent {w['sent']}, socket {w['socket_ms']}, stamp {w['stamp_sampled_ms']}", flush=True)
        count = len(problems)
    if count:
        print(
            f"{args.command}: {count} breaches of exactly-once delivery (details above and in {args.out})",
            file=sys.stderr,
        )
        return EXIT_BREACH
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("storm", "latency"):
        p = sub.add_parser(name)
        p.add_argument("--ws", required=True)
        p.add_argument("--users", required=True)
        p.add_argument("--out", required=True)
        p.add_argument("--bridge-pid", type=int, default=0)
        p.add_argument("--pg-pid", type=int, default=0)
    storm = sub.choices["storm"]
    storm.add_argument("--missed", type=int, default=10, help="messages each user misses while away")
    storm.add_argument("--rounds", type=int, default=3)
    lat = sub.choices["latency"]
    lat.add_argument("--api", required=True)
    lat.add_argument("--postgrest-pid", type=int, default=0)
    lat.add_argument("--senders", type=int, default=16)
    lat.add_argument("--rate", type=float, default=200.0, help="messages per second, all senders together")
    lat.add_argument("--warmup", type=float, default=3.0)
    lat.add_argument("--baseline", type=float, default=15.0)
    lat.add_argument("--held", type=float, default=60.0)
    lat.add_argument("--after", type=float, default=15.0)
    r = sub.add_parser("report")
    r.add_argument("--dir", required=True)
    r.add_argument("--part", choices=("storm", "latency"), required=True)
    args = parser.parse_args()
    bounded = {
        "storm": lambda a: 1 <= a.missed <= 100 and 1 <= a.rounds <= 9,
        "latency": lambda a: 1 <= a.senders <= 256 and 0 < a.rate <= 5000 and a.baseline + a.held + a.after <= 300,
        "report": lambda a: True,
    }
    if not bounded[args.command](args):
        parser.error(
            "keep runs bounded: --missed 100, --rounds 9, --senders 256, --rate 5000, 300 s of windows at most"
        )
    return args


def main() -> int:
    args = parse_args()
    if args.command == "report":
        print(report(args.dir, args.part))
        return 0
    try:
        import uvloop
    except ImportError:
        return asyncio.run(run(args))
    return uvloop.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
