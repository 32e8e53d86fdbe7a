"""Precomputed tables of the Product schema (openapi/catalog.yaml), for cheap per-product checks.

Validation runs once per product on catalogs of millions, so it must not walk a JSON Schema: it looks
each key up in :data:`PRODUCT_FIELDS` and compares ``type(value)`` against a small integer kind.
The tables are written out by hand (no YAML parsing at import time); ``tests/push/test_schema.py``
checks that they match ``openapi/catalog.yaml`` field for field, so a spec change that is not
mirrored here fails the tests.
"""

from __future__ import annotations

from typing import Final, NamedTuple

# Kinds of values. Small ints: compared with ``is``/``==`` in the hot loop.
STR: Final = 0
BOOL: Final = 1
INT64: Final = 2
INT32: Final = 3
NUMBER: Final = 4
STR_LIST: Final = 5
OBJECT: Final = 6
OBJECT_LIST: Final = 7
STR_LIST_MAP: Final = 8
INT_OR_DIGITS: Final = 9  # multipack: int64 or a digit string (overlay D10); we accept both
CHANNEL: Final = 10

KIND_NAMES: Final[dict[int, str]] = {
    STR: "string",
    BOOL: "boolean",
    INT64: "integer",
    INT32: "integer (int32)",
    NUMBER: "number",
    STR_LIST: "array of strings",
    OBJECT: "object",
    OBJECT_LIST: "array of objects",
    STR_LIST_MAP: "object of string arrays",
    INT_OR_DIGITS: "integer",
    CHANNEL: '"online"',
}

INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1

#: Product id length limit. Criteo documents no number for the Catalog API (only ``OverlargeID``
#: exists; Retail Media says 50). 240 keeps every id that fits common commerce platforms while
#: catching accidental garbage (a whole description pasted in the id column).
PRODUCT_ID_MAX_LENGTH: Final = 240


class ObjectSpec(NamedTuple):
    """The fields of a nested object schema and which of them are required."""

    name: str
    fields: dict[str, FieldSpec]
    required: frozenset[str]


class FieldSpec(NamedTuple):
    """How one field is checked: its kind, its length limit (0: none) and, for objects, their spec."""

    kind: int
    max_length: int = 0
    obj: ObjectSpec | None = None


_S = FieldSpec(STR)
_B = FieldSpec(BOOL)
_I64 = FieldSpec(INT64)
_I32 = FieldSpec(INT32)
_N = FieldSpec(NUMBER)
_SL = FieldSpec(STR_LIST)

PRICE: Final = ObjectSpec("Price", {"currency": _S, "value": _S}, frozenset())
CUSTOM_ATTRIBUTE: Final = ObjectSpec("CustomAttribute", {"name": _S, "value": _S}, frozenset({"name", "value"}))
INSTALLMENT: Final = ObjectSpec("Installment", {"amount": FieldSpec(OBJECT, 0, PRICE), "months": _I64}, frozenset())
LOYALTY_POINTS: Final = ObjectSpec("LoyaltyPoints", {"name": _S, "pointsValue": _I64, "ratio": _N}, frozenset())
PRODUCT_SHIPPING: Final = ObjectSpec(
    "ProductShipping",
    {
        "country": _S,
        "locationGroupName": _S,
        "locationId": _I64,
        "postalCode": _S,
        "price": FieldSpec(OBJECT, 0, PRICE),
        "region": _S,
        "service": _S,
    },
    frozenset(),
)
SHIPPING_DIMENSION: Final = ObjectSpec("ProductShippingDimension", {"unit": _S, "value": _N}, frozenset())
SHIPPING_WEIGHT: Final = ObjectSpec("ProductShippingWeight", {"unit": _S, "value": _N}, frozenset())
PRODUCT_TAX: Final = ObjectSpec(
    "ProductTax",
    {"country": _S, "locationId": _I64, "postalCode": _S, "rate": _N, "region": _S, "taxShip": _B},
    frozenset(),
)
UNIT_PRICING_BASE_MEASURE: Final = ObjectSpec("ProductUnitPricingBaseMeasure", {"unit": _S, "value": _I64}, frozenset())
UNIT_PRICING_MEASURE: Final = ObjectSpec("ProductUnitPricingMeasure", {"unit": _S, "value": _N}, frozenset())


def _obj(spec: ObjectSpec) -> FieldSpec:
    return FieldSpec(OBJECT, 0, spec)


def _objs(spec: ObjectSpec) -> FieldSpec:
    return FieldSpec(OBJECT_LIST, 0, spec)


#: Every Product field (camelCase, as on the wire) -> how it is checked. Length limits come from the
#: spec's descriptions (facts sheet section 3), which Criteo does not declare as ``maxLength``.
PRODUCT_FIELDS: Final[dict[str, FieldSpec]] = {
    "additionalImageLinks": _SL,
    "adsGrouping": _S,
    "adsLabels": _SL,
    "adsRedirect": _S,
    "adult": _B,
    "ageGroup": _S,
    "availability": _S,
    "availabilityDate": _S,
    "badge": _S,
    "brand": _S,
    "channel": FieldSpec(CHANNEL),
    "color": _S,
    "condition": _S,
    "contentLanguage": _S,
    "costOfGoodsSold": _obj(PRICE),
    "customAttributes": _objs(CUSTOM_ATTRIBUTE),
    "customLabel0": _S,
    "customLabel1": _S,
    "customLabel2": _S,
    "customLabel3": _S,
    "customLabel4": _S,
    "description": FieldSpec(STR, 5000),
    "displayAdsId": _S,
    "displayAdsLink": _S,
    "displayAdsSimilarIds": _SL,
    "displayAdsTitle": _S,
    "displayAdsValue": _N,
    "energyEfficiencyClass": _S,
    "excludedDestinations": _SL,
    "expirationDate": _S,
    "externalSellerId": FieldSpec(STR, 50),
    "externalSellerName": FieldSpec(STR, 50),
    "filters": FieldSpec(STR_LIST_MAP),
    "gender": _S,
    "googleProductCategory": _S,
    "gtin": _S,
    "id": FieldSpec(STR, PRODUCT_ID_MAX_LENGTH),
    "identifierExists": _B,
    "imageLink": FieldSpec(STR, 2000),
    "includedDestinations": _SL,
    "installment": _obj(INSTALLMENT),
    "isBundle": _B,
    "itemGroupId": FieldSpec(STR, 50),
    "kind": _S,
    "link": FieldSpec(STR, 1000),
    "loyaltyPoints": _obj(LOYALTY_POINTS),
    "material": _S,
    "maxEnergyEfficiencyClass": _S,
    "maxHandlingTime": _I64,
    "minEnergyEfficiencyClass": _S,
    "minHandlingTime": _I64,
    "mobileLink": _S,
    "mpn": _S,
    "multipack": FieldSpec(INT_OR_DIGITS),
    "numberOfReviews": _I32,
    "offerId": _S,
    "pattern": _S,
    "price": _obj(PRICE),
    "productRating": _S,
    "productTypeKeys": _SL,
    "productTypes": _SL,
    "promotionIds": _SL,
    "salePrice": _obj(PRICE),
    "salePriceEffectiveDate": _S,
    "sellerId": FieldSpec(STR, 50),
    "sellOnGoogleQuantity": _I64,
    "shipping": _objs(PRODUCT_SHIPPING),
    "shippingHeight": _obj(SHIPPING_DIMENSION),
    "shippingLabel": _S,
    "shippingLength": _obj(SHIPPING_DIMENSION),
    "shippingWeight": _obj(SHIPPING_WEIGHT),
    "shippingWidth": _obj(SHIPPING_DIMENSION),
    "sizes": _SL,
    "sizeSystem": _S,
    "sizeType": _S,
    "source": _S,
    "targetCountry": _S,
    "taxCategory": _S,
    "taxes": _objs(PRODUCT_TAX),
    "title": FieldSpec(STR, 500),
    "transitTimeLabel": _S,
    "unitPricingBaseMeasure": _obj(UNIT_PRICING_BASE_MEASURE),
    "unitPricingMeasure": _obj(UNIT_PRICING_MEASURE),
}

#: Required by the spec, and non-empty for Criteo (MissingID / MissingName / MissingURL / MissingImages).
REQUIRED_FIELDS: Final = ("id", "title", "link", "imageLink")

#: Fields that must be absolute http(s) URLs (Criteo's InvalidProductUrl / InvalidBigImageUrl).
URL_FIELDS: Final = frozenset({"link", "imageLink"})

#: Every nested object schema, by schema name (used by the drift test).
OBJECT_SPECS: Final[dict[str, ObjectSpec]] = {
    s.name: s
    for s in (
        PRICE,
        CUSTOM_ATTRIBUTE,
        INSTALLMENT,
        LOYALTY_POINTS,
        PRODUCT_SHIPPING,
        SHIPPING_DIMENSION,
        SHIPPING_WEIGHT,
        PRODUCT_TAX,
        UNIT_PRICING_BASE_MEASURE,
        UNIT_PRICING_MEASURE,
    )
}
