"""Claim an idempotency key before doing the work; the answer is stored with its order."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from emporium.orders.idempotency.exceptions import IdempotencyKeyInProgress, IdempotencyKeyReused
from emporium.orders.idempotency.models import IdempotencyRecord, IdempotencyState
from emporium.servicekit.errors import Conflict

_record = IdempotencyRecord.metadata.tables["idempotency_record"]

# Built once on the table (Core, no ORM bulk machinery): every order claims a key. The
# answer is stored with the confirmed order (`placement.confirmation.confirm_order`).
_CLAIM = (
    insert(_record)
    .values(
        id=bindparam("id"),
        user_id=bindparam("user_id"),
        key=bindparam("key"),
        request_hash=bindparam("request_hash"),
        state=IdempotencyState.PROCESSING,
        order_id=bindparam("order_id"),
        locked_until=bindparam("locked_until"),
    )
    .on_conflict_do_nothing(index_elements=[_record.c.user_id, _record.c.key])
    .returning(_record.c.id, _record.c.order_id)
)


@dataclass(frozen=True, slots=True)
class Claim:
    """This request owns the key; `order_id` is the id its order has (or will get)."""

    record_id: uuid.UUID
    order_id: uuid.UUID
    redrive: bool = False
    """An earlier try may already have sent this order to the catalog (its outcome unknown)."""


@dataclass(frozen=True, slots=True)
class Replay:
    """The key was used before with the same body: answer exactly as then."""

    status: int
    body: str
    order_id: uuid.UUID


def fingerprint(payload: Any) -> str:
    """A stable hash of a JSON-able request payload."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def claim(
    *,
    session: AsyncSession,
    user_id: uuid.UUID,
    key: str,
    request_hash: str,
    lease_seconds: float,
) -> Claim | Replay:
    """Take the key in the caller's transaction, or say why not (replay, 409, 422).

    A key whose earlier attempt failed is taken over with a fresh order id, so a retry never
    reuses an order id whose stock was given back. A key whose holder ended without knowing
    the outcome (or died: its lease ran out) is taken over with the same order id, so the
    retry re-drives the same idempotent catalog call and learns what it did.
    """
    now = datetime.now(UTC)
    locked_until = now + timedelta(seconds=lease_seconds)
    inserted = await session.execute(
        _CLAIM,
        {
            "id": uuid.uuid4(),
            "user_id": user_id,
            "key": key,
            "request_hash": request_hash,
            "order_id": uuid.uuid4(),
            "locked_until": locked_until,
        },
    )
    row = inserted.first()
    if row is not None:
        return Claim(record_id=row.id, order_id=row.order_id)
    record = await session.scalar(
        select(IdempotencyRecord)
        .where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
        .with_for_update()
    )
    if record is None:  # the other request's claim was rolled back just now
        raise Conflict("Retry this request.", headers={"Retry-After": "1"})
    if record.request_hash != request_hash:
        raise IdempotencyKeyReused()
    if record.state is IdempotencyState.COMPLETED:
        assert record.response_status is not None
        assert record.response_body is not None
        return Replay(
            status=record.response_status,
            body=record.response_body,
            order_id=record.order_id,
        )
    if record.state is IdempotencyState.PROCESSING and record.locked_until > now:
        raise IdempotencyKeyInProgress()
    redrive = record.state is IdempotencyState.PROCESSING
    if not redrive:
        record.order_id = uuid.uuid4()
    record.state = IdempotencyState.PROCESSING
    record.locked_until = locked_until
    await session.flush()
    return Claim(record_id=record.id, order_id=record.order_id, redrive=redrive)


async def record_of_order(
    *, session: AsyncSession, order_id: uuid.UUID
) -> IdempotencyRecord | None:
    """The key record whose current attempt is `order_id`, locked; None once it moved on."""
    return await session.scalar(
        select(IdempotencyRecord)
        .where(IdempotencyRecord.order_id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


# Plain UPDATEs: the session never reads these rows back, so nothing needs synchronising
# (the ORM would otherwise evaluate each WHERE against every loaded object).


async def reopen(*, session: AsyncSession, claim: Claim) -> None:
    """In the caller's transaction: no order came of `claim`, so a retry may take the key."""
    await _release_claim(session, claim, state=IdempotencyState.FAILED)


async def let_go(*, session: AsyncSession, claim: Claim) -> None:
    """In the caller's transaction: the outcome is unknown, so a retry may take the key now
    and re-drive the same order (the lease no longer keeps it waiting)."""
    await _release_claim(session, claim)


async def _release_claim(session: AsyncSession, claim: Claim, **values: Any) -> None:
    """End `claim`'s lease now (and set `values`), unless the key has moved on meanwhile."""
    await session.execute(
        update(IdempotencyRecord)
        .where(
            IdempotencyRecord.id == claim.record_id,
            IdempotencyRecord.order_id == claim.order_id,
            IdempotencyRecord.state == IdempotencyState.PROCESSING,
        )
        .values(locked_until=datetime.now(UTC), **values)
        .execution_options(synchronize_session=False)
    )
