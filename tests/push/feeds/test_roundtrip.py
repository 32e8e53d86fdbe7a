"""Round trips: the feeds merchants have, pushed through the CLI to the simulator over loopback."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from criteo_catalog_sdk.cli import main as cli
from criteo_catalog_sdk.simulator.pytest_plugin import CriteoSimulator

from ..conftest import ROOT, cut_xml_feed
from .test_xml_feed import BILLION_LAUGHS

MERCHANT_CENTER = str(ROOT / "examples" / "merchant_center.xml")
FAST = ["--first-poll", "0.3"]


def invoke(sim: CriteoSimulator, *args: str, input: bytes | None = None) -> Result:
    head = ["--base-url", sim.base_url, "--client-id", sim.client_id, "--client-secret", sim.client_secret]
    return CliRunner().invoke(cli, [*head, *args], input=input, catch_exceptions=False)


def push(sim: CriteoSimulator, feed: str, *args: str, input: bytes | None = None) -> tuple[int, dict[str, Any]]:
    """The exit code and the JSON object, its counts lifted to the top for short assertions."""
    result = invoke(sim, "push", feed, "--merchant-id", str(sim.merchant_id), "--json", *FAST, *args, input=input)
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, {**data, **data.get("counts", {})}


def feed_notes(data: dict[str, Any]) -> list[str]:
    return [n["message"] for n in data["notes"] if n["kind"] == "feed"]


def test_a_merchant_center_rss_feed_lands_in_the_catalog_field_by_field(
    criteo_simulator: CriteoSimulator, tmp_path: Path
) -> None:
    sim = criteo_simulator
    out = tmp_path / "outcomes.csv"
    code, data = push(sim, MERCHANT_CENTER, "--report-out", str(out))
    assert code == 1  # one product rejected
    assert (data["total"], data["upserted"], data["rejected"]) == (12, 11, 1)
    (error,) = data["errors"]
    assert error["productId"] == "AO-HEADLAMP-400" and "imageLink is required" in error["message"]
    assert feed_notes(data) == ["attribute 'g:ships_from_country' (3 items) maps to no Criteo Product field; ignored"]
    rows = {row["product_id"]: row for row in csv.DictReader(out.open())}
    assert rows["AO-HEADLAMP-400"]["position"] == "9" and rows["AO-HEADLAMP-400"]["status"] == "rejected"
    assert rows["AO-BOTTLE-1L"]["position"] == "12" and rows["AO-BOTTLE-1L"]["status"] == "upserted"

    catalog = sim.control.catalog(sim.merchant_id)
    assert len(catalog) == 11 and "ao-headlamp-400" not in catalog
    tent = catalog["ao-tent-2p"]
    assert tent == {
        "id": "AO-TENT-2P",
        "title": "Granite Peak 2-Person Backpacking Tent - Olive",
        "description": "A freestanding two-person tent with two doors & vestibules, 1.9 kg packed. Taped seams,"
        " 3,000 mm flysheet.",
        "link": "https://www.alpine-outfitters.example/p/granite-peak-tent-2p",
        "imageLink": "https://cdn.alpine-outfitters.example/img/ao-tent-2p/main.jpg",
        "additionalImageLinks": [
            "https://cdn.alpine-outfitters.example/img/ao-tent-2p/pitched.jpg",
            "https://cdn.alpine-outfitters.example/img/ao-tent-2p/packed.jpg",
        ],
        "availability": "in stock",
        "price": {"value": "349.00", "currency": "EUR"},
        "salePrice": {"value": "299.00", "currency": "EUR"},
        "salePriceEffectiveDate": "2026-06-01T00:00+0200/2026-06-30T23:59+0200",
        "brand": "Granite Peak",
        "gtin": "4014239560644",
        "mpn": "GP-T2-OL",
        "condition": "new",
        "googleProductCategory": "Sporting Goods > Outdoor Recreation > Camping & Hiking > Tents",
        "productTypes": ["Equipment > Camping > Tents", "Sale > Summer"],
        "color": "Olive",
        "shipping": [
            {"country": "FR", "service": "Standard", "price": {"value": "0.00", "currency": "EUR"}},
            {"country": "DE", "service": "Express", "price": {"value": "12.90", "currency": "EUR"}},
        ],
        "shippingWeight": {"value": 1.9, "unit": "kg"},
        "customLabel0": "summer-2026",
        "customLabel1": "high-margin",
        "customAttributes": [
            {"name": "General: Capacity", "value": "2 persons"},
            {"name": "Materials: Flysheet", "value": "20D ripstop nylon, silicone coated"},
            {"name": "product_highlight", "value": "Pitches in under 3 minutes"},
            {"name": "product_highlight", "value": "Two doors, two vestibules"},
        ],
        "channel": "online",
    }
    merino = catalog["ao-merino-m"]  # plain RSS title/link/description, "EUR 79.00", "in stock"
    assert (merino["title"], merino["link"]) == (
        "Nordkamm Merino Base Layer Top - Navy - M",
        "https://www.alpine-outfitters.example/p/nordkamm-merino-top?size=M",
    )
    assert merino["price"] == {"value": "79.00", "currency": "EUR"} and merino["availability"] == "in stock"
    assert catalog["ao-boot-w-39"]["availability"] == "out of stock" and catalog["ao-boot-w-39"]["sizes"] == ["39"]
    poles = catalog["ao-poles-carbon"]
    assert poles["identifierExists"] is False and poles["multipack"] == 2 and poles["customLabel4"] == "clearance"
    bottle = catalog["ao-bottle-1l"]
    assert bottle["unitPricingMeasure"] == {"value": 1, "unit": "l"}
    assert catalog["ao-mat-infl"]["shippingWeight"] == {"value": 510, "unit": "g"}


GOOGLE_TSV = (
    "id\ttitle\tlink\timage link\tadditional_image_link\tprice\tsale_price\tavailability\tshipping\t"
    "product_type\tcustom_label_0\tproduct_detail\tpause\n"
    "TSV-1\tTrail shoe\thttps://x/1\thttps://x/1.jpg\thttps://x/1b.jpg,https://x/1c.jpg\t49.99 EUR\t"
    "39.99 EUR\tin_stock\tFR::Standard:4.95 EUR,DE::Express:9.90 EUR\tShoes > Trail\tsummer\t"
    "General:Drop:8 mm\tads\n"
    "TSV-2\tRain jacket\thttps://x/2\thttps://x/2.jpg\t\tEUR 129.00\t\tout_of_stock\t\t\t\t\t\n"
)


def test_a_google_tsv_feed_lands_in_the_catalog(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    path = tmp_path / "google-feed.txt"  # Google's text feeds are often .txt: the content tells TSV
    path.write_text(GOOGLE_TSV, encoding="utf-8")
    code, data = push(sim, str(path))
    assert code == 0 and data["upserted"] == 2
    assert feed_notes(data) == ["attribute 'pause' (1 row) maps to no Criteo Product field; ignored"]
    catalog = sim.control.catalog(sim.merchant_id)
    assert catalog["tsv-1"] == {
        "id": "TSV-1",
        "title": "Trail shoe",
        "link": "https://x/1",
        "imageLink": "https://x/1.jpg",
        "additionalImageLinks": ["https://x/1b.jpg", "https://x/1c.jpg"],
        "price": {"value": "49.99", "currency": "EUR"},
        "salePrice": {"value": "39.99", "currency": "EUR"},
        "availability": "in stock",
        "shipping": [
            {"country": "FR", "service": "Standard", "price": {"value": "4.95", "currency": "EUR"}},
            {"country": "DE", "service": "Express", "price": {"value": "9.90", "currency": "EUR"}},
        ],
        "productTypes": ["Shoes > Trail"],
        "customLabel0": "summer",
        "customAttributes": [{"name": "General: Drop", "value": "8 mm"}],
        "channel": "online",
    }
    assert catalog["tsv-2"]["price"] == {"value": "129.00", "currency": "EUR"}


def test_gzipped_json_lines_through_stdin(criteo_simulator: CriteoSimulator) -> None:
    sim = criteo_simulator
    lines = [
        {"id": f"GZ-{i}", "title": f"T{i}", "link": f"https://x/{i}", "imageLink": f"https://x/{i}.jpg"}
        for i in range(1, 1860)
    ]
    data = gzip.compress("".join(json.dumps(p) + "\n" for p in lines).encode())
    code, summary = push(sim, "-", input=data)
    assert code == 0 and summary["upserted"] == 1859 and summary["notes"] == []
    assert len(sim.control.catalog(sim.merchant_id)) == 1859


def test_a_semicolon_csv_with_bom(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    path = tmp_path / "export.csv"
    path.write_bytes(
        "\ufeffid;title;link;image_link;price\r\n"
        'S1;"Chaise ""Nordic""; chêne";https://x/s1;https://x/s1.jpg;129.00 EUR\r\n'.encode()
    )
    code, data = push(sim, str(path))
    assert code == 0 and data["upserted"] == 1
    assert sim.control.catalog(sim.merchant_id)["s1"]["title"] == 'Chaise "Nordic"; chêne'


def test_hostile_xml_exits_2_and_sends_nothing(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-77aa")
    for name, text in {
        "lol.xml": BILLION_LAUGHS,
        "xxe.xml": f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n<rss>&x;</rss>',
    }.items():
        path = tmp_path / name
        path.write_text(text)
        result = invoke(sim, "push", str(path), "--merchant-id", str(sim.merchant_id), *FAST)
        assert result.exit_code == 2, result.output
        assert "line 2: XML DTDs are refused (entity expansion and external entities are not allowed)" in result.stderr
        assert "TOP-SECRET" not in result.output + result.stderr
    assert sim.control.requests("batch") == []


def test_a_feed_cut_short_exits_2_after_pushing_what_was_read(
    criteo_simulator: CriteoSimulator, tmp_path: Path
) -> None:
    sim = criteo_simulator
    path = cut_xml_feed(tmp_path / "cut.xml", "C")
    code, data = push(sim, str(path))
    assert code == 2 and data["upserted"] == 5 and data["rejected"] == 1
    assert "item 6 (line 7): malformed XML: no element found" in data["errors"][0]["message"]


def test_feed_usage_errors_are_one_line_and_exit_2(criteo_simulator: CriteoSimulator, tmp_path: Path) -> None:
    sim = criteo_simulator
    corrupt = tmp_path / "feed.jsonl.gz"
    corrupt.write_bytes(gzip.compress(b'{"id": "A"}\n' * 1000)[:40])
    cases = [
        (["push", str(tmp_path), "--merchant-id", "1"], "is a directory"),
        (["push", str(tmp_path / "missing.xml"), "--merchant-id", "1"], "does not exist"),
        (["push", MERCHANT_CENTER, "--merchant-id", "1", "--format", "yaml"], "'yaml' is not one of"),
        (["validate", MERCHANT_CENTER, "--delimiter", ";;"], "the delimiter must be one character"),
        (["push", str(corrupt), "--merchant-id", "1"], "corrupt or truncated gzip stream"),
        (["validate", str(corrupt)], "corrupt or truncated gzip stream"),
    ]
    for args, fragment in cases:
        result = invoke(sim, *args)
        assert result.exit_code == 2, (args, result.output)
        assert fragment in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output + result.stderr


def test_no_progress_total_from_compressed_or_xml_feeds(tmp_path: Path) -> None:
    from criteo_catalog_sdk.cli.progress import count_feed_lines

    plain = tmp_path / "f.jsonl"
    plain.write_bytes(b'{"id": "A"}\n' * 3)
    packed = tmp_path / "f.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert count_feed_lines(str(plain)) == 3
    assert count_feed_lines(str(packed)) is None
    assert count_feed_lines(MERCHANT_CENTER) is None
