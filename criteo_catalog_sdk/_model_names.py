"""The names of the request and response models the package exports: ``criteo_catalog_sdk.models.__all__``.

Repeated here, apart from the models, so that ``import criteo_catalog_sdk`` can export them without
loading the generated package (about a quarter of the import's time); each loads on first use.
``tests/test_models.py`` checks that the two lists agree.
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
