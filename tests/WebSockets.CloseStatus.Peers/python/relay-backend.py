"""Python websockets (Debian's python3-websockets) as the backend behind the relay of issue #42.

Listens on 127.0.0.1, prints {"port"}, then one JSON line per closed connection: what websockets reports (close_code,
close_reason) and whether close frames went both ways. The plan comes from the request target's "b" parameter, written
by the .NET driver (RelayPeer.cs).
"""
import asyncio
import json
import sys
from urllib.parse import parse_qs, urlparse

import websockets


def print_line(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def handler(ws, path):
    plan = json.loads(parse_qs(urlparse(path).query)["b"][0])
    kind = plan["kind"]
    if kind == "peer-closes":
        if plan.get("code") is None:
            # websockets always sends a code: a close without one goes as raw bytes (RFC 6455 §5.5.1: 88 00).
            ws.transport.write(bytes([0x88, 0x00]))
        else:
            asyncio.ensure_future(ws.close(plan["code"], plan.get("reason", "")))
    elif kind == "peer-vanishes":
        await asyncio.sleep(0.05)
        ws.transport.abort()
    elif kind == "peer-malformed":
        payload = bytes.fromhex(plan["malformed"])
        ws.transport.write(bytes([0x88, len(payload)]) + payload)
    # Otherwise wait for the other side, or the proxy, to close.
    try:
        async for _ in ws:
            pass
    except websockets.ConnectionClosed:
        pass
    await ws.wait_closed()
    print_line({
        "id": plan["id"],
        "code": ws.close_code,
        "reason": ws.close_reason or "",
        "wasClean": ws.close_rcvd is not None and ws.close_sent is not None,
    })


async def main():
    async with websockets.serve(handler, "127.0.0.1", 0, ping_interval=None, close_timeout=5) as server:
        print_line({"port": server.sockets[0].getsockname()[1]})
        await asyncio.get_running_loop().create_future()


asyncio.run(main())
