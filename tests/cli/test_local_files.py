"""--report-out (and a manifest's feeds) are checked before the first request; reports written only at the end."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from criteo_catalog_sdk.cli.exit_codes import CommandError
from criteo_catalog_sdk.cli.local_files import check_feed, check_report_out, write_report
from criteo_catalog_sdk.push.result import ProductOutcome, PushResult


def refused(path: Path | str) -> str:
    with pytest.raises(CommandError) as info:
        check_report_out(str(path))
    assert info.value.exit_code == 2 and info.value.kind == "ReportOutError"
    return info.value.message


def test_usable_paths_pass_and_create_nothing(tmp_path: Path) -> None:
    check_report_out(str(tmp_path / "new.csv"))
    existing = tmp_path / "old.json"
    existing.write_text("kept")
    check_report_out(str(existing))
    assert not (tmp_path / "new.csv").exists() and existing.read_text() == "kept"


def test_unusable_paths_are_refused_naming_the_reason(tmp_path: Path) -> None:
    assert refused(tmp_path).endswith(": is a directory")
    missing = tmp_path / "no" / "x.csv"
    assert refused(missing) == f"--report-out {missing}: the directory {missing.parent} does not exist"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_places_are_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    existing = tmp_path / "ro.csv"
    existing.write_text("")
    existing.chmod(0o444)
    locked.chmod(0o555)
    try:
        assert refused(locked / "x.csv").endswith("(not writable)")
        assert refused(existing).endswith("not writable by this user")
    finally:
        locked.chmod(0o755)


def test_write_report_picks_the_format_by_suffix(tmp_path: Path) -> None:
    result = PushResult.from_outcomes([ProductOutcome(1, "A", "upserted")], merchant_id=5)
    write_report(result, str(tmp_path / "out.CSV"))
    write_report(result, str(tmp_path / "out.json"))
    assert (tmp_path / "out.CSV").read_text().startswith("position,product_id,status")
    assert (tmp_path / "out.json").read_text().startswith('{"merchantId": 5')


def test_a_feed_that_cannot_be_opened_is_refused_naming_it(tmp_path: Path) -> None:
    feed = tmp_path / "f.jsonl"
    feed.write_text("{}\n")
    check_feed(str(feed))
    for path, reason in ((tmp_path / "none.jsonl", "No such file or directory"), (tmp_path, "is a directory")):
        with pytest.raises(CommandError) as info:
            check_feed(str(path), "merchant 5: feed")
        assert info.value.exit_code == 2 and info.value.kind == "FeedError"
        assert info.value.message == f"merchant 5: feed {path}: {reason}"
