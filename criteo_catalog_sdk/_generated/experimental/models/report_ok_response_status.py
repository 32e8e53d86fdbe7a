from typing import Literal

ReportOkResponseStatus = Literal["ACCEPTED", "FAILED", "IN_PROGRESS", "VALIDATED", "VALIDATED_WITH_ERRORS"]

REPORT_OK_RESPONSE_STATUS_VALUES: set[ReportOkResponseStatus] = {
    "ACCEPTED",
    "FAILED",
    "IN_PROGRESS",
    "VALIDATED",
    "VALIDATED_WITH_ERRORS",
}


def check_report_ok_response_status(value: str) -> ReportOkResponseStatus:
    if value in REPORT_OK_RESPONSE_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORT_OK_RESPONSE_STATUS_VALUES!r}")
