from typing import Literal

ReportDetailErrorType = Literal[
    "ConfigurationError",
    "InvalidBigImageUrl",
    "InvalidProductId",
    "InvalidProductUrl",
    "InvalidSmallImageUrl",
    "JsonParsingIssue",
    "MissingID",
    "MissingImages",
    "MissingName",
    "MissingURL",
    "NonAsciiId",
    "OverlargeBigImage",
    "OverlargeID",
    "OverlargeSmallImage",
    "OverlargeURL",
    "UnknownError",
]

REPORT_DETAIL_ERROR_TYPE_VALUES: set[ReportDetailErrorType] = {
    "ConfigurationError",
    "InvalidBigImageUrl",
    "InvalidProductId",
    "InvalidProductUrl",
    "InvalidSmallImageUrl",
    "JsonParsingIssue",
    "MissingID",
    "MissingImages",
    "MissingName",
    "MissingURL",
    "NonAsciiId",
    "OverlargeBigImage",
    "OverlargeID",
    "OverlargeSmallImage",
    "OverlargeURL",
    "UnknownError",
}


def check_report_detail_error_type(value: str) -> ReportDetailErrorType:
    if value in REPORT_DETAIL_ERROR_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORT_DETAIL_ERROR_TYPE_VALUES!r}")
