"""Shared helpers of the feed reader tests."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from criteo_catalog_sdk.push.feeds import FeedError, FeedItem, FeedRecord, read_csv, read_jsonl, read_xml

#: The offer attributes of Google's TV example, which the TSV and XML tests both feed in the same raw form
#: ("in_stock", "159.00 USD", "USD 139.00", "3.5 kg", "yes"...), as Criteo Product fields: both formats
#: map them alike.
GOOGLE_TV_OFFER: dict[str, Any] = {
    "availability": "in stock",
    "price": {"value": "159.00", "currency": "USD"},
    "salePrice": {"value": "139.00", "currency": "USD"},
    "salePriceEffectiveDate": "2024-02-24T11:07+0100/2024-02-29T23:07+0100",
    "shippingWeight": {"value": 3.5, "unit": "kg"},
    "googleProductCategory": "Electronics > Video > Televisions",
    "identifierExists": True,
    "customLabel0": "winter",
}

HEADER = "id,title,link,imageLink,price,additionalImageLinks,adult,numberOfReviews,shippingWeight,customAttributes"


def jl(data: bytes, **kw: Any) -> list[FeedItem]:
    return list(read_jsonl(io.BytesIO(data), **kw))


def cs(data: bytes | str, **kw: Any) -> list[FeedItem]:
    return list(read_csv(io.BytesIO(data.encode() if isinstance(data, str) else data), **kw))


def xm(data: bytes | str, **kw: Any) -> list[FeedItem]:
    return list(read_xml(io.BytesIO(data.encode() if isinstance(data, str) else data), **kw))


def summary(items: list[FeedItem]) -> list[tuple[int, str]]:
    return [(i.line, "ok" if isinstance(i, FeedRecord) else "err") for i in items]


def products(items: list[FeedItem]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        assert isinstance(item, FeedRecord), item
        out.append(item.product)
    return out


def errors(items: list[FeedItem]) -> list[FeedError]:
    return [i for i in items if isinstance(i, FeedError)]


hostile_bytes = st.lists(
    st.one_of(
        st.binary(max_size=60),
        st.sampled_from(
            [
                b"\n",
                b"\r\n",
                b"\r",
                b'"',
                b",",
                b";",
                b"\t",
                b"\xef\xbb\xbf",
                b"\xff",
                b"\x00",
                b"{",
                b"}",
                b"[",
                b'{"id":"A"}',
                b"\\",
                b"<",
                b">",
                b"<item>",
                b"</item>",
                b"<g:id>",
                b"&amp;",
                b"&lol;",
                b"\x1f\x8b",
            ]
        ),
        st.text(max_size=30).map(lambda s: s.encode("utf-8", "surrogatepass")),
    ),
    max_size=40,
).map(b"".join)

HOSTILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_stream(items: list[FeedItem]) -> None:
    """Positions increase strictly; records hold dicts; at most the last item is fatal."""
    lines = [i.line for i in items]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)
    for n, i in enumerate(items):
        assert isinstance(i, FeedRecord | FeedError)
        if isinstance(i, FeedRecord):
            assert isinstance(i.product, dict)
        elif i.fatal:
            assert n == len(items) - 1
