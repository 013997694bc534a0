"""WebSocket clients of Python's websockets (the Debian package python3-websockets), which follow RFC 6455 §7.1.1:
after the closing handshake a client waits for the server to end TCP. Usage: clients.py URL COUNT MODE, MODE one of
  read   read until the server closes;
  stop   stop reading at once (the server's close is never answered);
  close  close first with 1000 "bye" while the server's receive loop runs.
Prints "connected N" once every client is connected, then on standard input's end (or at once for close) one JSON
line per client: the close code and reason it reports, whether close frames went both ways, and how long it waited
between the closing handshake and the end of TCP."""
import asyncio
import json
import sys
import time

import websockets


async def one(url, mode, ready, go):
    ws = await websockets.connect(url, ping_interval=None, close_timeout=10, max_queue=None, open_timeout=30)
    if mode == "stop":
        ws.transport.pause_reading()
    ready()
    await go.wait()
    if mode == "stop":
        return None
    started = time.monotonic()
    if mode == "close":
        await ws.close(1000, "bye")
        handshake = time.monotonic()
    else:
        try:
            while True:
                await ws.recv()
        except websockets.ConnectionClosed:
            pass
        handshake = time.monotonic()
    await ws.wait_closed()
    ended = time.monotonic()
    return {
        "code": ws.close_code,
        "reason": ws.close_reason,
        "clean": ws.close_rcvd is not None and ws.close_sent is not None,
        "closeMs": round((handshake - started) * 1000, 3),
        "tcpWaitMs": round((ended - handshake) * 1000, 3),
    }


async def main():
    url, count, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    go = asyncio.Event()
    connected = 0

    def ready():
        nonlocal connected
        connected += 1
        if connected == count:
            print(f"connected {count}", flush=True)

    tasks = [asyncio.create_task(one(url, mode, ready, go)) for _ in range(count)]
    if mode == "close":
        while connected < count:
            await asyncio.sleep(0.01)
    else:
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    go.set()
    if mode == "stop":
        # The server aborts these; nothing is left to report.
        for task in tasks:
            task.cancel()
        return
    for result in await asyncio.gather(*tasks, return_exceptions=True):
        print(json.dumps(result if isinstance(result, dict) else {"error": repr(result)}), flush=True)


asyncio.run(main())
