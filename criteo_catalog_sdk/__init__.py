"""Criteo Catalog SDK: push product catalogs to Criteo's Catalog Product Importer API.

The public surface: the request/response models (from :mod:`criteo_catalog_sdk.models`), and, as
they land, the clients, errors and policies.
"""

from criteo_catalog_sdk.models import (
    UNSET,
    BatchAcceptedResponse,
    CatalogErrorResponse,
    CatalogProblem,
    CustomAttribute,
    Installment,
    LoyaltyPoints,
    Price,
    Product,
    ProductShipping,
    ProductShippingDimension,
    ProductShippingWeight,
    ProductsCustomBatchRequest,
    ProductsCustomBatchRequestEntry,
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
    Unset,
)

__version__ = "0.1.0"

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
    "__version__",
]
