"""Criteo Catalog SDK: push product catalogs to Criteo's Catalog Product Importer API.

The public surface: the request/response models (from :mod:`criteo_catalog_sdk.models`), the
clients (:class:`CatalogClient`, :class:`AsyncCatalogClient`), their policies, reports and errors.
"""

import importlib
from typing import TYPE_CHECKING, Any

from criteo_catalog_sdk.api_versions import API_VERSIONS, DEFAULT_API_VERSION, ApiVersion, get_api_version
from criteo_catalog_sdk.async_client import AsyncCatalogClient
from criteo_catalog_sdk.auth import ClientCredentialsAuth
from criteo_catalog_sdk.client import CatalogClient
from criteo_catalog_sdk.errors import (
    ApiError,
    ApiVersionGoneError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    CriteoError,
    InsecureTransportError,
    InvalidBatchError,
    InvalidRequestError,
    MalformedOperationTokenError,
    NotFoundError,
    OperationNotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    Problem,
    RateLimitError,
    ReportExpiredError,
    ResponseValidationError,
    ServerError,
    TimeoutError,
    TransportError,
    UnsupportedOperationError,
)
from criteo_catalog_sdk.issue import Issue
from criteo_catalog_sdk.lifecycle import Deprecation
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
    Unset,
)
from criteo_catalog_sdk.polling import PollPolicy, ReportTimeoutError
from criteo_catalog_sdk.report import ProductErrors, ProductWarnings, Report, ReportIssue, Stats, StatsRecord
from criteo_catalog_sdk.retry import RetryPolicy

if TYPE_CHECKING:
    from criteo_catalog_sdk.push.options import PushOptions
    from criteo_catalog_sdk.push.pipeline import PushAborted
    from criteo_catalog_sdk.push.progress import ProgressEvent
    from criteo_catalog_sdk.push.result import ProductOutcome, PushResult, Summary

__version__ = "0.1.0"

# The push names load on first use: ``import criteo_catalog_sdk`` stays free of SQLite and the pipeline.
_LAZY = {
    "PushOptions": "criteo_catalog_sdk.push.options",
    "ProductOutcome": "criteo_catalog_sdk.push.result",
    "PushResult": "criteo_catalog_sdk.push.result",
    "Summary": "criteo_catalog_sdk.push.result",
    "ProgressEvent": "criteo_catalog_sdk.push.progress",
    "PushAborted": "criteo_catalog_sdk.push.pipeline",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "API_VERSIONS",
    "DEFAULT_API_VERSION",
    "UNSET",
    "ApiError",
    "ApiVersion",
    "ApiVersionGoneError",
    "AsyncCatalogClient",
    "AuthenticationError",
    "BadRequestError",
    "BatchAcceptedResponse",
    "CatalogClient",
    "CatalogErrorResponse",
    "CatalogProblem",
    "ClientCredentialsAuth",
    "ConfigurationError",
    "CriteoError",
    "CustomAttribute",
    "Deprecation",
    "InsecureTransportError",
    "Installment",
    "InvalidBatchError",
    "InvalidRequestError",
    "Issue",
    "LoyaltyPoints",
    "MalformedOperationTokenError",
    "NotFoundError",
    "OperationNotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PollPolicy",
    "Price",
    "Problem",
    "Product",
    "ProductErrors",
    "ProductOutcome",
    "ProductShipping",
    "ProductShippingDimension",
    "ProductShippingWeight",
    "ProductTax",
    "ProductUnitPricingBaseMeasure",
    "ProductUnitPricingMeasure",
    "ProductWarnings",
    "ProductsCustomBatchRequest",
    "ProductsCustomBatchRequestEntry",
    "ProgressEvent",
    "PushAborted",
    "PushOptions",
    "PushResult",
    "RateLimitError",
    "Report",
    "ReportDetailError",
    "ReportDetailErrors",
    "ReportDetailWarning",
    "ReportDetailWarnings",
    "ReportExpiredError",
    "ReportIssue",
    "ReportOkResponse",
    "ReportTimeoutError",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "StatisticsOkResponse",
    "StatisticsRecord",
    "Stats",
    "StatsRecord",
    "Summary",
    "TimeoutError",
    "TransportError",
    "Unset",
    "UnsupportedOperationError",
    "__version__",
    "get_api_version",
]
