"""The SDK's logging: the redacting filter (credentials never reach a log line, whatever the scheme), one line
per request and per retry, and the environment variable that turns it on."""

from __future__ import annotations

import logging

import pytest

from criteo_catalog_sdk import _logging as sdk_logging
from criteo_catalog_sdk._logging import redact
from tests.fakes.mock_criteo import BATCH, EXACT_RETRY, PRODUCT, TOO_MANY, FakeAPI, sync_client


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer abc.def.ghi", "abc.def.ghi"),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
        ("{'authorization': 'Token s3cr3t-value'}", "s3cr3t-value"),
        ('"Authorization": "Digest username=x, response=deadbeef"', "deadbeef"),
        ("client_secret=hunter2&grant_type=client_credentials", "hunter2"),
        ('{"access_token": "tok-123", "expires_in": 900}', "tok-123"),
        ("refresh_token: r-456", "r-456"),
    ],
)
def test_credentials_are_redacted(text: str, secret: str) -> None:
    cleaned = redact(text)
    assert secret not in cleaned and "***" in cleaned


def test_ordinary_text_is_left_alone() -> None:
    text = "POST /preview/catalog/products/batch -> 202 (attempt 1, 12.0 ms)"
    assert redact(text) == text


def test_one_log_line_per_request_and_per_retry(caplog: pytest.LogCaptureFixture) -> None:
    api = FakeAPI()
    api.script("batch", TOO_MANY)
    client, _ = sync_client(api, retry=EXACT_RETRY)
    with caplog.at_level(logging.DEBUG, logger="criteo_catalog_sdk"):
        client.upsert_products(1, [PRODUCT])
    lines = [r.getMessage() for r in caplog.records if r.name == "criteo_catalog_sdk"]
    requests = [line for line in lines if line.startswith(f"POST {BATCH} ->")]
    retries = [line for line in lines if "retrying" in line]
    assert len(requests) == 2
    assert "429" in requests[0] and "attempt 1" in requests[0]
    assert "202" in requests[1] and "attempt 2" in requests[1]
    assert len(retries) == 1
    assert "5.00 s" in retries[0] and "attempt 1/5" in retries[0]
    assert any("/oauth2/token -> 200" in line for line in lines)


def test_env_var_turns_logging_on(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("criteo_catalog_sdk")
    handlers, level = list(logger.handlers), logger.level
    monkeypatch.setattr(sdk_logging, "_configured", False)
    try:
        sdk_logging.configure_from_env({"CRITEO_CATALOG_LOG": "DEBUG"})
        assert logger.level == logging.DEBUG
        assert len(logger.handlers) == len(handlers) + 1
        sdk_logging.configure_from_env({"CRITEO_CATALOG_LOG": "info"})  # once per process
        assert len(logger.handlers) == len(handlers) + 1
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)


def test_no_env_var_no_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("criteo_catalog_sdk")
    handlers = list(logger.handlers)
    monkeypatch.setattr(sdk_logging, "_configured", False)
    sdk_logging.configure_from_env({})
    assert logger.handlers == handlers
