"""What the load generators read from /proc: CPU time, memory, and the machine's total busy time.

Shared by bench/ws_load.py and bench/chat_load.py (run as ``python bench/<name>.py``, so this
directory is on sys.path).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process, in seconds (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def tree_cpu_seconds(root: int) -> float:
    """CPU of a process and its direct children: a postmaster and its backends."""
    total = cpu_seconds(root)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == root:
            total += cpu_seconds(int(entry))
    return total


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent on anything but idle and iowait, since boot."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    # guest and guest_nice are already counted in user and nice.
    return (sum(values[:8]) - idle) / CLK_TCK


def status_kb(pid: int, key: str) -> int:
    """A field of /proc/<pid>/status in kB (VmRSS, VmHWM), 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class CpuMeter:
    """CPU used between two readings by named processes, this process and the whole machine."""

    def __init__(self, pids: dict[str, int], trees: dict[str, int], *, include_self: bool = True) -> None:
        self.pids = {name: pid for name, pid in pids.items() if pid}
        self.trees = {name: pid for name, pid in trees.items() if pid}
        self.include_self = include_self

    def read(self) -> dict[str, float]:
        out = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        out.update({name: tree_cpu_seconds(pid) for name, pid in self.trees.items()})
        if self.include_self:
            times = os.times()
            out["loadgen"] = times.user + times.system
        out["machine"] = machine_busy_seconds()
        return out

    @staticmethod
    def percent(before: dict[str, float], after: dict[str, float], seconds: float) -> dict[str, float]:
        """Percent of one core per name; `other` is what the rest of the machine used meanwhile."""
        pct = {name: round(100 * (after[name] - before[name]) / seconds, 1) for name in before}
        ours = sum(v for k, v in pct.items() if k != "machine")
        pct["other"] = round(max(0.0, pct["machine"] - ours), 1)
        return pct


def result_reader(directory: str) -> Callable[[str], dict[str, Any]]:
    """For the reports: reads directory/<name>.json, or {} when that run left no file."""

    def load(name: str) -> dict[str, Any]:
        try:
            with open(f"{directory}/{name}.json") as f:
                data: dict[str, Any] = json.load(f)
                return data
        except FileNotFoundError:
            return {}

    return load


def percentiles(values: Sequence[float], scale: float = 1000.0) -> dict[str, float | int]:
    """n, p50, p90, p99 and max of values (seconds), in milliseconds by default."""
    ordered = sorted(values)
    if not ordered:
        return {"n": 0}

    def at(q: float) -> float:
        return round(scale * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    return {"n": len(ordered), "p50": at(0.50), "p90": at(0.90), "p99": at(0.99), "max": at(1.0)}


def main(argv: Sequence[str]) -> int:
    """For shell scripts: ``read NAME=PID|NAME=tree:PID...`` prints the CPU seconds so far as JSON;
    ``percent BEFORE AFTER SECONDS`` prints the percent of a core each used in between (and the rest of
    the machine), one ``name=value`` per line."""

    if len(argv) >= 1 and argv[0] == "read":
        pids, trees = {}, {}
        for spec in argv[1:]:
            name, _, pid = spec.partition("=")
            if pid.startswith("tree:"):
                trees[name] = int(pid[5:] or 0)
            else:
                pids[name] = int(pid or 0)
        print(json.dumps(CpuMeter(pids, trees, include_self=False).read()))
        return 0
    if len(argv) == 4 and argv[0] == "percent":
        before, after = json.loads(argv[1]), json.loads(argv[2])
        for name, value in CpuMeter.percent(before, after, float(argv[3])).items():
            print(f"{name}={value:.0f}")
        return 0
    print("usage: procstats.py read NAME=PID|NAME=tree:PID ... | percent BEFORE AFTER SECONDS", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
