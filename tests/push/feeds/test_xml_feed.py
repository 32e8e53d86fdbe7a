"""Merchant Center XML: RSS 2.0 and Atom 1.0 items to products; malformed and hostile documents."""

from __future__ import annotations

import io
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given

from criteo_catalog_sdk.push.feeds import FeedError, FeedRecord, read_feed, read_xml

from .helpers import GOOGLE_TV_OFFER, HOSTILE, check_stream, errors, hostile_bytes, products, summary, xm

RSS_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">\n'


def rss(*items: str, channel: str = "<title>Shop</title><link>https://x</link>") -> str:
    return (
        RSS_HEAD + "<channel>" + channel + "\n" + "\n".join(f"<item>{i}</item>" for i in items) + "\n</channel></rss>"
    )


FULL_ITEM = """
  <g:id>TV_123456</g:id>
  <title>Plain RSS title, overridden</title>
  <g:title>LG 22LB4510 - 22" LED TV</g:title>
  <description><![CDATA[Attractively styled <b>and</b> boasting stunning picture quality.]]></description>
  <g:link>https://www.example.com/tv/22LB4510.html</g:link>
  <g:image_link>https://images.example.com/TV_123456.png</g:image_link>
  <g:additional_image_link>https://images.example.com/TV_123456-2.png</g:additional_image_link>
  <g:additional_image_link>https://res.example.com/c_fill,w_800/TV_123456-3.png</g:additional_image_link>
  <g:condition>new</g:condition>
  <g:availability>in_stock</g:availability>
  <g:price>159.00 USD</g:price>
  <g:sale_price>USD 139.00</g:sale_price>
  <g:sale_price_effective_date>2024-02-24T11:07+0100/2024-02-29T23:07+0100</g:sale_price_effective_date>
  <g:shipping>
    <g:country>US</g:country>
    <g:region>CA</g:region>
    <g:service>Standard</g:service>
    <g:price>14.95 USD</g:price>
    <g:min_transit_time>2</g:min_transit_time>
  </g:shipping>
  <g:shipping><g:country>CA</g:country><g:postal_code>M5*</g:postal_code><g:price>20 USD</g:price></g:shipping>
  <g:shipping_weight>3.5 kg</g:shipping_weight>
  <g:gtin>71919219405200</g:gtin>
  <g:brand>LG</g:brand>
  <g:mpn>22LB4510/US</g:mpn>
  <g:identifier_exists>yes</g:identifier_exists>
  <g:google_product_category>Electronics &gt; Video &gt; Televisions</g:google_product_category>
  <g:product_type>Consumer Electronics &gt; TVs</g:product_type>
  <g:product_type>Sale &gt; TVs</g:product_type>
  <g:custom_label_0>winter</g:custom_label_0>
  <g:custom_label_4>margin-high</g:custom_label_4>
  <g:product_detail>
    <g:section_name>Display</g:section_name>
    <g:attribute_name>Resolution</g:attribute_name>
    <g:attribute_value>1920 x 1080</g:attribute_value>
  </g:product_detail>
  <g:product_highlight>Full HD, 60 Hz</g:product_highlight>
  <g:tax><g:country>US</g:country><g:region>CA</g:region><g:rate>7.25</g:rate><g:tax_ship>y</g:tax_ship></g:tax>
  <g:installment><g:months>6</g:months><g:amount>26.50 USD</g:amount></g:installment>
  <g:certification>EPREL:123</g:certification>
  <guid>tv-123456</guid>
"""


def test_an_rss_item_with_every_kind_of_attribute() -> None:
    feed = read_xml(io.BytesIO(rss(FULL_ITEM).encode()))
    (item,) = list(feed)
    assert isinstance(item, FeedRecord) and (item.line, item.source_line) == (1, 4)
    assert item.product == {
        "id": "TV_123456",
        **GOOGLE_TV_OFFER,
        "title": 'LG 22LB4510 - 22" LED TV',
        "description": "Attractively styled <b>and</b> boasting stunning picture quality.",
        "link": "https://www.example.com/tv/22LB4510.html",
        "imageLink": "https://images.example.com/TV_123456.png",
        "additionalImageLinks": [
            "https://images.example.com/TV_123456-2.png",
            "https://res.example.com/c_fill,w_800/TV_123456-3.png",  # XML repeats the element: no comma split
        ],
        "condition": "new",
        "shipping": [
            {"country": "US", "region": "CA", "service": "Standard", "price": {"value": "14.95", "currency": "USD"}},
            {"country": "CA", "postalCode": "M5*", "price": {"value": "20", "currency": "USD"}},
        ],
        "gtin": "71919219405200",
        "brand": "LG",
        "mpn": "22LB4510/US",
        "productTypes": ["Consumer Electronics > TVs", "Sale > TVs"],
        "customLabel4": "margin-high",
        "customAttributes": [
            {"name": "Display: Resolution", "value": "1920 x 1080"},
            {"name": "product_highlight", "value": "Full HD, 60 Hz"},
        ],
        "taxes": [{"country": "US", "region": "CA", "rate": 7.25, "taxShip": True}],
        "installment": {"months": 6, "amount": {"value": "26.50", "currency": "USD"}},
    }
    assert feed.unmapped == {"g:certification": 1, "guid": 1, "g:shipping.min_transit_time": 1}
    assert "attribute 'guid' (1 item) maps to no Criteo Product field; ignored" in feed.notes


def test_plain_rss_elements_fill_in_when_there_is_no_g_element() -> None:
    item = "<g:id>A</g:id><title> Plain </title><link>https://x/a</link><description>D</description>"
    (product,) = products(xm(rss(item)))
    assert product == {"id": "A", "title": "Plain", "link": "https://x/a", "description": "D"}


def test_unprefixed_and_camel_case_attributes_are_accepted() -> None:
    item = (
        "<id>A</id><image_link>https://x/a.jpg</image_link><g:imageLink>https://x/a.jpg</g:imageLink><Brand>B</Brand>"
    )
    (product,) = products(xm(rss(item)))
    assert product == {"id": "A", "imageLink": "https://x/a.jpg", "brand": "B"}


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">
  <title>Example - Online Store</title>
  <link rel="self" href="https://www.example.com"/>
  <updated>2024-07-11T12:00:00Z</updated>
  <entry>
    <id>tag:example.com,2024:/products/1</id>
    <title>LG Flatscreen TV</title>
    <link rel="enclosure" href="https://www.example.com/tv.pdf"/>
    <link href="https://www.example.com/electronics/tv/LGM2262D.html"/>
    <summary>Attractively styled.</summary>
    <updated>2024-07-11T12:00:00Z</updated>
    <g:id>TV_1</g:id>
    <g:image_link>https://images.example.com/TV_1.jpg</g:image_link>
    <g:price>159 USD</g:price>
  </entry>
  <entry>
    <g:id>TV_2</g:id>
    <g:title>Second</g:title>
    <title>Atom title, overridden</title>
    <content type="html">&lt;p&gt;HTML&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_atom_entries() -> None:
    feed = read_feed(io.BytesIO(ATOM.encode()))
    items = list(feed)
    assert feed.format == "xml" and [(i.line, i.source_line) for i in items] == [(1, 6), (2, 17)]
    assert products(items) == [
        {
            "id": "TV_1",
            "title": "LG Flatscreen TV",
            "link": "https://www.example.com/electronics/tv/LGM2262D.html",
            "description": "Attractively styled.",
            "imageLink": "https://images.example.com/TV_1.jpg",
            "price": {"value": "159", "currency": "USD"},
        },
        {"id": "TV_2", "title": "Second", "description": "<p>HTML</p>"},
    ]
    assert feed.unmapped == {"atom:id": 1, "atom:updated": 1}
    assert feed.notes[0] == "attribute 'atom:id' (1 item) maps to no Criteo Product field; ignored"


def test_a_bad_value_sinks_only_its_item_and_is_reported_with_its_number_and_line() -> None:
    items = xm(
        rss(
            "<g:id>A</g:id>",
            "<g:id>B</g:id>\n<g:price>cheap</g:price>",
            "<g:id>C</g:id><g:title>x</g:title><g:title>y</g:title>",
            "<g:id>D</g:id>",
        )
    )
    assert summary(items) == [(1, "ok"), (2, "err"), (3, "err"), (4, "ok")]
    b, c = errors(items)
    assert (b.product_id, b.field, b.source_line) == ("B", "price", 5)
    assert str(b) == "item 2 (line 5): g:price: expected an amount and a currency like \"49.99 EUR\", got 'cheap'"
    assert c.product_id == "C" and "given twice" in c.message
    rejected = b.to_rejected()
    assert rejected.position == 2 and rejected.issues[0].field == "price"


# -- malformed -------------------------------------------------------------------------------------------


def test_malformed_xml_ends_the_feed_with_one_error_after_the_items_before_it() -> None:
    data = "\n\n" + rss("<g:id>A</g:id>", "<g:id>B</g:id>\n<g:title>x</g:titel>", "<g:id>C</g:id>")
    feed = read_xml(io.BytesIO(data.encode()))
    items = list(feed)
    assert summary(items) == [(1, "ok"), (2, "err")]
    (err,) = errors(items)
    assert err.fatal and err.item and err.product_id == "B" and err.source_line == 7
    assert str(err) == "item 2 (line 7): malformed XML: mismatched tag (line 8, column 12)"
    assert not feed.complete


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("<rss><channel><item><g:id>A</g:id></item></channel></rss>", "unbound prefix"),
        (
            "<products><product><id>A</id></product></products>",
            "not an RSS 2.0 or Atom 1.0 feed (root element <products>)",
        ),
        (RSS_HEAD + "<channel><item><g:id>A</g:id></item>", "no element found"),
        (RSS_HEAD + "<channel><item>&nbsp;</item></channel></rss>", "undefined entity"),
        ("<rss>\x00</rss>", "not well-formed"),
    ],
)
def test_malformed_documents(data: str, fragment: str) -> None:
    feed = read_feed(io.BytesIO(data.encode()), "xml")
    items = list(feed)
    assert len(errors(items)) == 1 and isinstance(items[-1], FeedError) and items[-1].fatal
    assert fragment in items[-1].message and not feed.complete


# -- hostile ---------------------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>
<item><g:id>A</g:id><g:title>&lol9;</g:title></item>
</channel></rss>
"""


def hostile_documents(secret: Path) -> dict[str, str]:
    uri = secret.as_uri()
    return {
        "billion laughs": BILLION_LAUGHS,
        "external entity": (
            f'<?xml version="1.0"?>\n<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "{uri}"> ]>\n'
            '<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>&xxe;</g:id></item></channel></rss>'
        ),
        "parameter entity": (
            f'<?xml version="1.0"?>\n<!DOCTYPE rss [ <!ENTITY % p SYSTEM "{uri}"> %p; ]>\n<rss><channel/></rss>'
        ),
        "external DTD": f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{uri}">\n<rss><channel/></rss>',
        "network DTD": '<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/x.dtd">\n<rss/>',
    }


@pytest.mark.parametrize(
    "name", ["billion laughs", "external entity", "parameter entity", "external DTD", "network DTD"]
)
def test_hostile_documents_are_refused_before_anything_is_expanded_or_fetched(name: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-41f9")
    data = hostile_documents(secret)[name].encode()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        feed = read_feed(io.BytesIO(data))
        items = list(feed)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2.0 and peak < 5_000_000
    assert len(items) == 1 and isinstance(items[0], FeedError) and items[0].fatal
    assert str(items[0]) == "line 2: XML DTDs are refused (entity expansion and external entities are not allowed)"
    assert "TOP-SECRET" not in repr(items) and not feed.complete


def test_an_item_too_large_or_with_too_many_elements_ends_the_feed() -> None:
    big = rss("<g:id>A</g:id>", "<g:id>B</g:id><g:description>" + "x" * 200_000 + "</g:description>")
    items = xm(big, max_item_bytes=100_000)
    assert summary(items) == [(1, "ok"), (2, "err")] and items[1].message.startswith("more than 100,000 bytes")
    many = rss("<g:id>A</g:id>", "<g:id>B</g:id>" + "<g:x/>" * 5000)
    items = xm(many, max_item_elements=1000)
    assert summary(items) == [(1, "ok"), (2, "err")] and "more than 1,000 elements" in items[1].message


def test_deep_nesting_within_the_limits_does_not_crash() -> None:
    depth = 90_000
    data = rss("<g:id>A</g:id><g:description>" + "<a>" * depth + "deep" + "</a>" * depth + "</g:description>")
    (product,) = products(xm(data))
    assert product == {"id": "A", "description": "deep"}


def generated(n: int) -> bytes:
    body = "".join(
        f"<item><g:id>P{i}</g:id><g:title>Product {i}</g:title><g:price>{i}.99 EUR</g:price>"
        f"<g:additional_image_link>https://x/{i}-1.jpg</g:additional_image_link>"
        f"<g:shipping><g:country>FR</g:country><g:price>4.95 EUR</g:price></g:shipping></item>\n"
        for i in range(n)
    )
    return (RSS_HEAD + "<channel>\n" + body + "</channel></rss>\n").encode()


def peak_while_reading(data: bytes) -> int:
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_xml(io.BytesIO(data)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == data.count(b"<item>")
    return peak


@pytest.mark.slow
def test_memory_stays_flat_whatever_the_number_of_items() -> None:
    peak_while_reading(generated(10))  # imports and caches first
    small, large = peak_while_reading(generated(1_000)), peak_while_reading(generated(30_000))
    # ~0.3 MB either way; holding on to the 30,000 cleared items alone would take ~2.7 MB
    assert large < 1.2 * small + 100_000, (small, large)


@HOSTILE
@given(hostile_bytes)
def test_xml_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    items = xm(b"<rss><channel><item>" + data)
    check_stream(items)
    assert isinstance(items[-1], FeedError) and items[-1].fatal  # never closed: always an error at the end


@pytest.mark.parametrize("encoding", ["utf-16", "iso-8859-1", "utf-8-sig"])
def test_declared_and_marked_encodings(encoding: str) -> None:
    declared = "" if encoding == "utf-8-sig" else f' encoding="{encoding.upper()}"'
    text = f'<?xml version="1.0"{declared}?>\n<rss xmlns:g="http://base.google.com/ns/1.0"><channel>'
    text += "<item><g:id>E1</g:id><g:title>Crème brûlée</g:title></item></channel></rss>\n"
    feed = read_feed(io.BytesIO(text.encode(encoding)))
    assert products(list(feed)) == [{"id": "E1", "title": "Crème brûlée"}] and feed.format == "xml"


def test_google_namespace_variants() -> None:
    data = '<rss xmlns:g="https://base.google.com/ns/1.0/"><channel><item><g:id>N</g:id></item></channel></rss>'
    assert products(xm(data)) == [{"id": "N"}]
