"""PushOptions: every setting checked where it is defined, the refusal naming the setting and its range."""

from __future__ import annotations

from typing import Any

import pytest

from criteo_catalog_sdk.errors import InvalidRequestError
from criteo_catalog_sdk.push.options import MAX_REQUEST_BYTES, MIN_BATCH_BYTES, InvalidSettingError, PushOptions

REFUSED = [
    ("batch_size", 0),
    ("batch_size", 1.5),
    ("max_batch_bytes", MIN_BATCH_BYTES - 1),
    ("max_batch_bytes", MAX_REQUEST_BYTES + 1),
    ("max_batch_bytes", "8000000"),
    ("concurrency", 0),
    ("max_bytes_in_flight", 0),
    ("max_bytes_in_flight", 1.5),
    ("rate_limit", 0),
    ("rate_limit", float("nan")),
    ("report_timeout", -1),
    ("max_delete_fraction", 1.5),
    ("refresh_after", 0),
    ("unknown_fields", "ignore"),
    ("delta", 1),
]


@pytest.mark.parametrize(("setting", "value"), REFUSED)
def test_a_value_out_of_range_is_refused_naming_its_setting(setting: str, value: Any) -> None:
    with pytest.raises(InvalidSettingError) as caught:
        PushOptions(**{setting: value})
    assert caught.value.setting == setting
    assert isinstance(caught.value, InvalidRequestError)
    assert str(caught.value) == f"push setting {setting} must be {caught.value.expected}"


@pytest.mark.parametrize("value", [MIN_BATCH_BYTES, MAX_REQUEST_BYTES])
def test_the_batch_byte_limits_are_inclusive(value: int) -> None:
    assert PushOptions(max_batch_bytes=value).max_batch_bytes == value
