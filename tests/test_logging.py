"""The logger's redacting filter: credentials never reach a log line, whatever the scheme."""

from __future__ import annotations

import pytest

from criteo_catalog_sdk._logging import redact


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
