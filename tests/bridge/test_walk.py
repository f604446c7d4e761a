"""examples/walk.py, scripted, against a real bridge and PostgREST: others see it walk, it sees them."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable

from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer, StartBridge, wait_until
from tests.bridge.test_hub import join, mentions
from tests.support.processes import REPO_ROOT, ManagedProcess

WALK = REPO_ROOT / "examples" / "walk.py"


async def test_scripted_walker_is_seen_walking_and_sees_the_others(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str], postgrest: str
) -> None:
    room = new_room()
    watcher = new_player("Watcher")
    w = await open_socket(bridge, watcher.token, name="watcher")
    await join(w, room)

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "API_URL": postgrest,
        "BRIDGE_URL": bridge.ws_url,
        "PYTHONUNBUFFERED": "1",
    }
    args: list[str | os.PathLike[str]] = [sys.executable, WALK, "--room", room]
    args += "--name Strider --script RRD --loops 1 --speed 8 --linger 1.5".split()
    with ManagedProcess("walk", args, env=env) as walker:
        joined = await w.expect("player_joined", where=lambda f: f["player"]["display_name"] == "Strider")
        strider = joined["player"]["user_id"]
        path: list[tuple[int, int, str]] = []
        while len(path) < 3:
            frame = await w.expect("moves", where=lambda f: mentions(f, strider))
            path += [(m["x"], m["y"], m["direction"]) for m in frame["moves"] if m["user_id"] == strider]
        assert path == [(6, 5, "right"), (7, 5, "right"), (7, 6, "down")]

        await w.send({"type": "move", "x": 5, "y": 4, "direction": "up"})
        await w.expect("player_left", user_id=strider, timeout=5.0)
        await wait_until(lambda: not walker.alive, what="walk.py exiting")
        assert walker.proc is not None and walker.proc.returncode == 0
        output = walker.log_path.read_text()
    walker.remove_log()
    assert "here: Watcher at (5, 5)" in output
    assert "Watcher moved to (5, 4) facing up" in output
    assert "bye" in output


async def test_scripted_walker_reconnects_after_the_bridge_restarts_and_walks_on(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str], postgrest: str
) -> None:
    # A restart closes every socket with 1012; a crash closes them with no close frame at all. After either
    # the walker reconnects, joins again and keeps walking, instead of exiting.
    bridge = start_bridge()
    room = new_room()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "API_URL": postgrest,
        "BRIDGE_URL": bridge.ws_url,
        "PYTHONUNBUFFERED": "1",
    }
    args: list[str | os.PathLike[str]] = [sys.executable, WALK, "--room", room]
    args += "--name Rambler --script RL --loops 60 --speed 8".split()
    with ManagedProcess("walk", args, env=env) as walker:
        for stop in ("restart", "kill"):
            watcher = new_player("Watcher")
            w = await open_socket(bridge, watcher.token, name="watcher")
            await join(w, room)
            await w.expect("moves", where=lambda f: any(m["user_id"] != watcher.user_id for m in f["moves"]))
            if stop == "restart":
                bridge.stop()
            else:
                assert bridge.proc.proc is not None
                os.kill(bridge.proc.proc.pid, signal.SIGKILL)
                bridge.proc.proc.wait()
            bridge.start_again()
            assert walker.alive, "walk.py is still running after the bridge went away"
        # Seen walking on the new bridge.
        watcher = new_player("Watcher after")
        w = await open_socket(bridge, watcher.token, name="watcher-after")
        await join(w, room)
        await w.expect("moves", timeout=15.0, where=lambda f: any(m["user_id"] != watcher.user_id for m in f["moves"]))
        walker.stop()
        output = walker.log_path.read_text()
    walker.remove_log()
    assert output.count("reconnecting in") >= 2, output
