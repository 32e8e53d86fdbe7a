"""The one table from feed attribute names to Criteo Product fields.

Criteo's Product fields mirror Google Merchant Center's attributes in camelCase, so most of the table
is derived from :data:`~criteo_catalog_sdk.push.schema.PRODUCT_FIELDS` (itself derived from the
shipped spec): ``imageLink`` is also ``image_link``, ``customLabel0`` also ``custom_label_0``. Only
where Google's name is not the snake case of Criteo's (singular names of repeated attributes,
``tax``) or where Google's attribute has no field of its own (``product_detail``,
``product_highlight``) is there a line in :data:`IRREGULAR`.

Lookups: a Criteo name as written (``imageLink``); otherwise case-insensitively, with or without a
``g:`` prefix, spaces read as underscores (Google's text feeds allow ``image link``): Google's names,
the snake case of every field, and the Criteo names in any case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Final, NamedTuple

from criteo_catalog_sdk.push.schema import (
    BOOL,
    INT32,
    INT64,
    INT_OR_DIGITS,
    NUMBER,
    OBJECT_LIST,
    PRODUCT_FIELDS,
    STR_LIST,
    STR_LIST_MAP,
    FieldSpec,
    ObjectSpec,
)

#: Google's namespace of Merchant Center attributes in XML feeds (the ``g:`` prefix).
GOOGLE_NS: Final = "http://base.google.com/ns/1.0"
GOOGLE_NAMESPACES: Final = frozenset(
    {GOOGLE_NS, "https://base.google.com/ns/1.0", "http://base.google.com/ns/1.0/", "https://base.google.com/ns/1.0/"}
)

#: ``split`` of a Criteo-named list field: the reader's ``list_delimiter`` option (``|`` by default).
LIST_OPTION: Final = ""

# Shapes of values that are not the plain conversion of their field's kind.
PLAIN: Final = ""
DETAIL: Final = "detail"  # product_detail: section_name:attribute_name:attribute_value -> CustomAttribute
HIGHLIGHT: Final = "highlight"  # product_highlight: text -> CustomAttribute named product_highlight


class Attribute(NamedTuple):
    """How the values of one feed attribute become a Product field.

    ``field``: the Criteo field; ``spec``: how it is checked; ``split``: in text formats, what separates
    several values in one cell (``None``: one value per cell or element; :data:`LIST_OPTION`: the
    reader's ``list_delimiter``); ``split_xml``: whether XML text is split too (Google's XML repeats the
    element instead, and URLs in it may hold commas); ``parts``: the sub-fields of a colon-separated text
    value, in Google's order (``US:CA:Ground:5.99 USD``); ``shape``: :data:`DETAIL`, :data:`HIGHLIGHT`
    or plain; ``google``: Google's own name for it (for the documentation table).
    """

    field: str
    spec: FieldSpec
    split: str | None = None
    split_xml: bool = False
    parts: tuple[str, ...] = ()
    shape: str = PLAIN
    google: str | None = None


#: Colon-separated sub-fields of text values, in the order of Google's text feeds.
PARTS: Final[dict[str, tuple[str, ...]]] = {
    "shipping": ("country", "region", "service", "price"),
    "taxes": ("country", "region", "rate", "taxShip"),
    "installment": ("months", "amount"),
    "loyaltyPoints": ("name", "pointsValue", "ratio"),
    "customAttributes": ("name", "value"),
}
DETAIL_PARTS: Final = ("section_name", "attribute_name", "attribute_value")

#: Google attribute -> (Criteo field, text separator, also split in XML, shape). Everything else is
#: derived. product_detail and product_highlight have no Criteo field of their own; they become
#: ``customAttributes`` entries, the generic name/value form Google's Content API (which Criteo's
#: Product mirrors) offers for attributes without a field of their own.
IRREGULAR: Final[dict[str, tuple[str, str | None, bool, str]]] = {
    "additional_image_link": ("additionalImageLinks", ",", False, PLAIN),
    "product_type": ("productTypes", ",", True, PLAIN),
    "size": ("sizes", None, False, PLAIN),
    "included_destination": ("includedDestinations", ",", True, PLAIN),
    "excluded_destination": ("excludedDestinations", ",", True, PLAIN),
    "promotion_id": ("promotionIds", ",", True, PLAIN),
    "ads_labels": ("adsLabels", ",", True, PLAIN),
    "display_ads_similar_id": ("displayAdsSimilarIds", ",", True, PLAIN),
    "tax": ("taxes", None, False, PLAIN),
    "product_detail": ("customAttributes", None, False, DETAIL),
    "product_highlight": ("customAttributes", None, False, HIGHLIGHT),
}

_WORD_BOUNDARY: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])")


def snake(name: str) -> str:
    """``imageLink`` -> ``image_link``, ``customLabel0`` -> ``custom_label_0``."""
    return _WORD_BOUNDARY.sub("_", name).lower()


def normalize(name: str) -> str:
    """The lookup key of a non-Criteo name: no ``g:`` prefix, lower case, spaces and dashes as ``_``."""
    key = name.strip().lower()
    if key.startswith("g:"):
        key = key[2:]
    return key.replace(" ", "_").replace("-", "_")


def _criteo(field: str) -> Attribute:
    spec = PRODUCT_FIELDS[field]
    split = LIST_OPTION if spec.kind == STR_LIST else None
    return Attribute(field, spec, split, True, PARTS.get(field, ()))


def _tables() -> tuple[dict[str, Attribute], dict[str, Attribute]]:
    exact = {field: _criteo(field) for field in PRODUCT_FIELDS}
    loose: dict[str, Attribute] = {}
    for field, attr in exact.items():
        loose[snake(field)] = attr._replace(google=snake(field))
    for field, attr in exact.items():
        loose.setdefault(field.lower(), attr)
    for name, (field, split, split_xml, shape) in IRREGULAR.items():
        if field not in PRODUCT_FIELDS:  # a newer spec without it: the attribute maps to nothing
            continue
        parts = DETAIL_PARTS if shape == DETAIL else PARTS.get(field, ())
        loose[name] = Attribute(field, PRODUCT_FIELDS[field], split, split_xml, parts, shape, name)
    # Google names that are the snake case of a list field whose Google name is singular are not Google's.
    for name, (field, _, _, shape) in IRREGULAR.items():
        plural = snake(field)
        if shape == PLAIN and plural in loose and plural != name and loose[plural].google == plural:
            loose[plural] = loose[plural]._replace(google=None)
    return exact, loose


_TABLES: Final = _tables()
#: Criteo names as written -> their attribute (the wire format: no conversion of JSON values).
CRITEO: Final[dict[str, Attribute]] = _TABLES[0]
#: Normalized names (see :func:`normalize`) -> attribute.
LOOSE: Final[dict[str, Attribute]] = _TABLES[1]
#: The Criteo names, for the cheap "does this JSON object need any mapping" check.
CRITEO_NAMES: Final = frozenset(CRITEO)


@lru_cache(maxsize=4096)
def lookup(name: str) -> Attribute | None:
    """The attribute a feed name maps to, or ``None`` when it maps to no Product field."""
    found = CRITEO.get(name)
    if found is not None:
        return found
    return LOOSE.get(normalize(name))


def sub_field(ospec: ObjectSpec, name: str) -> str | None:
    """The field of a nested object a sub-attribute name maps to (``postal_code`` -> ``postalCode``)."""
    if name in ospec.fields:
        return name
    key = normalize(name).replace("_", "")
    for field in ospec.fields:
        if field.lower() == key:
            return field
    return None


def is_list(attr: Attribute) -> bool:
    """Whether the field holds several values (repeated attributes add to it)."""
    return attr.spec.kind in (STR_LIST, OBJECT_LIST)


def google_table() -> Iterator[tuple[str, str, str]]:
    """(Google attribute, Criteo field, how its text is read), one row per Google name, by Criteo field
    order; the README's field table is generated from this (and a test keeps them equal)."""
    rows: dict[str, tuple[str, str, str]] = {}
    for attr in LOOSE.values():
        if attr.google is None or attr.google in rows:
            continue
        rows[attr.google] = (attr.google, attr.field, _how(attr))
    order = {field: i for i, field in enumerate(PRODUCT_FIELDS)}
    yield from sorted(rows.values(), key=lambda row: (order[row[1]], row[0]))


def _how(attr: Attribute) -> str:
    if attr.shape == DETAIL:
        return "`{name: 'section: attribute', value}` entry; text `section:attribute:value`"
    if attr.shape == HIGHLIGHT:
        return "`{name: 'product_highlight', value}` entry"
    if attr.parts:
        each = "several separated by `,`; " if attr.spec.kind == OBJECT_LIST else ""
        return f"{each}text `{':'.join(snake(p) for p in attr.parts)}` or XML sub-elements"
    if attr.split == ",":
        return "list; several separated by `,`" + ("" if attr.split_xml else " (TSV/CSV; XML repeats the element)")
    if attr.split == LIST_OPTION:
        return "list; several separated by `\\|` (the `list_delimiter`)"
    if attr.spec.kind == STR_LIST:
        return "list; one value per cell or element"
    if attr.spec.obj is not None and attr.spec.obj.name == "Price":
        return "`49.99 EUR` or `EUR 49.99` -> `{value, currency}`"
    if attr.spec.obj is not None and set(attr.spec.obj.fields) == {"unit", "value"}:
        return "`2 kg`, `30 cm`: number and unit"
    if attr.field == "availability":
        return "`in_stock` -> `in stock`, `out_of_stock` -> `out of stock`"
    return _KIND_HOW.get(attr.spec.kind, "text")


def markdown_table() -> str:
    """The README's table of Google attributes and the Criteo fields they map to (generated: see tests)."""
    lines = ["| Google attribute | Criteo field | value in text (TSV, CSV, XML) |", "|---|---|---|"]
    lines += [f"| `{google}` | `{field}` | {how} |" for google, field, how in google_table()]
    return "\n".join(lines)


_KIND_HOW: Final[dict[int, str]] = {
    BOOL: "yes/no, true/false, 1/0",
    INT64: "integer",
    INT32: "integer",
    INT_OR_DIGITS: "integer",
    NUMBER: "number",
    STR_LIST_MAP: "JSON object",
}

__all__ = [
    "CRITEO",
    "CRITEO_NAMES",
    "GOOGLE_NAMESPACES",
    "GOOGLE_NS",
    "IRREGULAR",
    "LOOSE",
    "Attribute",
    "google_table",
    "is_list",
    "lookup",
    "markdown_table",
    "normalize",
    "snake",
    "sub_field",
]

if __name__ == "__main__":  # python -m criteo_catalog_sdk.push.feeds.attributes: the README's table
    print(markdown_table())
