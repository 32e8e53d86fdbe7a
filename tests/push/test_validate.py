"""validate_feed: a feed checked offline exactly as a push checks it, nothing sent."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from criteo_catalog_sdk.api_versions import ApiVersion, get_api_version
from criteo_catalog_sdk.errors import ConfigurationError
from criteo_catalog_sdk.push import FeedValidation, PushOptions, validate_feed
from criteo_catalog_sdk.push.feeds import read_feed
from criteo_catalog_sdk.push.pipeline import MerchantPush, push

from .conftest import ROOT, product

EXAMPLE = ROOT / "examples" / "catalog.jsonl"
MERCHANT_CENTER = ROOT / "examples" / "merchant_center.xml"


def write(path: Path, lines: list[Any]) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8")
    return path


def dry_run_rejections(source: Path, **options: Any) -> list[tuple[int, str | None, tuple[Any, ...]]]:
    async def run() -> list[tuple[int, str | None, tuple[Any, ...]]]:
        job = MerchantPush(1, read_feed(source), options=PushOptions(dry_run=True, **options))
        with await push(None, job) as r:
            return [(o.position, o.product_id, o.errors) for o in r.rejected()]

    return asyncio.run(run())


def test_the_example_feed_is_judged_as_a_dry_run_push_judges_it() -> None:
    checked = validate_feed(EXAMPLE)
    assert isinstance(checked, FeedValidation)
    assert (checked.total, checked.valid, checked.invalid, checked.unreadable) == (2000, 1991, 9, 1)
    assert checked.complete and not checked.ok and checked.fatal is None
    assert checked.api_version == "preview" and checked.format == "jsonl"
    # The very same rejections, issues and all, as the push's own pipeline finds without sending.
    assert [(o.position, o.product_id, o.errors) for o in checked.rejected] == dry_run_rejections(EXAMPLE)
    assert all(o.status == "rejected" and o.stage == "client" for o in checked.rejected)
    too_long = next(o for o in checked.rejected if o.product_id == "AO-PAC-00250")
    assert too_long.errors[0].type == "TooLong" and too_long.errors[0].limit == 500
    assert [(d.position, d.product_id, d.earlier) for d in checked.duplicates] == [(1500, "ao-jac-00200", 200)]
    assert [(n.kind, n.message) for n in checked.notes] == [
        ("feed", "attribute 'imageLnk' (1 row) maps to no Criteo Product field; ignored")
    ]


def test_duplicates_later_line_wins(tmp_path: Path) -> None:
    feed = write(tmp_path / "f.jsonl", [product(id="A"), product(id="B"), product(id="a"), product(id="A")])
    checked = validate_feed(feed)
    assert checked.ok and checked.valid == 4
    assert [(d.position, d.product_id, d.earlier) for d in checked.duplicates] == [(3, "a", 1), (4, "A", 3)]


def test_unreadable_lines_and_a_feed_cut_short(tmp_path: Path) -> None:
    feed = write(tmp_path / "f.jsonl", [product(id="A"), "{not json", product(id="B", title="t" * 501)])
    checked = validate_feed(feed)
    assert (checked.total, checked.valid, checked.unreadable) == (3, 1, 1)
    assert [(o.position, o.errors[0].type) for o in checked.rejected] == [(2, "ParseError"), (3, "TooLong")]
    assert checked.complete
    cut = tmp_path / "cut.xml"
    item = "<item><g:id>C{0}</g:id><g:title>T</g:title><g:link>https://x/{0}</g:link><g:image_link>https://x/{0}.jpg</g:image_link></item>\n"
    cut.write_text(f'<rss xmlns:g="http://base.google.com/ns/1.0"><channel>\n{item.format(1)}<item><g:id>C2')
    checked = validate_feed(cut)
    assert not checked.complete and not checked.ok and checked.valid == 1
    assert checked.fatal is not None and "malformed XML" in checked.fatal


def test_unknown_fields_and_feed_options_are_the_pushs(tmp_path: Path) -> None:
    feed = write(tmp_path / "f.jsonl", [{**product(id="A"), "colour": "red"}])
    assert validate_feed(feed).ok  # the reader leaves the unmapped attribute out, with a note
    assert len(validate_feed(feed).notes) == 1
    strict = validate_feed(feed, keep_unmapped=True)
    assert strict.rejected[0].errors[0].type == "UnknownField"
    assert validate_feed(feed, keep_unmapped=True, unknown_fields="drop").ok
    assert dry_run_rejections(feed) == []


def test_products_are_checked_against_the_chosen_generation(tmp_path: Path) -> None:
    preview = get_api_version("preview")
    spec = copy.deepcopy(preview.spec)
    del spec["components"]["schemas"]["Product"]["properties"]["brand"]  # a generation without brand
    strict = ApiVersion("2099-01", published=preview.published, spec=spec)
    feed = write(tmp_path / "f.jsonl", [product(id="A")])
    assert validate_feed(feed, api_version="preview").ok
    assert validate_feed(feed, api_version="experimental").api_version == "experimental"
    checked = validate_feed(feed, api_version=strict)
    assert checked.api_version == "2099-01" and not checked.ok
    assert (checked.rejected[0].errors[0].type, checked.rejected[0].errors[0].field) == ("UnknownField", "brand")
    with pytest.raises(ConfigurationError, match="unknown API version 'nope'"):
        validate_feed(feed, api_version="nope")


def test_a_merchant_center_feed(tmp_path: Path) -> None:
    checked = validate_feed(MERCHANT_CENTER)
    assert checked.format == "xml" and (checked.total, checked.valid) == (12, 11)
    assert checked.rejected[0].position == 9 and checked.rejected[0].product_id == "AO-HEADLAMP-400"


def test_a_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        validate_feed(tmp_path / "missing.jsonl")
