"""CatalogClient.wait_for_report over an in-process transport: the schedule, outages, permanent errors, deadlines."""

from __future__ import annotations

import logging

import httpx
import pytest

from criteo_catalog_sdk import (
    CatalogClient,
    MalformedOperationTokenError,
    OperationNotFoundError,
    PollPolicy,
    ReportExpiredError,
    ReportTimeoutError,
    ServerError,
)
from tests.fakes.mock_criteo import (
    BASE_URL,
    CLIENT_ID,
    DOC_TOKEN,
    SECRET,
    TOO_MANY,
    UNAVAILABLE,
    FakeAPI,
    problem,
    reports,
    sync_client,
)


def test_wait_for_report_polls_on_schedule_until_final() -> None:
    api = FakeAPI()
    api.script("report", *reports("ACCEPTED", "IN_PROGRESS", "VALIDATED_WITH_ERRORS"))
    client, slept = sync_client(api, polling=PollPolicy())
    seen: list[str] = []
    report = client.wait_for_report(DOC_TOKEN, on_poll=lambda r: seen.append(r.status))
    assert report.status == "VALIDATED_WITH_ERRORS"
    assert seen == ["ACCEPTED", "IN_PROGRESS", "VALIDATED_WITH_ERRORS"]
    assert slept == [3.0, 4.5, 6.75]


def test_wait_for_report_survives_5xx_and_429_between_polls() -> None:
    api = FakeAPI()
    api.script(
        "report",
        *reports("ACCEPTED"),
        problem(500, "internal-error", "Internal Server Error"),
        TOO_MANY,
        *reports("IN_PROGRESS"),
        UNAVAILABLE,
        *reports("VALIDATED"),
    )
    client, _ = sync_client(api)
    assert client.wait_for_report(DOC_TOKEN).status == "VALIDATED"


def test_wait_for_report_outlasts_an_outage_longer_than_one_polls_retries() -> None:
    api = FakeAPI()
    api.script("report", *reports("ACCEPTED"), *[UNAVAILABLE] * 9, *reports("VALIDATED"))
    client, _ = sync_client(api)  # 4 attempts per poll: the outage spans three polls
    assert client.wait_for_report(DOC_TOKEN).status == "VALIDATED"
    assert len(api.api_requests("report")) == 11


def test_wait_for_report_persistent_outage_ends_at_the_deadline_with_the_cause() -> None:
    api = FakeAPI()
    api.script("report", *[UNAVAILABLE] * 4)
    client, _ = sync_client(api)
    with pytest.raises(ReportTimeoutError) as info:
        client.wait_for_report(DOC_TOKEN, timeout=0)
    assert isinstance(info.value.__cause__, ServerError)
    assert info.value.last_report is None


def test_wait_for_report_unknown_status_keeps_polling(caplog: pytest.LogCaptureFixture) -> None:
    api = FakeAPI()
    api.script("report", *reports("QUEUED", "QUEUED", "VALIDATED"))
    client, _ = sync_client(api)
    with caplog.at_level(logging.WARNING, logger="criteo_catalog_sdk"):
        assert client.wait_for_report(DOC_TOKEN).status == "VALIDATED"
    assert len([r for r in caplog.records if "QUEUED" in r.getMessage()]) == 1


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (
            problem(404, "catalog-operation-not-found", "Operation 'x' not found.", type_="validation"),
            OperationNotFoundError,
        ),
        (httpx.Response(404), OperationNotFoundError),
        (problem(400, "catalog-operation-report-is-expired", "Expired", type_="validation"), ReportExpiredError),
        (
            problem(400, "catalog-operation-token-is-malformed", "Malformed", type_="validation"),
            MalformedOperationTokenError,
        ),
    ],
)
def test_wait_for_report_stops_on_permanent_errors(answer: httpx.Response, error: type[Exception]) -> None:
    api = FakeAPI()
    api.script("report", *reports("ACCEPTED"), answer)
    client, _ = sync_client(api)
    with pytest.raises(error):
        client.wait_for_report(DOC_TOKEN)
    assert len(api.api_requests("report")) == 2


def test_wait_for_report_deadline() -> None:
    api = FakeAPI()
    api.script("report", *reports(*["IN_PROGRESS"] * 3))
    client, _ = sync_client(api)
    with pytest.raises(ReportTimeoutError) as info:
        client.wait_for_report(DOC_TOKEN, timeout=0)
    assert info.value.token == DOC_TOKEN
    assert info.value.last_report is not None
    assert len(api.api_requests("report")) == 1


def test_wait_for_report_real_deadline_is_respected() -> None:
    api = FakeAPI()
    api.script("report", *reports(*["IN_PROGRESS"] * 100))
    client = CatalogClient(
        CLIENT_ID,
        SECRET,
        base_url=BASE_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(api)),
        polling=PollPolicy(initial_delay=0.01, max_delay=0.02),
    )
    with pytest.raises(ReportTimeoutError):
        client.wait_for_report(DOC_TOKEN, timeout=0.1)
    assert 3 <= len(api.api_requests("report")) <= 12
