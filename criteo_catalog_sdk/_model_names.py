"""The names of the request and response models the package exports (:mod:`criteo_catalog_sdk.models`).

Listed here, apart from the models, so that ``import criteo_catalog_sdk`` can export them without
loading the generated package (about a quarter of the import's time); each loads on first use.
"""

from __future__ import annotations

from typing import Final

MODEL_NAMES: Final[tuple[str, ...]] = (
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
)
