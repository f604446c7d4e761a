"""``python -m bridge``: serve the bridge with uvicorn on BRIDGE_HOST:BRIDGE_PORT."""

from __future__ import annotations

import sys

import uvicorn

from .app import create_app
from .config import ConfigError, load_settings
from .logs import log_config
from .protocol import MAX_FRAME_BYTES


def main() -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"bridge: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        # The websockets library's Sans-I/O protocol: uvicorn's older "websockets" protocol is
        # deprecated and is to become an alias of this one.
        ws="websockets-sansio",
        # Bigger frames are refused by the protocol itself with close code 1009.
        ws_max_size=MAX_FRAME_BYTES,
        # Compression is off on purpose: permessage-deflate costs about 2x the CPU per frame sent and
        # about 3x the memory per connection (a zlib context each way), for frames of 100 to 300 bytes
        # of JSON that barely compress. Every frame is encoded once and sent as is to many sockets.
        ws_per_message_deflate=False,
        # Request lines can carry ?token=, so there is no access log at all.
        access_log=False,
        log_config=log_config(settings.log_level),
        server_header=False,
        proxy_headers=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
