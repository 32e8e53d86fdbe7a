from typing import Literal

ReportDetailWarningType = Literal["InvalidBadgeUrl", "OverlargeBadgeUrl"]

REPORT_DETAIL_WARNING_TYPE_VALUES: set[ReportDetailWarningType] = {
    "InvalidBadgeUrl",
    "OverlargeBadgeUrl",
}


def check_report_detail_warning_type(value: str) -> ReportDetailWarningType:
    if value in REPORT_DETAIL_WARNING_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORT_DETAIL_WARNING_TYPE_VALUES!r}")
