"""Contains all the data models used in inputs/outputs"""

from .batch_accepted_response import BatchAcceptedResponse
from .catalog_error_response import CatalogErrorResponse
from .catalog_problem import CatalogProblem
from .custom_attribute import CustomAttribute
from .installment import Installment
from .loyalty_points import LoyaltyPoints
from .price import Price
from .product import Product
from .product_channel import ProductChannel
from .product_filters import ProductFilters
from .product_importer_error import ProductImporterError
from .product_importer_warning import ProductImporterWarning
from .product_shipping import ProductShipping
from .product_shipping_dimension import ProductShippingDimension
from .product_shipping_weight import ProductShippingWeight
from .product_tax import ProductTax
from .product_unit_pricing_base_measure import ProductUnitPricingBaseMeasure
from .product_unit_pricing_measure import ProductUnitPricingMeasure
from .products_custom_batch_request import ProductsCustomBatchRequest
from .products_custom_batch_request_entry import ProductsCustomBatchRequestEntry
from .products_custom_batch_request_entry_method import ProductsCustomBatchRequestEntryMethod
from .report_detail_error import ReportDetailError
from .report_detail_error_type import ReportDetailErrorType
from .report_detail_errors import ReportDetailErrors
from .report_detail_warning import ReportDetailWarning
from .report_detail_warning_type import ReportDetailWarningType
from .report_detail_warnings import ReportDetailWarnings
from .report_ok_response import ReportOkResponse
from .report_ok_response_status import ReportOkResponseStatus
from .statistics_ok_response import StatisticsOkResponse
from .statistics_record import StatisticsRecord
from .statistics_record_list_type_0 import StatisticsRecordListType0

__all__ = (
    "BatchAcceptedResponse",
    "CatalogErrorResponse",
    "CatalogProblem",
    "CustomAttribute",
    "Installment",
    "LoyaltyPoints",
    "Price",
    "Product",
    "ProductChannel",
    "ProductFilters",
    "ProductImporterError",
    "ProductImporterWarning",
    "ProductsCustomBatchRequest",
    "ProductsCustomBatchRequestEntry",
    "ProductsCustomBatchRequestEntryMethod",
    "ProductShipping",
    "ProductShippingDimension",
    "ProductShippingWeight",
    "ProductTax",
    "ProductUnitPricingBaseMeasure",
    "ProductUnitPricingMeasure",
    "ReportDetailError",
    "ReportDetailErrors",
    "ReportDetailErrorType",
    "ReportDetailWarning",
    "ReportDetailWarnings",
    "ReportDetailWarningType",
    "ReportOkResponse",
    "ReportOkResponseStatus",
    "StatisticsOkResponse",
    "StatisticsRecord",
    "StatisticsRecordListType0",
)
