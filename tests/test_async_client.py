"""AsyncCatalogClient, the async twin, over an in-process transport."""

from __future__ import annotations

import httpx
import pytest

from criteo_catalog_sdk import (
    AsyncCatalogClient,
    InvalidBatchError,
    OperationNotFoundError,
    PollPolicy,
    ReportTimeoutError,
)
from tests.fakes import mock_criteo as fake
from tests.fakes.mock_criteo import FakeAPI, async_client, reports


@pytest.mark.anyio
async def test_async_client_end_to_end_in_process() -> None:
    api = FakeAPI()
    api.script("batch", fake.TOO_MANY, fake.UNAVAILABLE)
    api.script("report", *reports("ACCEPTED", "IN_PROGRESS"), fake.UNAVAILABLE, *reports("VALIDATED"))
    client, slept = async_client(api, retry=fake.EXACT_RETRY, polling=PollPolicy())
    async with client:
        token = await client.upsert_products(9, [fake.PRODUCT])
        assert token == fake.DOC_TOKEN
        assert slept == [5.0, 1.0]  # the title's 5 s, then backoff (attempt 2: 1 s)
        report = await client.wait_for_report(token)
        assert report.status == "VALIDATED"
        assert slept[2:] == [3.0, 4.5, 6.75, 0.5]  # the third poll hit a 503, retried after 0.5 s
        assert (await client.get_merchant_stats(9)).records == ()
        assert await client.delete_products(9, ["a"]) == fake.DOC_TOKEN
        assert await client.submit_batch([{"merchantId": 9, "method": "delete", "productId": "b"}]) == fake.DOC_TOKEN
        assert await client.submit_encoded_batch(b'{"entries":[]}') == fake.DOC_TOKEN
    assert len(api.token_requests) == 1


@pytest.mark.anyio
async def test_async_errors_and_refusals() -> None:
    api = FakeAPI()
    api.script("report", httpx.Response(404))
    client, _ = async_client(api)
    with pytest.raises(OperationNotFoundError):
        await client.wait_for_report(fake.DOC_TOKEN)
    with pytest.raises(InvalidBatchError):
        await client.submit_batch([])
    with pytest.raises(ReportTimeoutError):
        api.script("report", *reports("IN_PROGRESS"))
        await client.wait_for_report(fake.DOC_TOKEN, timeout=0)
    await client.aclose()


@pytest.mark.anyio
async def test_async_from_env_and_repr() -> None:
    env = {"CRITEO_CLIENT_ID": "aid", "CRITEO_CLIENT_SECRET": "asecret"}
    async with AsyncCatalogClient.from_env(environ=env) as client:
        assert repr(client) == (
            "AsyncCatalogClient(client_id='aid', base_url='https://api.criteo.com', api_version='preview')"
        )
