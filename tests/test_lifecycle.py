"""Criteo's lifecycle headers: one warning per generation per process, notes on the push, 410 stops cleanly."""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from criteo_catalog_sdk import (
    ApiError,
    ApiVersionGoneError,
    AsyncCatalogClient,
    CatalogClient,
    PushAborted,
    RetryPolicy,
    lifecycle,
)
from criteo_catalog_sdk.lifecycle import LifecycleWatch, deprecation_of
from criteo_catalog_sdk.polling import PollPolicy
from criteo_catalog_sdk.push.decisions import PollAction, SendAction, on_poll_error, on_send_error, send_policy

SUNSET = "Thu, 31 Dec 2026 23:59:59 GMT"
TOKEN = "eyJhbGciOiJub25lIn0.eyJwYXJ0bmVySWQiOjEsIm9wZXJhdGlvbklkIjoibyJ9."
PRODUCT = {"id": "sku-1", "title": "T", "link": "https://x/p", "imageLink": "https://x/i.jpg"}


@pytest.fixture(autouse=True)
def _fresh_process_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    # "once per process": give each test a process of its own, as far as the warning is concerned.
    monkeypatch.setattr(lifecycle, "_warned", set())


def handler(extra: dict[str, str], status: Callable[[httpx.Request], int] = lambda r: 200) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth2/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 900})
        code = status(request)
        if code == 410:
            return httpx.Response(410, json={"errors": [{"code": "gone", "title": "Gone"}]})
        if request.method == "POST":
            return httpx.Response(202, json={"operationToken": TOKEN}, headers=extra)
        body = {"status": "VALIDATED", "numberOfProductsUpserted": "1", "errorDetails": []}
        return httpx.Response(200, json=body, headers=extra)

    return answer


# No retries, no waiting between polls: every test here is about one answer.
QUICK: dict[str, Any] = {
    "base_url": "https://api.criteo.test",
    "retry": RetryPolicy(attempts=1),
    "polling": PollPolicy(initial_delay=0, max_delay=0),
}


def client(answer: Any, **kwargs: Any) -> CatalogClient:
    return CatalogClient(
        "id", "secret", http_client=httpx.Client(transport=httpx.MockTransport(answer)), **QUICK, **kwargs
    )


@pytest.mark.parametrize(
    ("headers", "sunset"),
    [
        ({"Deprecation": "true", "Sunset": SUNSET}, datetime.date(2026, 12, 31)),
        ({"deprecation": "@1767225599"}, None),
        ({"Sunset": "2027-01-15"}, datetime.date(2027, 1, 15)),
        ({"Deprecation": "true", "Sunset": "someday"}, None),
    ],
)
def test_headers_are_read(headers: dict[str, str], sunset: datetime.date | None) -> None:
    found = deprecation_of("preview", httpx.Headers(headers))
    assert found is not None and found.sunset == sunset and found.api_version == "preview"
    assert "preview" in found.message and "--api-version" in found.message
    if sunset is not None:
        assert sunset.isoformat() in found.message


@pytest.mark.parametrize("headers", [{}, {"Deprecation": "false"}, {"X-Other": "1"}])
def test_no_deprecation(headers: dict[str, str]) -> None:
    assert deprecation_of("preview", httpx.Headers(headers)) is None


def test_one_warning_per_generation_per_process(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="criteo_catalog_sdk")
    answer = handler({"Deprecation": "true", "Sunset": SUNSET})
    with client(answer) as first, client(answer) as second:
        for c in (first, second):
            c.get_report(TOKEN)
            c.get_report(TOKEN)
        assert [d.sunset for d in first.deprecations] == [datetime.date(2026, 12, 31)]
        assert second.deprecations == first.deprecations
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "2026-12-31" in warnings[0] and "preview" in warnings[0]
    watch = LifecycleWatch()
    watch.observe("experimental", httpx.Headers({"Deprecation": "true"}))
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 2  # another generation: its own


def test_the_push_result_notes_the_deprecation() -> None:
    c = client(handler({"Deprecation": "true", "Sunset": SUNSET}), api_version="experimental")
    with c, c.push([PRODUCT], merchant_id=1) as result:
        assert result.summary.upserted == 1
        assert any("experimental" in note and "2026-12-31" in note for note in result.notes)


def test_410_is_an_api_version_gone_error_naming_the_generation_and_the_way_out() -> None:
    with client(handler({}, status=lambda r: 410)) as c, pytest.raises(ApiVersionGoneError) as caught:
        c.get_report(TOKEN)
    error = caught.value
    assert isinstance(error, ApiError) and error.status == 410
    message = str(error)
    assert "preview" in message and "--api-version" in message and "api_version=" in message
    assert "experimental" in message  # the alternative installed


def test_410_stops_a_push_cleanly() -> None:
    policy = send_policy(RetryPolicy())
    gone = ApiVersionGoneError(410, reason="gone")
    assert on_send_error(gone, policy=policy, attempt=1, elapsed=0, rand=0).action is SendAction.ABORT
    assert on_poll_error(gone).action is PollAction.ABORT
    with client(handler({}, status=lambda r: 410)) as c, pytest.raises(PushAborted) as caught:
        c.push([PRODUCT], merchant_id=1)
    assert isinstance(caught.value.cause, ApiVersionGoneError) and "preview" in str(caught.value)


def test_410_on_a_report_poll_stops_the_push_too() -> None:
    answer = handler({}, status=lambda r: 410 if r.method == "GET" else 202)

    async def run() -> None:
        transport = httpx.MockTransport(answer)
        async with AsyncCatalogClient("id", "secret", http_client=httpx.AsyncClient(transport=transport), **QUICK) as c:
            await c.push([PRODUCT], merchant_id=1)

    with pytest.raises(PushAborted) as caught:
        asyncio.run(run())
    assert isinstance(caught.value.cause, ApiVersionGoneError)
    assert json.loads(json.dumps(list(caught.value.operations))) == [TOKEN]  # what was accepted is said
