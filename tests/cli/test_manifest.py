"""The push-many manifest: read whole, every mistake one line naming the manifest, the table and the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from criteo_catalog_sdk.cli.exit_codes import CommandError
from criteo_catalog_sdk.cli.manifest import MERCHANT_KEYS, read_manifest
from criteo_catalog_sdk.push.options import PushOptions

GOOD = """
[defaults]
delta = true
max-delete-fraction = 0.05
batch-size = 500
format = "csv"

[[merchant]]
id = 123
feed = "feeds/123.xml.gz"
state = "state/123.db"
report-out = "reports/123.jsonl"
format = "xml"
delete-missing = true

[[merchant]]
id = "456"
feed = "/srv/feeds/456.csv"
delimiter = ";"
batch-size = 50
unknown-fields = "drop"
"""


def refused(tmp_path: Path, text: str) -> str:
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as info:
        read_manifest(str(path))
    assert info.value.exit_code == 2 and info.value.kind == "ManifestError"
    message = info.value.message
    prefix = f"manifest {path}: "
    assert message.startswith(prefix) and "\n" not in message
    return message.removeprefix(prefix)


def test_a_manifest_gives_each_merchant_its_settings_over_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(GOOD, encoding="utf-8")
    first, second = read_manifest(str(path)).merchants
    assert (first.merchant_id, first.feed_format, first.delimiter) == (123, "xml", None)
    assert (first.feed, first.state) == (str(tmp_path / "feeds/123.xml.gz"), str(tmp_path / "state/123.db"))
    assert first.report_out == str(tmp_path / "reports/123.jsonl")
    assert first.options == PushOptions(delta=True, max_delete_fraction=0.05, batch_size=500, delete_missing=True)
    assert not first.keep_unmapped  # unknown-fields not given: unmapped attributes left out with a note
    assert (second.merchant_id, second.feed, second.state, second.report_out) == (456, "/srv/feeds/456.csv", None, None)
    assert (second.feed_format, second.delimiter, second.keep_unmapped) == ("csv", ";", True)
    assert second.options == PushOptions(delta=True, max_delete_fraction=0.05, batch_size=50, unknown_fields="drop")


MERCHANT = '[[merchant]]\nid = 1\nfeed = "a.jsonl"\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[merchant]]\nid = 1\nfeed = \n", "not valid TOML: Invalid value (at line 3, column 8)"),
        ("[default]\ndelta = true\n" + MERCHANT, "unknown key 'default'; allowed: defaults, merchant"),
        ("[defaults]\ndelet-missing = true\n" + MERCHANT,
         "[defaults]: unknown key 'delet-missing'; allowed: batch-size, rate-limit, concurrency, max-bytes-in-flight,"),
        ("[defaults]\ndry-run = true\n" + MERCHANT, "[defaults]: unknown key 'dry-run'"),
        (MERCHANT + "stat = 'x.db'\n", "[[merchant]] #1: unknown key 'stat'; allowed: " + ", ".join(MERCHANT_KEYS)),
        ("[defaults]\nmax-delete-fraction = 1.5\n" + MERCHANT, "[defaults]: max-delete-fraction: must be a number"
         " from 0 to 1 (1 allows deleting every product of the state), got 1.5"),
        (MERCHANT + 'batch-size = "500"\n', "merchant 1: batch-size: must be an integer >= 1, got '500'"),
        (MERCHANT + "delta = 1\n", "merchant 1: delta: must be True or False, got 1"),
        (MERCHANT + 'unknown-fields = "maybe"\n', "merchant 1: unknown-fields: must be one of reject, drop, keep,"
         " got 'maybe'"),
        (MERCHANT + "rate-limit = 0\n", "merchant 1: rate-limit: must be a number > 0 (products/s), got 0"),
        (MERCHANT + 'format = "yaml"\n', "merchant 1: format: 'yaml' is not one of jsonl, csv, tsv, xml"),
        (MERCHANT + 'delimiter = "ab"\n', "merchant 1: delimiter: the delimiter must be one character"),
        (MERCHANT.replace("id = 1", "id = 0"), "[[merchant]] #1: id: merchant id 0 is out of range (1..2147483647)"),
        (MERCHANT.replace("id = 1", "id = true"), "[[merchant]] #1: id: merchant id True is not an integer"),
        (MERCHANT.replace("id = 1\n", ""), "[[merchant]] #1: id is missing (the merchant's Criteo partner id)"),
        ("[[merchant]]\nid = 1\n", "merchant 1: feed is missing"),
        ('[[merchant]]\nid = 1\nfeed = ""\n', "merchant 1: feed must be a non-empty string, got ''"),
        ("[defaults]\ndelta = true\n", "list the merchants to push as [[merchant]] tables, at least one"),
        ("merchant = 5\n", "list the merchants to push as [[merchant]] tables, at least one"),
        ("defaults = 5\n" + MERCHANT, "defaults must be a table ([defaults])"),
        (MERCHANT + MERCHANT, "merchant 1 is listed twice"),
        (MERCHANT + "state = 's.db'\n" + MERCHANT.replace("id = 1", "id = 2") + "state = './s.db'\n",
         "merchant 1 and merchant 2 share the same state: "),
        (MERCHANT + "report-out = 'r.json'\n" + MERCHANT.replace("id = 1", "id = 2") + "state = 'r.json'\n",
         "merchant 1 and merchant 2 share one file as report-out and state: "),
        (MERCHANT + "state = 'x'\nreport-out = 'x'\n", "merchant 1: state and report-out are one file: "),
    ],
)  # fmt: skip
def test_each_mistake_is_one_line_naming_where(tmp_path: Path, text: str, expected: str) -> None:
    assert refused(tmp_path, text).startswith(expected)


def test_an_unreadable_manifest_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"manifest .*missing.toml: cannot be read \(No such file or directory\)"):
        read_manifest(str(tmp_path / "missing.toml"))
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe")
    with pytest.raises(CommandError, match=r"bin.toml: not UTF-8 text"):
        read_manifest(str(tmp_path / "bin.toml"))


def test_only_picks_listed_merchants_and_refuses_others(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(GOOD, encoding="utf-8")
    manifest = read_manifest(str(path))
    assert [m.merchant_id for m in manifest.select([])] == [123, 456]
    assert [m.merchant_id for m in manifest.select([456])] == [456]
    with pytest.raises(CommandError, match=r"--only 7, 9: not in the manifest .* \(it lists 123, 456\)"):
        manifest.select([9, 456, 7])


def test_the_readme_example_is_a_valid_manifest(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```toml\n(.*?)```", readme, re.S)
    path = tmp_path / "manifest.toml"
    path.write_text(example, encoding="utf-8")
    first, second = read_manifest(str(path)).merchants
    assert first.options.delete_missing and first.options.delta and not second.options.delete_missing
    assert (second.feed_format, second.delimiter) == ("csv", "|")
