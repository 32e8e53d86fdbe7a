"""Seeded feeds of the reliability suite, the outcome each line calls for, and the check that every line
has exactly that outcome."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from criteo_catalog_sdk.push.result import ProductOutcome
from criteo_catalog_sdk.push.validation import validate_product

#: What a feed line is, and so what its outcome must be.
#: ``ok``: upserted; ``warned``: upserted with warnings from Criteo; ``api_rejected``: rejected by
#: Criteo's report; ``client_rejected``: rejected by the SDK's checks; ``unreadable``: not a product
#: (rejected, ParseError); ``older``: a version of a product that a later line replaces (superseded, or
#: upserted then overwritten); ``blank``: skipped, no outcome.
KINDS = ("ok", "warned", "api_rejected", "client_rejected", "unreadable", "older", "blank")


@dataclass
class Line:
    """One physical line of a generated feed."""

    number: int
    raw: bytes
    kind: str
    key: str | None = None  # lowercased product id
    product: dict[str, Any] | None = None  # what lands in the catalog (normalized), for ok/warned/older


@dataclass
class Feed:
    """A generated JSON Lines feed and everything needed to check a push of it."""

    lines: list[Line] = field(default_factory=list)

    def write(self, path: Path) -> Path:
        """Write the feed (one physical line per :class:`Line`)."""
        with open(path, "wb") as f:
            for line in self.lines:
                f.write(line.raw + b"\n")
        return path

    def accountable(self) -> list[Line]:
        """The lines that must get exactly one outcome."""
        return [line for line in self.lines if line.kind != "blank"]

    def expected_catalog(self) -> dict[str, dict[str, Any]]:
        """The merchant's catalog after a push of this feed: the last accepted version of each product."""
        catalog: dict[str, dict[str, Any]] = {}
        for line in self.lines:
            if line.kind in ("ok", "warned", "older") and line.key is not None and line.product is not None:
                catalog[line.key] = line.product
        return catalog

    def tally(self) -> Counter[str]:
        """Lines per kind."""
        return Counter(line.kind for line in self.lines)

    def sent_at_least_once(self) -> int:
        """Entries that must reach the API at least once (an ``older`` line may be superseded unsent)."""
        counts = self.tally()
        return counts["ok"] + counts["warned"] + counts["api_rejected"]


def _product(i: int, generation: int, changed: bool) -> dict[str, Any]:
    suffix = f" gen{generation}" if changed and generation else ""
    return {
        "id": f"SKU-{i:06d}",
        "title": f"Reliability product {i}{suffix}",
        "description": f"Product number {i}, a line of the reliability feed.",
        "link": f"https://shop.example.com/p/{i}",
        "imageLink": f"https://cdn.example.com/img/{i}.jpg",
        "brand": "Acme",
        "price": {"value": f"{(i % 997) + 0.99:.2f}", "currency": "EUR"},
        "availability": "in stock",
    }


def _client_invalid(p: dict[str, Any], variant: int) -> dict[str, Any]:
    p = dict(p)
    if variant == 0:
        p["title"] = "T" * 501  # TooLong
    elif variant == 1:
        del p["imageLink"]  # MissingField
    elif variant == 2:
        p["id"] = p["id"] + "-é"  # NonAsciiId
    elif variant == 3:
        p["link"] = "ftp://shop.example.com/x"  # not http(s)
    elif variant == 4:
        p["price"] = 9.99  # WrongType
    else:
        # Google's name of imageLink with another value: a feed error (given twice), or UnknownField if
        # the products are pushed as dicts, not read from the feed
        p["image_link"] = p["imageLink"] + "?other"
    return p


_UNREADABLE = (
    b'{"id": "SKU-TRUNCATED", "title": "cut in the mid',
    b'["not", "an", "object"]',
    b'{"id": "SKU-\xff\xfe-BAD-UTF8", "title": "x"}',
    b"{'single': 'quotes'}",
)


def make_feed(
    n: int,
    seed: int,
    *,
    generation: int = 0,
    changed_fraction: float = 0.1,
    removed_fraction: float = 0.03,
    unreadable: bool = True,
    dup_fraction: float = 0.02,
    dup_gap: int = 250,
) -> Feed:
    """A seeded feed of ``n`` products with a few of every kind of line.

    About 0.6 % of the products fail the SDK's checks, 0.2 % of the lines are unreadable, 0.3 % are
    rejected by Criteo (an additional image that is not a URL), 0.3 % get a warning (a badge that is not
    a URL) and ``dup_fraction`` appear again later with other content and their id in lower case (the
    later line must win), ``1``, ``dup_gap`` or ``3 * dup_gap`` lines later. (The SDK never lets two
    versions of a product be in flight together, so each such pair serializes two batches.)
    Generation ``g > 0`` of the same seed has the same structure, ``changed_fraction`` of the products
    changed, ``removed_fraction`` removed.
    """
    rng = random.Random(seed)
    out: list[tuple[str, bytes, dict[str, Any] | None, str | None]] = []
    later: dict[int, list[dict[str, Any]]] = {}

    def emit_newer(index: int) -> None:
        for newer in later.pop(index, []):
            norm, issues = validate_product(newer)
            assert norm is not None and not issues
            out.append(("ok", orjson.dumps(newer), norm, newer["id"].lower()))

    for i in range(n):
        r_kind, r_variant, r_dup, r_gap, r_changed, r_removed, r_blank = (rng.random() for _ in range(7))
        emit_newer(i)
        if r_blank < 0.001:
            out.append(("blank", b"" if r_variant < 0.5 else b"   \t ", None, None))
        if generation and r_removed < removed_fraction:
            continue
        p = _product(i, generation, r_changed < changed_fraction)
        key = p["id"].lower()
        if r_kind < 0.006:
            bad = _client_invalid(p, int(r_variant * 6))
            out.append(("client_rejected", orjson.dumps(bad), None, None))
            continue
        if r_kind < 0.008:
            if unreadable:
                out.append(("unreadable", _UNREADABLE[int(r_variant * len(_UNREADABLE))], None, None))
            continue
        kind = "ok"
        if r_kind < 0.011:
            p["additionalImageLinks"] = ["not a url"]
            kind = "api_rejected"
        elif r_kind < 0.014:
            p["badge"] = "not-a-url"
            kind = "warned"
        norm, issues = validate_product(p)
        assert norm is not None and not issues, issues
        if kind == "ok" and r_dup < dup_fraction:
            newer = dict(
                p, id=p["id"].lower(), title=p["title"] + " (newer)", price={"value": "1.00", "currency": "EUR"}
            )
            gap = 1 if r_gap < 0.2 else dup_gap if r_gap < 0.6 else 3 * dup_gap
            later.setdefault(min(i + gap, n), []).append(newer)
            kind = "older"
        out.append((kind, orjson.dumps(p), None if kind == "api_rejected" else norm, key))
    emit_newer(n)
    for rest in sorted(later):
        emit_newer(rest)
    feed = Feed()
    for number, (kind, raw, product, key) in enumerate(out, start=1):
        feed.lines.append(Line(number, raw, kind, key, product))
    return feed


def check_accounting(
    outcomes: Iterable[ProductOutcome],
    feed: Feed,
    *,
    delta: bool = False,
    deleted_keys: frozenset[str] = frozenset(),
    warnings_reported: bool = True,
) -> Counter[str]:
    """Assert that every accountable line of ``feed`` has exactly one outcome, the one its kind calls for,
    and that the only other outcomes are the deletes of ``deleted_keys``. Returns the statuses counted.

    With ``delta``, a product unchanged since the last push may be ``unchanged`` instead of upserted.
    ``warnings_reported=False``: the reports have no ``warningDetails`` (Criteo's documented shape).
    """
    by_position: dict[int, ProductOutcome] = {}
    statuses: Counter[str] = Counter()
    for outcome in outcomes:
        assert outcome.position not in by_position, f"position {outcome.position} accounted twice"
        by_position[outcome.position] = outcome
        statuses[outcome.status] += 1
    lines = {line.number: line for line in feed.accountable()}
    missing = sorted(set(lines) - set(by_position))
    assert not missing, f"{len(missing)} lines without an outcome, e.g. {missing[:10]}"
    extra = [o for pos, o in by_position.items() if pos not in lines]
    assert all(o.status == "deleted" for o in extra), [o for o in extra if o.status != "deleted"][:5]
    deleted = {str(o.product_id).lower() for o in extra}
    assert deleted == set(deleted_keys), (
        f"deleted but should not be: {sorted(deleted - deleted_keys)[:10]}; "
        f"not deleted: {sorted(deleted_keys - deleted)[:10]}"
    )
    assert min((o.position for o in extra), default=max(lines) + 1) > max(lines)  # numbered after the feed
    may_be_unchanged = {"unchanged"} if delta else set()
    for number, line in lines.items():
        o = by_position[number]
        where = f"line {number} ({line.kind}): {o}"
        if line.kind == "ok":
            assert o.status in {"upserted"} | may_be_unchanged and not o.errors, where
            assert not o.warnings, where
        elif line.kind == "warned":
            warned = bool(o.warnings) or not warnings_reported
            assert (o.status == "upserted" and warned and not o.errors) or o.status in may_be_unchanged, where
        elif line.kind == "older":
            assert o.status in {"upserted", "superseded"} | may_be_unchanged, where
        elif line.kind == "api_rejected":
            assert o.status == "rejected" and o.stage == "api" and o.errors, where
        elif line.kind == "client_rejected":
            assert o.status == "rejected" and o.stage == "client" and o.errors, where
        elif line.kind == "unreadable":
            assert o.status == "rejected" and o.stage == "client", where
            assert o.errors and o.errors[0].type == "ParseError", where
    assert statuses["pending"] == 0
    return statuses


def catalog_difference(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> str:
    """A short description of how two catalogs differ ("" when equal)."""
    if actual == expected:
        return ""
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    stale = sorted(k for k in set(actual) & set(expected) if actual[k] != expected[k])
    parts = [f"{len(missing)} missing {missing[:5]}", f"{len(extra)} unexpected {extra[:5]}"]
    parts.append(f"{len(stale)} with other content {stale[:5]}")
    if stale:
        k = stale[0]
        parts.append(f"e.g. {k}: got {actual[k]!r}, expected {expected[k]!r}")
    return "; ".join(parts)
