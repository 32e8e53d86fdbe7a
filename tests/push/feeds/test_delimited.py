"""CSV and TSV: Criteo's and Google's headers, sniffed delimiters, Excel's quoting, bad rows alone."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given

from criteo_catalog_sdk.push.feeds import FeedError, FeedRecord, read_csv, read_feed, read_tsv

from .helpers import GOOGLE_TV_OFFER, HEADER, HOSTILE, cs, errors, hostile_bytes, products, summary

# -- CSV: the rules of the comma reader, unchanged ----------------------------------------------------


def test_csv_conversions() -> None:
    data = (
        "\ufeff" + HEADER + "\r\n"
        'A1,"Shoe, ""Pro""\nedition",https://x/a,https://x/a.jpg,49.99 eur,https://x/1.jpg | https://x/2.jpg ,TRUE,12,'
        '2.5 kg,"[{""name"":""fit"",""value"":""slim""}]"\r\n'
        "A2,Plain,https://x/b,https://x/b.jpg,10,,,,,\r\n"
    )
    items = cs(data)
    assert summary(items) == [(2, "ok"), (4, "ok")]
    a, b = items
    assert isinstance(a, FeedRecord) and isinstance(b, FeedRecord)
    assert a.product == {
        "id": "A1",
        "title": 'Shoe, "Pro"\nedition',
        "link": "https://x/a",
        "imageLink": "https://x/a.jpg",
        "price": {"value": "49.99", "currency": "EUR"},
        "additionalImageLinks": ["https://x/1.jpg", "https://x/2.jpg"],
        "adult": True,
        "numberOfReviews": 12,
        "shippingWeight": {"value": 2.5, "unit": "kg"},
        "customAttributes": [{"name": "fit", "value": "slim"}],
    }
    assert b.product == {
        "id": "A2",
        "title": "Plain",
        "link": "https://x/b",
        "imageLink": "https://x/b.jpg",
        "price": {"value": "10"},
    }


def test_csv_more_conversions() -> None:
    data = (
        "id,displayAdsValue,multipack,unitPricingBaseMeasure,price,filters,custom\n"
        'A,3.5,6,100 g,"{""value"": ""1"", ""currency"": ""USD""}","{""size"": [""M""]}",kept\n'
    )
    (item,) = cs(data)
    assert isinstance(item, FeedRecord)
    assert item.product == {
        "id": "A",
        "displayAdsValue": 3.5,
        "multipack": 6,
        "unitPricingBaseMeasure": {"value": 100, "unit": "g"},
        "price": {"value": "1", "currency": "USD"},
        "filters": {"size": ["M"]},
    }


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("B1,t,https://x,https://x.jpg,abc,,,,,", "column price"),
        ("B1,t,https://x,https://x.jpg,,,maybe,,,", "column adult"),
        ("B1,t,https://x,https://x.jpg,,,,1.5,,", "column numberOfReviews"),
        ("B1,t,https://x,https://x.jpg,,,,99999999999,,", "out of range"),
        ("B1,t,https://x,https://x.jpg,,,,,heavy,", "column shippingWeight"),
        ("B1,t,https://x,https://x.jpg,,,,,,{not json", "expected JSON"),
        ("B1,t,https://x,https://x.jpg,,,,,,{}", "expected a JSON array"),
        ("B1,t,https://x", "expected 10 fields, got 3"),
        ("B1,t,https://x,https://x.jpg,,,,,,,extra", "expected 10 fields, got 11"),
        ('B1,"bad"quote,https://x,https://x.jpg,,,,,,', "malformed CSV"),
    ],
)
def test_csv_bad_rows_are_reported_with_line_and_id(row: str, fragment: str) -> None:
    items = cs(HEADER + "\nA,ok,https://x,https://x.jpg,,,,,,\n" + row + "\nC,ok,https://x,https://x.jpg,,,,,,\n")
    assert summary(items) == [(2, "ok"), (3, "err"), (4, "ok")]
    err = items[1]
    assert isinstance(err, FeedError) and fragment in err.message
    if "malformed" not in fragment:
        assert err.product_id == "B1"


def test_csv_trailing_empty_cells_are_tolerated() -> None:
    assert summary(cs("id,title\nA,t,,\n")) == [(2, "ok")]


def test_csv_invalid_utf8_only_spoils_its_row() -> None:
    data = b"id,title\nA,ok\nB,bad\xff\xfe\nC,caf\xc3\xa9\n"
    items = cs(data)
    assert summary(items) == [(2, "ok"), (3, "err"), (4, "ok")]
    assert isinstance(items[1], FeedError) and "invalid UTF-8" in items[1].message
    assert isinstance(items[2], FeedRecord) and items[2].product["title"] == "caf\u00e9"


def test_csv_huge_field_and_overlong_line() -> None:
    big = "x" * 200_000  # over csv's field limit
    items = cs(f"id,title\nA,ok\nB,{big}\nC,ok\n")
    assert summary(items) == [(2, "ok"), (3, "err"), (4, "ok")]
    items = cs(f"id,title\nA,ok\nB,{big}\nC,ok\n", max_line_chars=1000)
    assert summary(items) == [(2, "ok"), (3, "err"), (4, "ok")]
    assert isinstance(items[1], FeedError) and "longer than 1000" in items[1].message


def test_csv_unterminated_quote_is_an_error_not_a_hang() -> None:
    items = cs('id,title\nA,ok\nB,"never closed\nC,ok\n')
    assert summary(items)[0] == (2, "ok")
    assert isinstance(items[-1], FeedError)


def test_csv_bad_headers() -> None:
    (err,) = cs("id,title,id\nA,b,c\n")
    assert isinstance(err, FeedError) and "duplicate" in err.message and err.line == 1
    (err,) = cs(b"id,t\xffitle\nA,b\n")
    assert isinstance(err, FeedError) and "invalid UTF-8" in err.message
    assert cs("") == []
    assert cs("\n\n") == []


def test_csv_empty_header_columns_are_ignored() -> None:
    (item,) = cs("id,,title\nA,junk,T\n")
    assert isinstance(item, FeedRecord) and item.product == {"id": "A", "title": "T"}


def test_csv_list_delimiter_option() -> None:
    (item,) = cs("id,sizes\nA,S;M;L\n", list_delimiter=";")
    assert isinstance(item, FeedRecord) and item.product["sizes"] == ["S", "M", "L"]


def test_csv_from_path(tmp_path: Path) -> None:
    p = tmp_path / "feed.csv"
    p.write_text("id,title\nA,T\n")
    assert summary(list(read_feed(p))) == [(2, "ok")]


@HOSTILE
@given(hostile_bytes)
def test_csv_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    items = cs(data, max_line_chars=50)
    lines = [i.line for i in items]
    assert lines == sorted(lines)
    for i in items:
        if isinstance(i, FeedRecord):
            for v in i.product.values():
                if isinstance(v, str):
                    v.encode("utf-8")  # no undecodable bytes leak into products


@HOSTILE
@given(hostile_bytes)
def test_csv_with_a_header_never_raises(data: bytes) -> None:
    cs(HEADER.encode() + b"\n" + data, max_line_chars=80)


# -- dialects: sniffed delimiters, Excel's quoting and byte order marks ---------------------------------

EXCEL_SEMICOLON = (
    "\ufeffid;title;description;link;image_link;price;availability\r\n"
    'S1;"Chaise ""Nordic""; chêne";"Ligne 1\r\nLigne 2; suite";https://x/s1;https://x/s1.jpg;"129,00 EUR";in stock\r\n'
    "S2;Table;;https://x/s2;https://x/s2.jpg;349.00 EUR;out_of_stock\r\n"
)


def test_semicolon_csv_with_bom_excel_quoting_and_embedded_newlines() -> None:
    feed = read_feed(io.BytesIO(EXCEL_SEMICOLON.encode("utf-8")))
    s1, s2 = products(list(feed))
    assert (feed.format, feed.delimiter) == ("csv", ";")
    assert s1["title"] == 'Chaise "Nordic"; chêne' and s1["description"] == "Ligne 1\r\nLigne 2; suite"
    assert s1["price"] == {"value": "129.00", "currency": "EUR"}  # Excel's decimal comma
    assert s2 == {
        "id": "S2",
        "title": "Table",
        "link": "https://x/s2",
        "imageLink": "https://x/s2.jpg",
        "price": {"value": "349.00", "currency": "EUR"},
        "availability": "out of stock",
    }
    bad = EXCEL_SEMICOLON.replace("129,00 EUR", "129 euros").encode("utf-8")
    items = list(read_feed(io.BytesIO(bad)))
    assert summary(items) == [(2, "err"), (4, "ok")]
    err = items[0]
    assert isinstance(err, FeedError) and err.product_id == "S1" and err.field == "price"
    assert "column price" in err.message and "129 euros" in err.message


@pytest.mark.parametrize(("delimiter", "expected"), [(",", "csv"), (";", "csv"), ("|", "csv"), ("\t", "tsv")])
def test_the_delimiter_is_sniffed_from_the_header(delimiter: str, expected: str) -> None:
    data = delimiter.join(["id", "title", "sizes"]) + "\n" + delimiter.join(["A", '"T, with a comma"', "M"]) + "\n"
    feed = read_feed(io.BytesIO(data.encode()))
    (product,) = products(list(feed))
    assert feed.format == expected and feed.delimiter == delimiter
    assert product == {"id": "A", "title": "T, with a comma", "sizes": ["M"]}


def test_an_explicit_delimiter_overrides_the_sniffing() -> None:
    data = b"id;title,x\nA;B,C\n"
    sniffed = read_feed(io.BytesIO(data))  # one of each: the preference order picks ";"
    assert products(list(sniffed)) == [{"id": "A"}] and sniffed.unmapped == {"title,x": 1}
    forced = read_feed(io.BytesIO(data), "csv", ",")
    assert products(list(forced)) == [{}] and forced.unmapped == {"id;title": 1, "x": 1}
    assert read_csv(io.BytesIO(b"a\tb\n"), delimiter="tab").delimiter == "\t"
    with pytest.raises(ValueError, match="delimiter"):
        read_feed(io.BytesIO(data), delimiter=";;")


def test_utf16_tsv_as_excel_saves_unicode_text() -> None:
    data = "id\ttitle\timage link\nU1\tCafé\thttps://x/u.jpg\n".encode("utf-16")
    feed = read_feed(io.BytesIO(data))
    assert products(list(feed)) == [{"id": "U1", "title": "Café", "imageLink": "https://x/u.jpg"}]
    assert feed.format == "tsv"


# -- Google's text feeds --------------------------------------------------------------------------------

GOOGLE_TSV = "\t".join(
    [
        "id",
        "title",
        "description",
        "link",
        "image_link",
        "additional_image_link",
        "availability",
        "price",
        "sale_price",
        "sale_price_effective_date",
        "shipping",
        "shipping_weight",
        "product_type",
        "google_product_category",
        "identifier_exists",
        "custom_label_0",
        "product_detail",
        "product_highlight",
        "g:brand",
        "Condition",
        "unknown_thing",
    ]
)


def row(*cells: str) -> str:
    return "\t".join(cells)


def test_google_tsv_maps_every_attribute() -> None:
    line = row(
        "TV-1",
        "LG 22 LED TV",
        "Full HD",
        "https://x/tv",
        "https://x/tv.jpg",
        "https://x/tv-2.jpg,https://x/tv-3.jpg",
        "in_stock",
        "159.00 USD",
        "USD 139.00",
        "2024-02-24T11:07+0100/2024-02-29T23:07+0100",
        "US:CA:Overnight:16.00 USD,US::Ground:5.99 USD",
        "3.5 kg",
        "Electronics > TVs,Sale > TVs",
        "Electronics > Video > Televisions",
        "yes",
        "winter",
        'General:Product Type:LED TV,Display:Diagonal:"22"""',
        "Full HD, 1080p",
        "LG",
        "New",
        "whatever",
    )
    feed = read_tsv(io.BytesIO(f"{GOOGLE_TSV}\n{line}\n".encode()))
    (product,) = products(list(feed))
    assert product == {
        "id": "TV-1",
        **GOOGLE_TV_OFFER,
        "title": "LG 22 LED TV",
        "description": "Full HD",
        "link": "https://x/tv",
        "imageLink": "https://x/tv.jpg",
        "additionalImageLinks": ["https://x/tv-2.jpg", "https://x/tv-3.jpg"],
        "shipping": [
            {"country": "US", "region": "CA", "service": "Overnight", "price": {"value": "16.00", "currency": "USD"}},
            {"country": "US", "service": "Ground", "price": {"value": "5.99", "currency": "USD"}},
        ],
        "productTypes": ["Electronics > TVs", "Sale > TVs"],
        "customAttributes": [
            {"name": "General: Product Type", "value": "LED TV"},
            {"name": "Display: Diagonal", "value": '22"'},
            {"name": "product_highlight", "value": "Full HD, 1080p"},
        ],
        "brand": "LG",
        "condition": "New",
    }
    assert feed.notes == ["attribute 'unknown_thing' (1 row) maps to no Criteo Product field; ignored"]


def test_header_sub_attributes_and_repeated_list_columns() -> None:
    data = (
        "id\tshipping(country:postal_code:price)\tadditional_image_link\tadditional_image_link\ttax\n"
        "A\tDE:80*:4.95 EUR\thttps://x/1.jpg\thttps://x/2.jpg\tUS:CA:7.25:y\n"
    )
    (product,) = products(list(read_tsv(io.BytesIO(data.encode()))))
    assert product == {
        "id": "A",
        "shipping": [{"country": "DE", "postalCode": "80*", "price": {"value": "4.95", "currency": "EUR"}}],
        "additionalImageLinks": ["https://x/1.jpg", "https://x/2.jpg"],
        "taxes": [{"country": "US", "region": "CA", "rate": 7.25, "taxShip": True}],
    }


def test_one_field_twice_in_the_header_is_unusable() -> None:
    (err,) = cs("id,title,g:title\nA,B,C\n")
    assert isinstance(err, FeedError) and err.fatal and err.line == 1
    assert "duplicate columns for title" in err.message


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("US:CA:Ground:cheap", "price: expected an amount"),
        ("US:CA:Ground:5 USD:extra", "at most 4 parts"),
        ('US:"CA', "unterminated quote"),
    ],
)
def test_a_bad_structured_cell_sinks_only_its_row(cell: str, fragment: str) -> None:
    data = f"id\tshipping\nA\tUS:::1 USD\nB\t{cell}\nC\t\n"
    items = list(read_tsv(io.BytesIO(data.encode())))
    assert summary(items) == [(2, "ok"), (3, "err"), (4, "ok")]
    err = errors(items)[0]
    assert err.product_id == "B" and err.field == "shipping" and fragment in err.message


def test_unmapped_columns_are_counted_per_row_carrying_a_value() -> None:
    rows = "".join(f"P{i},{'x' if i % 2 else ''},y\n" for i in range(10))
    feed = read_csv(io.BytesIO(("id,foo_bar,baz\n" + rows).encode()))
    assert len(products(list(feed))) == 10
    assert feed.unmapped == {"baz": 10, "foo_bar": 5}
    assert feed.notes[0] == "attribute 'baz' (10 rows) maps to no Criteo Product field; ignored"


def test_tsv_from_a_txt_path(tmp_path: Path) -> None:
    p = tmp_path / "google.txt"
    p.write_text("id\ttitle\nA\tT\n")
    feed = read_feed(p)
    assert products(list(feed)) == [{"id": "A", "title": "T"}] and feed.format == "tsv"


def test_excel_sep_line_names_the_delimiter_and_is_skipped() -> None:
    feed = read_feed(io.BytesIO(b"sep=;\r\nid;title\r\nA;B, C\r\n"))
    assert products(list(feed)) == [{"id": "A", "title": "B, C"}] and feed.delimiter == ";"
