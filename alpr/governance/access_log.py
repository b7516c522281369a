"""The access log (R20, R22): one record for every access, sign-in, privileged action and
view of the log itself. Records are only ever appended (the database refuses UPDATE and
DELETE) and each carries a SHA-256 chained to the record before it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from alpr.data.models import AccessRecord, PurgeRun
from alpr.governance.justification import Justification
from alpr.governance.principal import Principal

GENESIS = "0" * 64
MAX_IDS_KEPT = 5000


class Event(StrEnum):
    SEARCH = "search"
    VIEW_READ = "view_read"
    EXPORT = "export"
    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"
    LOCKOUT = "lockout"
    UNLOCK = "unlock"
    USER_CHANGE = "user_change"
    PERMISSION_CHANGE = "permission_change"
    TRAINING_CHANGE = "training_change"
    POLICY_CHANGE = "policy_change"
    ACCESS_LOG_VIEW = "access_log_view"
    ALERT_REVIEW = "alert_review"
    HOTLIST_CHANGE = "hotlist_change"
    RELEASE = "release"
    HOLD = "hold"
    PURGE = "purge"
    AUDIT = "audit"
    SYSTEM = "system"


class Outcome(StrEnum):
    ALLOWED = "allowed"
    REFUSED = "refused"
    SUCCESS = "success"
    FAILURE = "failure"


_HASHED_FIELDS = (
    "at",
    "event",
    "outcome",
    "user_id",
    "username",
    "agency_name",
    "purpose",
    "case_number",
    "description",
    "exigent",
    "search_id",
    "query",
    "plates",
    "result_count",
    "result_ids",
    "result_digest",
    "client_addr",
    "detail",
    "prev_hash",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, StrEnum):
        return value.value
    return value


def record_hash(fields: dict[str, Any]) -> str:
    payload = {name: _canonical(fields.get(name)) for name in _HASHED_FIELDS}
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def digest_ids(ids: Sequence[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7274261)"))


def append(
    session: Session,
    *,
    at: datetime,
    event: Event,
    outcome: Outcome,
    principal: Principal | None = None,
    username: str | None = None,
    justification: Justification | None = None,
    search_id: int | None = None,
    query: dict[str, Any] | None = None,
    plates: Sequence[str] | None = None,
    result_ids: Sequence[int] | None = None,
    result_count: int | None = None,
    client_addr: str | None = None,
    detail: str | None = None,
) -> AccessRecord:
    """Append one record to the chain, inside the caller's transaction."""
    _lock_chain(session)
    last = session.execute(
        select(AccessRecord.hash).order_by(AccessRecord.id.desc()).limit(1)
    ).scalar_one_or_none()
    ids = list(result_ids) if result_ids is not None else None
    fields: dict[str, Any] = {
        "at": at,
        "event": event.value,
        "outcome": outcome.value,
        "user_id": principal.user_id if principal else None,
        "username": principal.username if principal else (username or "system"),
        "agency_name": principal.agency_name if principal else None,
        "purpose": justification.purpose.value if justification else None,
        "case_number": justification.case_number if justification else None,
        "description": justification.description if justification else None,
        "exigent": justification.exigent if justification else False,
        "search_id": search_id,
        "query": query,
        "plates": sorted(set(plates)) if plates else None,
        "result_count": result_count
        if result_count is not None
        else (len(ids) if ids is not None else None),
        "result_ids": ids[:MAX_IDS_KEPT] if ids is not None else None,
        "result_digest": digest_ids(ids) if ids is not None else None,
        "client_addr": client_addr or (principal.client_addr if principal else None),
        "detail": detail,
        "prev_hash": last or _anchor(session),
    }
    fields["hash"] = record_hash(fields)
    record = AccessRecord(**fields)
    session.add(record)
    session.flush()
    return record


def _anchor(session: Session) -> str:
    """The hash the first remaining record must follow: the genesis, or after retention has
    purged the oldest records, the hash of the last record purged (kept in the purge run)."""
    anchor_value = PurgeRun.methods["access_log_anchor"].as_string()
    anchor = session.execute(
        select(anchor_value)
        .where(PurgeRun.dry_run.is_(False), anchor_value.is_not(None))
        .order_by(PurgeRun.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return anchor or GENESIS


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None
    problem: str | None


def verify(session: Session) -> ChainReport:
    """Recompute the chain; name the first record altered, removed or inserted out of order."""
    expected_prev = _anchor(session)
    checked = 0
    rows = session.execute(select(AccessRecord).order_by(AccessRecord.id)).scalars()
    for record in rows.yield_per(2000):
        fields = {name: getattr(record, name) for name in _HASHED_FIELDS}
        if record.prev_hash != expected_prev:
            return ChainReport(
                False,
                checked,
                record.id,
                f"record {record.id} does not follow the record before it: a record was "
                "removed or inserted out of order just before it",
            )
        if record_hash(fields) != record.hash:
            return ChainReport(
                False,
                checked,
                record.id,
                f"record {record.id} was altered: its content no longer matches its hash",
            )
        expected_prev = record.hash
        checked += 1
    return ChainReport(True, checked, None, None)
