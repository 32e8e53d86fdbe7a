"""A minimal, fast HTTP/1.1 server of the three calls a push makes, for measuring clients (B4).

    python -m bench.fast_server [--port 0]      # prints its base URL on stdout when ready

It answers ``POST /oauth2/token`` with a bearer token, ``POST /preview/catalog/products/batch`` with
202 and an operation token (after reading the whole body, without parsing it), and
``GET .../report/{token}`` with a terminal ``VALIDATED`` report. Plain asyncio streams, keep-alive,
``Content-Length`` bodies only: its cost per request is a small fraction of any client's, so a
client's throughput against it measures the client. Not a simulator: nothing is checked or kept.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import sys

_TOKEN_BODY = json.dumps({"access_token": "bench-token", "token_type": "Bearer", "expires_in": 3600}).encode()
_REPORT_BODY = json.dumps(
    {
        "importRequestTimestamp": 1717236000000,
        "status": "VALIDATED",
        "numberOfProductsInTheBatch": 1000,
        "numberOfProductsUpserted": 1000,
        "numberOfProductsDeleted": 0,
        "numberOfProductsWithErrors": 0,
        "numberOfProductsWithWarnings": 0,
        "errorDetails": [],
        "warningDetails": [],
    }
).encode()
_NOT_FOUND = b'{"errors":[{"type":"not-found","code":"not-found","title":"Not found"}]}'
_counter = itertools.count(1)


def _response(status: bytes, body: bytes) -> bytes:
    head = b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body)
    return head + body


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            request_line, _, headers = head.partition(b"\r\n")
            method, _, rest = request_line.partition(b" ")
            path = rest.partition(b" ")[0]
            length = 0
            for line in headers.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if length:
                await reader.readexactly(length)
            if method == b"POST" and path.endswith(b"/products/batch"):
                token = b'{"operationToken":"bench-%d"}' % next(_counter)
                writer.write(_response(b"202 Accepted", token))
            elif method == b"POST" and path.endswith(b"/oauth2/token"):
                writer.write(_response(b"200 OK", _TOKEN_BODY))
            elif method == b"GET" and b"/products/batch/report/" in path:
                writer.write(_response(b"200 OK", _REPORT_BODY))
            else:
                writer.write(_response(b"404 Not Found", _NOT_FOUND))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        return
    finally:
        writer.close()


async def _serve(host: str, port: int) -> None:
    server = await asyncio.start_server(_handle, host, port, backlog=1024)
    bound = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"http://{host}:{bound}\n")
    sys.stdout.flush()
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    """Serve until terminated."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port))


if __name__ == "__main__":
    main()
