"""Summarise a py-spy profile (``py-spy record --format raw``: folded stacks) as two markdown tables.

    python bench/profile_summary.py profile.folded

* By activity of the bridge: the outermost bridge/ frame of each sample (the task it belongs to):
  the writer tasks, the listener's fan-out, the receive loop, the move ticker, touch and sweep.
* By where the CPU goes: the innermost frame that belongs to a known library (JSON, websockets,
  uvicorn, Starlette, psycopg, asyncio) or to the bridge itself. A sample whose only Python frame is
  the event loop's run call is time inside uvloop (C): polling, socket reads and the callbacks it runs.

py-spy leaves out idle samples (a thread waiting in epoll), so the shares are of the CPU the process
used, not of wall time.
"""

from __future__ import annotations

import re
import sys
from collections import Counter

FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^():]+(?::\d+)?)\)$")

ACTIVITY = [
    ("Client._write", "writer tasks: frames into sockets (bridge/clients.py Client._write)"),
    ("Hub.on_presence", "fan-out of presence NOTIFY payloads (bridge/hub.py Hub.on_presence)"),
    ("ChatRelay", "chat relay (bridge/chat.py)"),
    ("Listener.", "listener: reading notifications (bridge/listener.py)"),
    ("Hub._run_ticker", "move ticker: realtime.apply_moves round trip (bridge/hub.py Hub._run_ticker)"),
    ("_fetch", "database calls through psycopg (bridge/db.py _fetch, a task of its own per call)"),
    ("Hub._every", "touch and sweep (bridge/hub.py Hub._every)"),
    ("Bridge.websocket", "receive loop: reading and parsing client frames (bridge/app.py Bridge.websocket)"),
]

LIBRARIES = [
    ("json/", "JSON encode/decode (json)"),
    ("/_json", "JSON encode/decode (json)"),
    ("websockets_sansio_impl.py:506", "socket writes (uvicorn transport.write, one per frame)"),
    ("uvicorn/", "uvicorn ASGI WebSocket glue"),
    ("websockets/", "websockets protocol (framing, masking)"),
    ("starlette/", "Starlette WebSocket wrapper"),
    ("psycopg", "psycopg and psycopg_pool"),
    ("asyncio/runners.py", "event loop (uvloop, C): polling, socket reads, callbacks"),
    ("asyncio/", "asyncio (queues, tasks, locks, sleeps)"),
    ("logging/", "logging"),
    ("bridge/", "bridge code itself"),
]


def parse(path: str) -> list[tuple[list[tuple[str, str]], int]]:
    stacks = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            text, _, count = line.rpartition(" ")
            frames = []
            for raw in text.split(";"):
                m = FRAME.match(raw.strip())
                frames.append((m.group("func"), m.group("file")) if m else (raw.strip(), ""))
            stacks.append((frames, int(count)))
    return stacks


def activity(frames: list[tuple[str, str]]) -> str:
    names = [func for func, file in frames if file.startswith("bridge/")]
    for key, label in ACTIVITY:
        if any(key in name for name in names):
            return label
    return "no bridge task: the event loop (uvloop, C) and library callbacks"


def library(frames: list[tuple[str, str]]) -> str:
    for func, file in reversed(frames):
        for key, label in LIBRARIES:
            if key in file:
                return label
    return "other"


def table(title: str, counts: Counter[str], total: int, top: int = 12) -> str:
    rows = [f"| {title} | samples | share |", "|---|---:|---:|"]
    for label, n in counts.most_common(top):
        rows.append(f"| {label} | {n} | {100 * n / total:.0f}% |")
    return "\n".join(rows)


def main() -> int:
    stacks = parse(sys.argv[1])
    total = sum(n for _, n in stacks)
    if not total:
        print("(the profile has no samples)")
        return 0
    by_activity: Counter[str] = Counter()
    by_library: Counter[str] = Counter()
    for frames, n in stacks:
        by_activity[activity(frames)] += n
        by_library[library(frames)] += n
    print(table("bridge activity (outermost bridge frame)", by_activity, total))
    print()
    print(table("where the CPU goes (innermost known frame)", by_library, total))
    print()
    print(f"{total} samples.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
