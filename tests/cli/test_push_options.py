"""The push settings as options: defaults from PushOptions, ranges checked by PushOptions."""

from __future__ import annotations

import dataclasses

import click
import pytest

from criteo_catalog_sdk.cli.exit_codes import CommandError
from criteo_catalog_sdk.cli.push import push
from criteo_catalog_sdk.cli.push_options import PUSH_FIELDS, push_options_from
from criteo_catalog_sdk.push.delta import REFRESH_SPREAD_DAYS
from criteo_catalog_sdk.push.options import PushOptions

DEFAULTS = PushOptions()
EXPOSED = {
    "batch_size", "rate_limit", "concurrency", "max_bytes_in_flight", "delta", "refresh_after", "delete_missing",
    "max_delete_fraction", "wait", "report_timeout", "dry_run", "unknown_fields",
}  # fmt: skip


def params(command: click.Command) -> dict[str, click.Parameter]:
    return {p.name: p for p in command.params if p.name is not None}


def test_every_exposed_field_is_a_push_option_with_the_pushoptions_default() -> None:
    assert set(PUSH_FIELDS) == EXPOSED
    assert {f.name for f in dataclasses.fields(PushOptions)} >= EXPOSED
    declared = params(push)
    for name in EXPOSED:
        assert declared[name].default == getattr(DEFAULTS, name), name


def test_the_options_a_user_gives_reach_pushoptions() -> None:
    ctx = push.make_context(
        "push",
        ["-", "--merchant-id", "1", "--batch-size", "7", "--rate-limit", "9.5", "--concurrency", "2",
         "--max-bytes-in-flight", "4000000", "--delta",
         "--refresh-after", "3", "--delete-missing", "--max-delete-fraction", "0.5", "--no-wait",
         "--report-timeout", "60", "--dry-run", "--unknown-fields", "keep"],
    )  # fmt: skip
    options = push_options_from(ctx.params)
    assert options == PushOptions(
        batch_size=7, rate_limit=9.5, concurrency=2, max_bytes_in_flight=4_000_000, delta=True, refresh_after=3.0,
        delete_missing=True, max_delete_fraction=0.5, wait=False, report_timeout=60.0, dry_run=True,
        unknown_fields="keep",
    )  # fmt: skip
    assert push_options_from(push.make_context("push", ["-", "--merchant-id", "1"]).params) == DEFAULTS


@pytest.mark.parametrize(
    ("name", "value", "option"),
    [
        ("batch_size", 0, "--batch-size"),
        ("concurrency", 0, "--concurrency"),
        ("max_bytes_in_flight", 0, "--max-bytes-in-flight"),
        ("rate_limit", -1.0, "--rate-limit"),
        ("max_delete_fraction", 1.01, "--max-delete-fraction"),
        ("refresh_after", 0.0, "--refresh-after"),
        ("report_timeout", -1.0, "--report-timeout"),
    ],
)
def test_a_value_out_of_range_names_the_option(name: str, value: float, option: str) -> None:
    with pytest.raises(CommandError) as info:
        push_options_from({name: value})
    assert info.value.exit_code == 2 and info.value.message.startswith(f"{option}: push setting {name} must be")


def test_the_refresh_help_tells_the_librarys_spread() -> None:
    help_text = " ".join((params(push)["refresh_after"].help or "").split())  # type: ignore[attr-defined]
    low, high = REFRESH_SPREAD_DAYS
    assert f"between {low:g} and {high:g} days" in help_text
