"""Per-product checks, named as the report's error and warning types of Criteo's spec.

Limits (facts section 3): title 500, description 5000, link 1000, imageLink 2000 characters; itemGroupId,
externalSellerId, externalSellerName and sellerId 50. Criteo publishes no length for product ids; the
simulator uses 240 (``DEFAULT_MAX_ID_LENGTH``, configurable), the length of the longest ids it is
reasonable to expect from feed systems, and well above the 50 of Criteo's Retail Media product.

Which check gives which type:

=====================  ====================================================================
MissingID              empty or blank id (or an entry with neither productId nor product)
NonAsciiId             id with a non-ASCII character
InvalidProductId       id with an ASCII control character
OverlargeID            id longer than the id limit
MissingName            empty or blank title
MissingURL             empty or blank link
OverlargeURL           link over 1000 characters
InvalidProductUrl      link that is not an absolute http(s) URL
MissingImages          empty or blank imageLink
OverlargeBigImage      imageLink over 2000 characters (message ``{"Length":N}`` as documented)
InvalidBigImageUrl     imageLink that is not an absolute http(s) URL
OverlargeSmallImage    an additionalImageLinks entry over 2000 characters
InvalidSmallImageUrl   an additionalImageLinks entry that is not an absolute http(s) URL
UnknownError           title, description or a 50-character field over its limit (the spec's
                       enum has no type for them); message ``{"Field":...,"Length":N,"MaxLength":M}``
warning InvalidBadgeUrl    badge that is not an absolute http(s) URL
warning OverlargeBadgeUrl  badge over 2000 characters
=====================  ====================================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_ID_LENGTH = 240
MAX_TITLE = 500
MAX_DESCRIPTION = 5000
MAX_LINK = 1000
MAX_IMAGE_LINK = 2000
MAX_BADGE_LINK = 2000
MAX_SHORT_FIELD = 50
_SHORT_FIELDS = ("itemGroupId", "externalSellerId", "externalSellerName", "sellerId")
_SHORT_FIELD_SET = frozenset(_SHORT_FIELDS)

_HTTP_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE | re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

Issue = tuple[str, str]  # (type, message); isServerRelated is always false for these checks


@dataclass(frozen=True, slots=True)
class ProductLimits:
    """The limits that are configurable."""

    max_id_length: int = DEFAULT_MAX_ID_LENGTH


def _length(value: int) -> str:
    return f'{{"Length":{value}}}'


def _too_long(field: str, value: str, limit: int) -> Issue:
    return "UnknownError", json.dumps({"Field": field, "Length": len(value), "MaxLength": limit})


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host and no whitespace."""
    return _HTTP_URL.fullmatch(value) is not None


def check_id(product_id: Any, limits: ProductLimits) -> list[Issue]:
    """Errors of a product id."""
    if not isinstance(product_id, str) or not product_id.strip():
        return [("MissingID", "The product has no id.")]
    errors: list[Issue] = []
    if not product_id.isascii():
        errors.append(("NonAsciiId", "The product id contains non-ASCII characters."))
    elif _CONTROL.search(product_id):
        errors.append(("InvalidProductId", "The product id contains control characters."))
    if len(product_id) > limits.max_id_length:
        errors.append(("OverlargeID", _length(len(product_id))))
    return errors


def _url_checks(value: Any, missing: str | None, overlarge: str, invalid: str, limit: int) -> list[Issue]:
    if not isinstance(value, str) or not value.strip():
        return [(missing, "The field is empty.")] if missing else []
    if len(value) > limit:
        return [(overlarge, _length(len(value)))]
    if not is_http_url(value):
        return [(invalid, "Not an absolute http(s) URL.")]
    return []


def _looks_fine(product: Mapping[str, Any], limits: ProductLimits) -> bool:
    """Cheap test that a product has nothing to report; most do, and then the detailed checks are skipped."""
    product_id = product.get("id")
    title = product.get("title")
    link = product.get("link")
    image = product.get("imageLink")
    if not (
        type(product_id) is str
        and 0 < len(product_id) <= limits.max_id_length
        and product_id.isascii()
        and not product_id.isspace()
        and _CONTROL.search(product_id) is None
        and type(title) is str
        and 0 < len(title) <= MAX_TITLE
        and not title.isspace()
        and type(link) is str
        and len(link) <= MAX_LINK
        and _HTTP_URL.fullmatch(link) is not None
        and type(image) is str
        and len(image) <= MAX_IMAGE_LINK
        and _HTTP_URL.fullmatch(image) is not None
    ):
        return False
    description = product.get("description")
    if description is not None and len(description) > MAX_DESCRIPTION:
        return False
    extra_images = product.get("additionalImageLinks")
    if extra_images:
        for link in extra_images:
            if type(link) is not str or len(link) > MAX_IMAGE_LINK or _HTTP_URL.fullmatch(link) is None:
                return False
    badge = product.get("badge")
    if badge and (type(badge) is not str or len(badge) > MAX_BADGE_LINK or _HTTP_URL.fullmatch(badge) is None):
        return False
    if _SHORT_FIELD_SET.isdisjoint(product):
        return True
    return not any(len(product.get(field) or "") > MAX_SHORT_FIELD for field in _SHORT_FIELDS)


def check_product(product: Mapping[str, Any], limits: ProductLimits) -> tuple[list[Issue], list[Issue]]:
    """Errors and warnings of an inserted product (already valid against the spec)."""
    if _looks_fine(product, limits):
        return [], []
    return check_product_in_detail(product, limits)


def check_product_in_detail(product: Mapping[str, Any], limits: ProductLimits) -> tuple[list[Issue], list[Issue]]:
    """Every check, without the shortcut for products that look fine."""
    errors = check_id(product.get("id"), limits)
    title = product.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append(("MissingName", "The product has no title."))
    elif len(title) > MAX_TITLE:
        errors.append(_too_long("title", title, MAX_TITLE))
    errors += _url_checks(product.get("link"), "MissingURL", "OverlargeURL", "InvalidProductUrl", MAX_LINK)
    errors += _url_checks(
        product.get("imageLink"), "MissingImages", "OverlargeBigImage", "InvalidBigImageUrl", MAX_IMAGE_LINK
    )
    extra_images = product.get("additionalImageLinks")
    if extra_images:
        for link in extra_images:
            errors += _url_checks(link, None, "OverlargeSmallImage", "InvalidSmallImageUrl", MAX_IMAGE_LINK)
    description = product.get("description")
    if isinstance(description, str) and len(description) > MAX_DESCRIPTION:
        errors.append(_too_long("description", description, MAX_DESCRIPTION))
    for field in _SHORT_FIELDS:
        value = product.get(field)
        if isinstance(value, str) and len(value) > MAX_SHORT_FIELD:
            errors.append(_too_long(field, value, MAX_SHORT_FIELD))
    warnings: list[Issue] = []
    badge = product.get("badge")
    if isinstance(badge, str) and badge:
        warnings = _url_checks(badge, None, "OverlargeBadgeUrl", "InvalidBadgeUrl", MAX_BADGE_LINK)
    return errors, warnings
