from typing import Literal

ReservationStatus = Literal["confirmed", "expired", "pending", "released"]

RESERVATION_STATUS_VALUES: set[ReservationStatus] = {
    "confirmed",
    "expired",
    "pending",
    "released",
}


def check_reservation_status(value: str) -> ReservationStatus:
    if value in RESERVATION_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RESERVATION_STATUS_VALUES!r}")
