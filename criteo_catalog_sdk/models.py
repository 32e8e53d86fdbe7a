"""The request and response models, re-exported from the generated package.

Import them from here (or from ``criteo_catalog_sdk``), never from ``criteo_catalog_sdk._generated``:
this module is the one deliberate coupling point to generated names, so a regeneration that
renames a model breaks here, loudly, and nowhere else.

They are the models of the default API generation (``api_versions.DEFAULT_API_VERSION``; a test
checks the two agree); another generation's are ``get_api_version(name).models``.

``__all__`` is repeated in :mod:`criteo_catalog_sdk._model_names`, which ``import criteo_catalog_sdk``
reads without loading these models (a test checks the two lists agree); type checkers read this one.
"""

from criteo_catalog_sdk._generated.preview.models import (
    BatchAcceptedResponse,
    CatalogErrorResponse,
    CatalogProblem,
    CustomAttribute,
    Installment,
    LoyaltyPoints,
    Price,
    Product,
    ProductsCustomBatchRequest,
    ProductsCustomBatchRequestEntry,
    ProductShipping,
    ProductShippingDimension,
    ProductShippingWeight,
    ProductTax,
    ProductUnitPricingBaseMeasure,
    ProductUnitPricingMeasure,
    ReportDetailError,
    ReportDetailErrors,
    ReportDetailWarning,
    ReportDetailWarnings,
    ReportOkResponse,
    StatisticsOkResponse,
    StatisticsRecord,
)
from criteo_catalog_sdk._generated.preview.types import UNSET, Unset

__all__ = [
    "UNSET",
    "BatchAcceptedResponse",
    "CatalogErrorResponse",
    "CatalogProblem",
    "CustomAttribute",
    "Installment",
    "LoyaltyPoints",
    "Price",
    "Product",
    "ProductShipping",
    "ProductShippingDimension",
    "ProductShippingWeight",
    "ProductTax",
    "ProductUnitPricingBaseMeasure",
    "ProductUnitPricingMeasure",
    "ProductsCustomBatchRequest",
    "ProductsCustomBatchRequestEntry",
    "ReportDetailError",
    "ReportDetailErrors",
    "ReportDetailWarning",
    "ReportDetailWarnings",
    "ReportOkResponse",
    "StatisticsOkResponse",
    "StatisticsRecord",
    "Unset",
]
