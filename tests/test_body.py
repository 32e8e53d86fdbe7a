"""A batch body kept compressed and sent as it decompresses (criteo_catalog_sdk.body): its bytes, its
pieces, its Content-Length, and both clients sending it (in process, and over loopback to the simulator,
a 401 replay included)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import orjson
import pytest
import zstandard

from criteo_catalog_sdk import AsyncCatalogClient, CatalogClient
from criteo_catalog_sdk.body import CHUNK_BYTES, CompressedBody
from criteo_catalog_sdk.push.journal.bodies import pack_entries, stored_body
from criteo_catalog_sdk.push.wire import EntryBuilder, PreparedEntry, batch_body, batch_body_pieces
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator


def _entries(n: int, merchant_id: int = 1, text: str = "") -> list[bytes]:
    builder = EntryBuilder(merchant_id)
    out = []
    for i in range(n):
        product = {
            "id": f"p{i}",
            "title": f"product {i} {text}",
            "link": f"https://shop.example/p{i}",
            "imageLink": f"https://shop.example/p{i}.jpg",
            "price": {"value": "9.99", "currency": "EUR"},
        }
        entry = builder.insert(i + 1, product)
        assert isinstance(entry, PreparedEntry)
        out.append(entry.data)
    return out


@pytest.mark.parametrize("n", [0, 1, 2, 255, 256, 257, 1000])
@pytest.mark.parametrize("group", [1, 256])
def test_body_pieces_join_into_the_body(n: int, group: int) -> None:
    entries = _entries(n)
    assert b"".join(batch_body_pieces(entries, group)) == batch_body(entries)


@pytest.mark.parametrize("n", [0, 1, 300])
def test_a_packed_body_is_the_body_and_says_its_size(n: int) -> None:
    entries = _entries(n)
    frame, size = pack_entries(entries)
    body = batch_body(entries)
    assert zstandard.decompress(frame) == body and size == len(body)
    sent = stored_body(frame)
    assert isinstance(sent, CompressedBody) and len(sent) == size and bytes(sent) == body


def test_a_raw_stored_body_is_sent_as_it_is() -> None:
    raw = batch_body(_entries(2))
    assert stored_body(raw) is raw


def test_a_compressed_body_streams_in_pieces_again_and_again() -> None:
    body = batch_body(_entries(3000, text="x" * 200))  # ~1 MB: several pieces
    compressed = CompressedBody(zstandard.compress(body, 1))
    assert len(compressed) == len(body) > 4 * CHUNK_BYTES
    for _ in range(2):  # a retry or a 401 replay iterates it again
        pieces = list(compressed)
        assert len(pieces) > 4 and max(map(len, pieces)) <= CHUNK_BYTES
        assert b"".join(pieces) == body

    async def collect() -> bytes:
        return b"".join([piece async for piece in compressed.async_chunks()])

    assert asyncio.run(collect()) == body
    assert "CompressedBody(" in repr(compressed) and "entries" not in repr(compressed)


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (b'{"entries":[]}', "not a zstd frame"),
        (zstandard.ZstdCompressor(write_content_size=False).compress(b'{"entries":[]}'), "content size"),
    ],
)
def test_a_body_that_cannot_say_its_length_is_refused(frame: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        CompressedBody(frame)


class Recorder(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers 202 to every batch, recording how each request body arrived (before anything read it)."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    def _record(self, request: httpx.Request, pieces: list[bytes]) -> httpx.Response:
        if request.url.path.endswith("/token"):
            token = {"access_token": "t", "token_type": "Bearer", "expires_in": 900}
            return httpx.Response(200, content=orjson.dumps(token))
        self.seen.append(
            {
                "whole": isinstance(request.stream, httpx.ByteStream),
                "length": request.headers.get("content-length"),
                "chunked": "transfer-encoding" in request.headers,
                "pieces": len(pieces),
                "body": b"".join(pieces),
            }
        )
        return httpx.Response(202, content=b'{"operationToken":"op"}')

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        stream: Any = request.stream
        return self._record(request, list(stream))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        stream: Any = request.stream
        return self._record(request, [piece async for piece in stream])


def _big_body() -> tuple[bytes, CompressedBody]:
    body = batch_body(_entries(3000, text="y" * 200))
    return body, CompressedBody(zstandard.compress(body, 1))


def test_both_clients_stream_a_compressed_body_with_its_length() -> None:
    body, compressed = _big_body()
    transport = Recorder()
    http = httpx.Client(transport=transport)
    with CatalogClient("id", "secret", base_url="https://api.example", http_client=http) as client:
        assert client.submit_encoded_batch(compressed) == "op"

    async def submit() -> None:
        http = httpx.AsyncClient(transport=transport)
        async with AsyncCatalogClient("id", "secret", base_url="https://api.example", http_client=http) as client:
            assert await client.submit_encoded_batch(compressed) == "op"

    asyncio.run(submit())
    for seen in transport.seen:
        assert not seen["whole"] and seen["pieces"] > 4  # streamed: never whole in memory
        assert seen["length"] == str(len(body)) and not seen["chunked"]
        assert seen["body"] == body


def test_a_client_with_request_hooks_sends_the_body_whole() -> None:
    body, compressed = _big_body()
    transport = Recorder()
    read: list[bytes] = []
    http = httpx.Client(transport=transport, event_hooks={"request": [lambda r: read.append(r.content)]})
    with CatalogClient("id", "secret", base_url="https://api.example", http_client=http) as client:
        client.submit_encoded_batch(compressed)
    assert transport.seen[0]["whole"] and read[-1] == body == transport.seen[0]["body"]


def test_a_compressed_body_reaches_the_simulator_even_through_a_401_replay(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    frame, _ = pack_entries(_entries(500, sim.merchant_id, text="z" * 300))
    with CatalogClient(sim.client_id, sim.client_secret, base_url=sim.base_url) as client:
        sim.control.fail_next("revoke", route="batch")  # a 401, a new token, the same body sent again
        report = client.wait_for_report(client.submit_encoded_batch(CompressedBody(frame)), timeout=60)
    assert report.number_of_products_upserted == 500
    assert len(sim.control.catalog(sim.merchant_id)) == 500
    assert [r["status"] for r in sim.control.requests("batch")] == [401, 202]
