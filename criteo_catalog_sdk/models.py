"""The request and response models, re-exported from the generated package.

Import them from here (or from ``criteo_catalog_sdk``), never from ``criteo_catalog_sdk._generated``:
this module is the one deliberate coupling point to generated names, so a regeneration that
renames a model breaks here, loudly, and nowhere else.

They are the models of the default API generation (``api_versions.DEFAULT_API_VERSION``; a test
checks the two agree); another generation's are ``get_api_version(name).models``.

Each name is imported ``as`` itself, an explicit re-export for type checkers, since ``__all__`` comes
from :mod:`criteo_catalog_sdk._model_names` (which ``import criteo_catalog_sdk`` reads without loading
these models).
"""

# ruff: noqa: I001 - one block of re-exports (isort would split each "X as X" into a statement of its own)

from criteo_catalog_sdk._generated.preview.models import (
    BatchAcceptedResponse as BatchAcceptedResponse,
    CatalogErrorResponse as CatalogErrorResponse,
    CatalogProblem as CatalogProblem,
    CustomAttribute as CustomAttribute,
    Installment as Installment,
    LoyaltyPoints as LoyaltyPoints,
    Price as Price,
    Product as Product,
    ProductsCustomBatchRequest as ProductsCustomBatchRequest,
    ProductsCustomBatchRequestEntry as ProductsCustomBatchRequestEntry,
    ProductShipping as ProductShipping,
    ProductShippingDimension as ProductShippingDimension,
    ProductShippingWeight as ProductShippingWeight,
    ProductTax as ProductTax,
    ProductUnitPricingBaseMeasure as ProductUnitPricingBaseMeasure,
    ProductUnitPricingMeasure as ProductUnitPricingMeasure,
    ReportDetailError as ReportDetailError,
    ReportDetailErrors as ReportDetailErrors,
    ReportDetailWarning as ReportDetailWarning,
    ReportDetailWarnings as ReportDetailWarnings,
    ReportOkResponse as ReportOkResponse,
    StatisticsOkResponse as StatisticsOkResponse,
    StatisticsRecord as StatisticsRecord,
)
from criteo_catalog_sdk._generated.preview.types import UNSET as UNSET, Unset as Unset
from criteo_catalog_sdk._model_names import MODEL_NAMES

__all__ = list(MODEL_NAMES)  # the names imported above, as re-exports (a test checks the two agree)
