from typing import Literal

ProductSort = Literal["-name", "-price", "name", "newest", "price"]

PRODUCT_SORT_VALUES: set[ProductSort] = {
    "-name",
    "-price",
    "name",
    "newest",
    "price",
}


def check_product_sort(value: str) -> ProductSort:
    if value in PRODUCT_SORT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PRODUCT_SORT_VALUES!r}")
