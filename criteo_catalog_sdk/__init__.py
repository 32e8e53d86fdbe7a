"""Criteo Catalog SDK: push product catalogs to Criteo's Catalog Product Importer API.

The public surface: the request/response models (from :mod:`criteo_catalog_sdk.models`), the
clients (:class:`CatalogClient`, :class:`AsyncCatalogClient`), their policies, reports and errors.
"""

from typing import TYPE_CHECKING

from criteo_catalog_sdk._lazy import lazy_exports
from criteo_catalog_sdk._model_names import MODEL_NAMES
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
from criteo_catalog_sdk.polling import PollPolicy, ReportTimeoutError
from criteo_catalog_sdk.report import ProductErrors, ProductWarnings, Report, ReportIssue
from criteo_catalog_sdk.retry import RetryPolicy
from criteo_catalog_sdk.stats import Stats, StatsRecord

if TYPE_CHECKING:
    from criteo_catalog_sdk import models as models
    from criteo_catalog_sdk.models import *  # noqa: F403 - the request/response models: models.__all__
    from criteo_catalog_sdk.push.options import PushOptions
    from criteo_catalog_sdk.push.pipeline import PushAborted
    from criteo_catalog_sdk.push.progress import ProgressEvent
    from criteo_catalog_sdk.push.result import ProductOutcome, PushResult, Summary

__version__ = "0.1.0"

# The push names load on first use: ``import criteo_catalog_sdk`` stays free of SQLite and the pipeline;
# so do the models (the generated package): a quarter of the import's time.
_LAZY = {
    "models": "criteo_catalog_sdk.models",
    **dict.fromkeys(MODEL_NAMES, "criteo_catalog_sdk.models"),
    "PushOptions": "criteo_catalog_sdk.push.options",
    "ProductOutcome": "criteo_catalog_sdk.push.result",
    "PushResult": "criteo_catalog_sdk.push.result",
    "Summary": "criteo_catalog_sdk.push.result",
    "ProgressEvent": "criteo_catalog_sdk.push.progress",
    "PushAborted": "criteo_catalog_sdk.push.pipeline",
}
__getattr__ = lazy_exports(__name__, _LAZY)


__all__ = [
    "API_VERSIONS",
    "DEFAULT_API_VERSION",
    "ApiError",
    "ApiVersion",
    "ApiVersionGoneError",
    "AsyncCatalogClient",
    "AuthenticationError",
    "BadRequestError",
    "CatalogClient",
    "ClientCredentialsAuth",
    "ConfigurationError",
    "CriteoError",
    "Deprecation",
    "InsecureTransportError",
    "InvalidBatchError",
    "InvalidRequestError",
    "Issue",
    "MalformedOperationTokenError",
    "NotFoundError",
    "OperationNotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PollPolicy",
    "Problem",
    "ProductErrors",
    "ProductOutcome",
    "ProductWarnings",
    "ProgressEvent",
    "PushAborted",
    "PushOptions",
    "PushResult",
    "RateLimitError",
    "Report",
    "ReportExpiredError",
    "ReportIssue",
    "ReportTimeoutError",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "Stats",
    "StatsRecord",
    "Summary",
    "TimeoutError",
    "TransportError",
    "UnsupportedOperationError",
    "__version__",
    "get_api_version",
]
# and every request/response model: type checkers read the models module's list (they follow
# ``__all__ += module.__all__``), the interpreter the copy that does not load them.
if TYPE_CHECKING:
    __all__ += models.__all__
else:
    __all__ += MODEL_NAMES
