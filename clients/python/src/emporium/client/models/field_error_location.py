from typing import Literal

FieldErrorLocation = Literal["body", "cookie", "header", "path", "query"]

FIELD_ERROR_LOCATION_VALUES: set[FieldErrorLocation] = {
    "body",
    "cookie",
    "header",
    "path",
    "query",
}


def check_field_error_location(value: str) -> FieldErrorLocation:
    if value in FIELD_ERROR_LOCATION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {FIELD_ERROR_LOCATION_VALUES!r}")
