"""Feed values to Product values: the text rules shared by CSV, TSV and XML, and product assembly.

Every converter raises ``ValueError`` with a message that says what was expected; the readers prefix
it with the attribute's name and turn it into a :class:`~criteo_catalog_sdk.push.feeds.FeedError` for
that row or item only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any, Final

import orjson

from criteo_catalog_sdk.push import schema
from criteo_catalog_sdk.push.feeds.attributes import DETAIL, HIGHLIGHT, LIST_OPTION, Attribute, is_list, sub_field
from criteo_catalog_sdk.push.schema import FieldSpec, ObjectSpec

_INT_RE: Final = re.compile(r"[+-]?[0-9]+")
_NUM_RE: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_AMOUNT: Final = r"[+-]?[0-9]+(?:\.[0-9]+)?"
_AMOUNT_RE: Final = re.compile(rf"({_AMOUNT})(?:\s*([A-Za-z]{{3}}))?")
_CURRENCY_FIRST_RE: Final = re.compile(rf"([A-Za-z]{{3}})\s*({_AMOUNT})")
# Separators only where they cannot be misread: 1,299.00 (thousands comma, decimal point), 1.299,00 and
# 49,99 (decimal comma: one or two digits after it, as Excel writes amounts in much of Europe). 1,299 and
# 1.299 alone stay what the plain rules make of them (an error, and 1.299).
_THOUSANDS_COMMA_RE: Final = re.compile(r"(?<![0-9.,])[0-9]{1,3}(?:,[0-9]{3})+(?=\.[0-9])")
_THOUSANDS_DOT_RE: Final = re.compile(r"(?<![0-9.,])([0-9]{1,3}(?:\.[0-9]{3})+),([0-9]+)(?![0-9.,])")
_DECIMAL_COMMA_RE: Final = re.compile(r"(?<![0-9.,])([0-9]+),([0-9]{1,2})(?![0-9.,])")
_MEASURE_RE: Final = re.compile(r"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*([^\s0-9,.;:+-].*)?")
_TRUE: Final = frozenset({"true", "yes", "y", "1"})
_FALSE: Final = frozenset({"false", "no", "n", "0"})
#: Google's availability values (``in_stock``, older ``in stock``) as Criteo's examples write them.
_AVAILABILITY: Final = {"in_stock": "in stock", "out_of_stock": "out of stock", "pre_order": "preorder"}
HIGHLIGHT_NAME: Final = "product_highlight"


def clip(text: str) -> str:
    """A value as quoted in an error message (at most 40 characters)."""
    return repr(text[:40])


def convert_text(attr: Attribute, text: str, list_delimiter: str = "|", *, xml: bool = False) -> Any:
    """One text value (a CSV/TSV cell, an XML element's text) to the value of ``attr.field``."""
    spec = attr.spec
    kind = spec.kind
    if kind == schema.STR:
        if attr.field == "availability":
            low = text.strip().lower()
            return _AVAILABILITY.get(low, low.replace("_", " "))
        return text
    if kind == schema.STR_LIST:
        sep = list_delimiter if attr.split == LIST_OPTION else attr.split
        if xml and not attr.split_xml:
            sep = None
        if sep is None:
            one = text.strip()
            return [one] if one else []
        return [s.strip() for s in text.split(sep) if s.strip()]
    if kind == schema.OBJECT_LIST and spec.obj is not None:
        return _object_list(attr, spec.obj, text.strip())
    if kind == schema.OBJECT and spec.obj is not None:
        stripped = text.strip()
        if attr.parts and not stripped.startswith("{"):
            groups = split_groups(stripped, None)
            if len(groups) != 1:
                raise ValueError(f"expected {':'.join(attr.parts)}, got {clip(text)}")
            return build_object(spec.obj, _named(attr.parts, groups[0]))[0]
    return convert_value(spec, text)


def convert_value(spec: FieldSpec, text: str) -> Any:
    """Text to a value of a scalar kind, a Price, a measure or (as JSON text) any structured kind."""
    kind = spec.kind
    if kind == schema.STR:
        return text
    if kind == schema.BOOL:
        low = text.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"expected yes or no (true or false), got {clip(text)}")
    if kind in (schema.INT64, schema.INT32, schema.INT_OR_DIGITS):
        stripped = text.strip()
        if not _INT_RE.fullmatch(stripped):
            raise ValueError(f"expected an integer, got {clip(text)}")
        value = int(stripped)
        lo, hi = (schema.INT32_MIN, schema.INT32_MAX) if kind == schema.INT32 else (schema.INT64_MIN, schema.INT64_MAX)
        if not lo <= value <= hi:
            raise ValueError(f"{value} is out of range [{lo}, {hi}]")
        return value
    if kind == schema.NUMBER:
        return number(text)
    stripped = text.strip()
    if kind == schema.OBJECT and spec.obj is not None and not stripped.startswith("{"):
        if spec.obj.name == "Price":
            return price(stripped)
        if set(spec.obj.fields) == {"unit", "value"}:
            return _measure(stripped, spec.obj)
    if kind in (schema.OBJECT, schema.OBJECT_LIST, schema.STR_LIST_MAP):
        return _json(stripped, list if kind == schema.OBJECT_LIST else dict)
    return text  # channel, and shapes of a newer spec: validation is the judge


def number(text: str) -> float | int:
    """A plain decimal number (an integer stays an int)."""
    stripped = text.strip()
    if not _NUM_RE.fullmatch(stripped):
        raise ValueError(f"expected a number, got {clip(text)}")
    if _INT_RE.fullmatch(stripped):
        return int(stripped)
    value = float(stripped)
    if not math.isfinite(value):
        raise ValueError(f"{clip(text)} is out of range")
    return value


def price(text: str) -> dict[str, str]:
    """``49.99 EUR`` or ``EUR 49.99`` -> ``{"value": "49.99", "currency": "EUR"}`` (an amount alone: no currency).

    Also ``1,299.00 USD``, ``1.299,00 EUR`` and ``49,99 EUR`` (see :func:`decimal_point`).
    """
    text = decimal_point(text)
    m = _AMOUNT_RE.fullmatch(text)
    if m is not None:
        amount, currency = m.group(1), m.group(2)
    else:
        m = _CURRENCY_FIRST_RE.fullmatch(text)
        if m is None:
            raise ValueError(f'expected an amount and a currency like "49.99 EUR", got {clip(text)}')
        currency, amount = m.group(1), m.group(2)
    out = {"value": amount}
    if currency:
        out["currency"] = currency.upper()
    return out


def decimal_point(text: str) -> str:
    """Amounts with separators that cannot be misread, in plain notation: ``1,299.00`` and ``1.299,00`` ->
    ``1299.00``, ``49,99`` -> ``49.99`` (a decimal comma has one or two digits after it); ``1,299`` stays."""
    if "," not in text:
        return text
    text = _THOUSANDS_COMMA_RE.sub(lambda m: m.group(0).replace(",", ""), text)
    text = _THOUSANDS_DOT_RE.sub(lambda m: m.group(1).replace(".", "") + "." + m.group(2), text)
    return _DECIMAL_COMMA_RE.sub(r"\1.\2", text)


def _measure(text: str, ospec: ObjectSpec) -> dict[str, Any]:
    text = decimal_point(text)
    m = _MEASURE_RE.fullmatch(text)
    if m is None:
        raise ValueError(f'expected a number and a unit like "2.5 kg", got {clip(text)}')
    amount = m.group(1)
    if ospec.fields["value"].kind == schema.INT64:
        if not _INT_RE.fullmatch(amount):
            raise ValueError(f"expected an integer and a unit, got {clip(text)}")
        value: int | float = int(amount)
    else:
        value = number(amount)
    out: dict[str, Any] = {"value": value}
    if m.group(2):
        out["unit"] = m.group(2).strip()
    return out


def _json(text: str, expected: type) -> Any:
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"expected JSON: {exc}") from None
    if type(value) is not expected:
        raise ValueError(f"expected a JSON {'array' if expected is list else 'object'}")
    return value


def _object_list(attr: Attribute, ospec: ObjectSpec, text: str) -> list[Any]:
    if attr.shape == HIGHLIGHT:
        return [{"name": HIGHLIGHT_NAME, "value": text}] if text else []
    if text.startswith(("[", "{")):
        value: list[Any] = _json(text, list)
        return value
    if not attr.parts:
        raise ValueError(f"expected a JSON array, got {clip(text)}")
    out = []
    for group in split_groups(text, ","):
        pairs = _named(attr.parts, group)
        out.append(detail(pairs) if attr.shape == DETAIL else build_object(ospec, pairs)[0])
    return out


def _named(names: tuple[str, ...], values: list[str]) -> list[tuple[str, str]]:
    if len(values) > len(names):
        raise ValueError(f"expected at most {len(names)} parts ({':'.join(names)}), got {len(values)}")
    return list(zip(names, values, strict=False))


def split_groups(text: str, group_sep: str | None) -> list[list[str]]:
    """Google's text form of sub-attributes: parts separated by ``:``, groups by ``group_sep``; a part
    may be double-quoted to hold either, with quotes doubled (``Display:Size:"2.5\"\"\"``, the value
    ``2.5"``). Parts are stripped."""
    groups: list[list[str]] = []
    parts: list[str] = []
    buf: list[str] = []
    quoted = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quoted:
            if ch == '"':
                if text[i + 1 : i + 2] == '"':
                    buf.append('"')
                    i += 1
                else:
                    quoted = False
            else:
                buf.append(ch)
        elif ch == '"' and not "".join(buf).strip():
            quoted = True
            buf = []
        elif ch == ":":
            parts.append("".join(buf).strip())
            buf = []
        elif ch == group_sep:
            parts.append("".join(buf).strip())
            groups.append(parts)
            parts, buf = [], []
        else:
            buf.append(ch)
        i += 1
    if quoted:
        raise ValueError(f"unterminated quote in {clip(text)}")
    parts.append("".join(buf).strip())
    groups.append(parts)
    return [g for g in groups if any(g)]


def build_object(ospec: ObjectSpec, pairs: Iterable[tuple[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """A nested object from (sub-attribute, value) pairs; text values converted per the sub-field's kind.

    Returns the object and the sub-attribute names that map to no field of it.
    """
    obj: dict[str, Any] = {}
    unknown: list[str] = []
    for name, value in pairs:
        field = sub_field(ospec, name)
        if field is None:
            unknown.append(name)
            continue
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
            try:
                value = convert_value(ospec.fields[field], value)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
        obj[field] = value
    return obj, unknown


def detail(pairs: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """A product_detail (section_name, attribute_name, attribute_value) as a CustomAttribute: its name is
    ``section: attribute`` (the section kept so that nothing is lost), its value the value."""
    got = {str(k).strip().lower(): str(v).strip() for k, v in pairs if v is not None}
    name, value, section = got.get("attribute_name"), got.get("attribute_value"), got.get("section_name")
    if not name or not value:
        raise ValueError("expected an attribute_name and an attribute_value")
    return {"name": f"{section}: {name}" if section else name, "value": value}


class Assembler:
    """Puts converted values into a product: list fields add up (repeated attributes, or a Google and a
    Criteo column of one field); a single-valued field given twice must be given the same value."""

    __slots__ = ("origin", "product")

    def __init__(self) -> None:
        self.product: dict[str, Any] = {}
        self.origin: dict[str, str] = {}

    def put(self, attr: Attribute, name: str, value: Any) -> None:
        """Add ``value`` (read as ``name``) to ``attr.field``; ``ValueError`` on a conflict."""
        field = attr.field
        have = self.product.get(field)
        if have is None:
            self.product[field] = value
            self.origin[field] = name
        elif is_list(attr) and isinstance(have, list) and isinstance(value, list):
            have.extend(value)
        elif have != value:
            raise ValueError(f"given twice with different values (as {self.origin[field]!r} and as {name!r})")

    def fallback(self, attr: Attribute, name: str, value: Any) -> None:
        """Set ``attr.field`` only if nothing set it (RSS/Atom ``title``, ``link``, ``description``)."""
        if attr.field not in self.product:
            self.product[attr.field] = value
            self.origin[attr.field] = name


__all__ = [
    "Assembler",
    "build_object",
    "clip",
    "convert_text",
    "convert_value",
    "decimal_point",
    "detail",
    "number",
    "price",
    "split_groups",
]
