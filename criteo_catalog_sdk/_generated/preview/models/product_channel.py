from typing import Literal

ProductChannel = Literal["online"]

PRODUCT_CHANNEL_VALUES: set[ProductChannel] = {
    "online",
}


def check_product_channel(value: str) -> ProductChannel:
    if value in PRODUCT_CHANNEL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PRODUCT_CHANNEL_VALUES!r}")
