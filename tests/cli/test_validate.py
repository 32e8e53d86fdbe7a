"""``criteo-catalog validate FEED``: the library's validate_feed, rendered; nothing sent."""

from __future__ import annotations

from pathlib import Path

from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from .conftest import EXAMPLE, MERCHANT_CENTER, invoke, one_json, one_line, product, write_feed


def test_validate_json_has_the_push_error_shape(sim: CriteoSimulator) -> None:
    result = invoke(None, "validate", EXAMPLE, "--json")
    assert result.exit_code == 1
    data = one_json(result, "validate")
    assert data["counts"] == {"total": 2000, "valid": 1991, "invalid": 9, "unreadable": 1, "duplicates": 1}
    assert data["duplicates"] == [{"line": 1500, "productId": "ao-jac-00200", "sameAsLine": 200}]
    assert (data["apiVersion"], data["format"], data["complete"], data["error"]) == ("preview", "jsonl", True, None)
    too_long = next(e for e in data["errors"] if e["productId"] == "AO-PAC-00250")
    where = (too_long["line"], too_long["field"], too_long["stage"], too_long["type"])
    assert where == (250, "title", "client", "TooLong")
    # The very objects push --dry-run prints for the same products.
    pushed = one_json(invoke(None, "push", EXAMPLE, "--merchant-id", "1", "--dry-run", "--json"), "push")
    assert data["errors"] == pushed["errors"]
    assert sim.control.requests() == []


def test_validate_human_output(tmp_path: Path) -> None:
    result = invoke(None, "validate", MERCHANT_CENTER)
    assert result.exit_code == 1
    assert "12 products: 11 valid, 1 invalid (API preview)" in result.stdout
    assert "item 9 AO-HEADLAMP-400: imageLink is required" in result.stdout
    assert "note: attribute 'g:ships_from_country' (3 items)" in result.stdout
    data = one_json(invoke(None, "validate", MERCHANT_CENTER, "--json"), "validate")
    assert data["errors"][0]["line"] == 9 and len(data["notes"]) == 1
    clean = write_feed(tmp_path / "ok.jsonl", [product(), product(id="sku-1")])
    ok = invoke(None, "validate", clean)
    assert ok.exit_code == 0 and "line 2 sku-1: same id as line 1 (the later one wins)" in ok.stdout


def test_validate_checks_the_chosen_generation(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "f.jsonl", [product()])
    result = invoke(None, "--api-version", "experimental", "validate", feed, "--json")
    assert result.exit_code == 0 and one_json(result, "validate")["apiVersion"] == "experimental"
    unknown = invoke(None, "--api-version", "2099-01", "validate", feed)
    assert unknown.exit_code == 2
    assert "'2099-01' is not one of 'experimental', 'preview'" in one_line(unknown.stderr)


def test_unknown_fields_given_judges_unmapped_attributes(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "f.jsonl", [{**product(), "colour": "red"}])
    assert invoke(None, "validate", feed).exit_code == 0  # left out, with a note
    strict = invoke(None, "validate", feed, "--unknown-fields", "reject", "--json")
    assert strict.exit_code == 1 and one_json(strict, "validate")["errors"][0]["type"] == "UnknownField"
    assert invoke(None, "validate", feed, "--unknown-fields", "drop").exit_code == 0


def test_unusable_feeds_exit_2(tmp_path: Path) -> None:
    junk = write_feed(tmp_path / "junk.jsonl", ["{"])
    result = invoke(None, "validate", junk, "--json")
    assert result.exit_code == 2
    assert one_json(result, "validate")["error"]["type"] == "FeedUnreadable"
    assert one_line(result.stderr).startswith("Error: no product of the feed could be read (line 1: invalid JSON")
    cut = tmp_path / "cut.xml"
    cut.write_text('<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>A</g:id>')
    truncated = invoke(None, "validate", str(cut), "--json")
    assert truncated.exit_code == 2 and one_json(truncated, "validate")["complete"] is False
    missing = invoke(None, "validate", str(tmp_path / "missing.jsonl"))
    assert missing.exit_code == 2 and "does not exist" in one_line(missing.stderr)
    directory = invoke(None, "validate", str(tmp_path))
    assert directory.exit_code == 2 and "is a directory" in one_line(directory.stderr)
