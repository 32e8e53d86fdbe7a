"""Minimal ASGI plumbing: typed aliases, bounded body reading, answers, dropped connections."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BodyTooLarge(Exception):
    """The request body exceeds the limit."""


class ClientGone(Exception):
    """The client disconnected before sending its whole body."""


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header (``name`` in lower case)."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The whole request body; raise :class:`BodyTooLarge` as soon as it reaches ``limit`` bytes."""
    declared = header(scope, b"content-length")
    if declared is not None and declared.isdigit() and int(declared) >= limit:
        await drain(receive)
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size >= limit:
                if message.get("more_body", False):
                    await drain(receive)
                raise BodyTooLarge
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def drain(receive: Receive) -> None:
    """Read and discard the rest of a request body (so that the client sees the answer, not a reset)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            return


async def respond(send: Send, status: int, body: bytes, headers: tuple[tuple[str, str], ...] = ()) -> None:
    """Send a complete answer."""
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def drop_connection(receive: Receive, send: Send) -> None:
    """Close the connection without answering.

    uvicorn's HTTP/1.1 protocols expose their transport on the bound ``send``; closing it is what a
    crashed upstream looks like to a client ("server disconnected without sending a response"). Other
    servers get a response cut short instead, which clients see as a broken connection too.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None and hasattr(transport, "close"):
        transport.close()
        # Wait for the server to notice, so that it does not try to answer on our behalf.
        try:
            async with asyncio.timeout(1.0):
                while (await receive())["type"] != "http.disconnect":
                    pass
        except TimeoutError:
            pass
        return
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]}
    )  # pragma: no cover - other servers
    await send({"type": "http.response.body", "body": b"{", "more_body": True})  # pragma: no cover
    raise ConnectionAbortedError("connection dropped by fault injection")  # pragma: no cover
