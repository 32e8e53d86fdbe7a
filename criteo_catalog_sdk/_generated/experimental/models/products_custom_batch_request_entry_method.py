from typing import Literal

ProductsCustomBatchRequestEntryMethod = Literal["delete", "insert"]

PRODUCTS_CUSTOM_BATCH_REQUEST_ENTRY_METHOD_VALUES: set[ProductsCustomBatchRequestEntryMethod] = {
    "delete",
    "insert",
}


def check_products_custom_batch_request_entry_method(value: str) -> ProductsCustomBatchRequestEntryMethod:
    if value in PRODUCTS_CUSTOM_BATCH_REQUEST_ENTRY_METHOD_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PRODUCTS_CUSTOM_BATCH_REQUEST_ENTRY_METHOD_VALUES!r}"
    )
