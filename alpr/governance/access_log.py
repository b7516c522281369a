"""The access log (R20, R22): one record for every access, sign-in, privileged action and
view of the log itself. Records are only ever appended (the database refuses UPDATE, and
DELETE except by an anchored purge of records past retention); each carries a SHA-256 chained
to the record before it and an HMAC-SHA256 of the same content under a key kept outside the
database, so that whoever can write to the tables cannot recompute a record unnoticed."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from alpr.data.models import AccessLogMacStart, AccessRecord, PurgeRun
from alpr.governance import log_witness
from alpr.governance.justification import Justification
from alpr.governance.principal import Principal
from alpr.governance.runtime import LOG_KEY

GENESIS = "0" * 64


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
    REGISTRY_CHANGE = "registry_change"
    HOLD = "hold"
    PURGE = "purge"
    AUDIT = "audit"
    EXIGENT_REVIEW = "exigent_review"
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


def _content(fields: dict[str, Any]) -> bytes:
    payload = {name: _canonical(fields.get(name)) for name in _HASHED_FIELDS}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def record_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(_content(fields)).hexdigest()


def record_mac(key: bytes, fields: dict[str, Any]) -> str:
    """HMAC-SHA256 of the record's content and the hash it follows."""
    return hmac.new(key, _content(fields), hashlib.sha256).hexdigest()


def _log_key(session: Session) -> bytes:
    key = session.info.get(LOG_KEY)
    if not isinstance(key, bytes):
        raise RuntimeError("the access log's MAC key is not loaded: use Runtime.transaction()")
    return key


def digest_ids(ids: Sequence[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()


# Built once on the table (not the ORM entity): each append reuses its compiled form.
_RECORDS = cast(Table, AccessRecord.__table__)
_INSERT = insert(_RECORDS).returning(_RECORDS.c.id)


# Postgres: takes the chain lock until the transaction ends and returns the hash the next
# record follows; usable in RETURNING to save a round trip.
CHAIN_HEAD = func.alpr_access_chain_head()


def _chain_head(session: Session) -> str:
    """The hash the next record follows, with the chain locked until the transaction ends (on
    SQLite the write transaction itself is the lock)."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.execute(select(CHAIN_HEAD)).scalar_one())
    last = session.execute(
        select(AccessRecord.hash).order_by(AccessRecord.id.desc()).limit(1)
    ).scalar_one_or_none()
    return last or _anchor(session)


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
    chain_head: str | None = None,
) -> int:
    """Append one record to the chain, inside the caller's transaction; returns its id.
    ``chain_head`` is the hash to follow if the caller already took it, with the lock, in this
    transaction (``CHAIN_HEAD`` on Postgres)."""
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
        "result_ids": ids,
        "result_digest": digest_ids(ids) if ids is not None else None,
        "client_addr": client_addr or (principal.client_addr if principal else None),
        "detail": detail,
        "prev_hash": chain_head or _chain_head(session),
    }
    fields["hash"] = record_hash(fields)
    fields["mac"] = record_mac(_log_key(session), fields)
    record_id = int(session.execute(_INSERT, fields).scalar_one())
    session.info[log_witness.TAIL] = (record_id, fields["hash"])
    return record_id


def _anchor(session: Session) -> str:
    """The hash the first remaining record must follow: the genesis, or after retention has
    purged the oldest records, the hash of the last record purged (kept in the purge run)."""
    return anchor_run(session)[1]


def anchor_run(session: Session) -> tuple[int | None, str]:
    """The purge run whose anchor the chain starts from (None for the genesis), and the anchor."""
    anchor_value = PurgeRun.methods["access_log_anchor"].as_string()
    found = session.execute(
        select(PurgeRun.id, anchor_value)
        .where(PurgeRun.dry_run.is_(False), anchor_value.is_not(None))
        .order_by(PurgeRun.id.desc())
        .limit(1)
    ).first()
    return (found[0], str(found[1])) if found else (None, GENESIS)


def mac_start(session: Session) -> int:
    """The first record id that must carry a MAC (recorded when the log was keyed)."""
    first = session.execute(select(func.min(AccessLogMacStart.first_record_id))).scalar_one()
    return int(first) if first is not None else 1


@dataclass(frozen=True)
class ChainState:
    """What a checkpoint signs: the chain's extent and both of its ends."""

    records: int
    first_id: int | None
    last_id: int | None
    anchor: str  # the hash the first record follows
    head: str  # the hash the next record will follow


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_id: int | None
    problem: str | None
    state: ChainState | None = None


def verify(session: Session, *, key: bytes, mac_from_id: int) -> ChainReport:
    """Recompute the chain from its anchor; name the first record altered, removed, inserted
    out of order, or without a valid MAC (from ``mac_from_id`` on: records written before the
    log was keyed are checked by their hash alone)."""
    anchor = _anchor(session)
    expected_prev = anchor
    checked = 0
    first_id: int | None = None
    last_id: int | None = None
    rows = session.execute(select(AccessRecord).order_by(AccessRecord.id)).scalars()
    for record in rows.yield_per(2000):
        fields = {name: getattr(record, name) for name in _HASHED_FIELDS}
        problem = None
        if record.prev_hash != expected_prev:
            problem = (
                "does not follow the record before it: a record was removed or inserted out "
                "of order just before it"
            )
        elif record_hash(fields) != record.hash:
            problem = "was altered: its content no longer matches its hash"
        elif record.mac is None and record.id >= mac_from_id:
            problem = (
                f"has no MAC although every record from id {mac_from_id} on carries one: it was "
                "written or rewritten without the log's key"
            )
        elif record.mac is not None and not hmac.compare_digest(
            record.mac, record_mac(key, fields)
        ):
            problem = (
                "has a valid hash but not a valid MAC: it was rewritten or forged by someone "
                "without the log's key"
            )
        if problem:
            return ChainReport(False, checked, record.id, f"record {record.id} {problem}")
        expected_prev = record.hash
        first_id = record.id if first_id is None else first_id
        last_id = record.id
        checked += 1
    return ChainReport(
        True, checked, None, None, ChainState(checked, first_id, last_id, anchor, expected_prev)
    )
