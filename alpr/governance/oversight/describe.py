"""Access records in words, for the people who review them: what kind of act, which search
with which parameters, why, and what it returned. The sergeant's review and the audits share
these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from alpr.data.models import AccessRecord, FlagDisposition, Purpose
from alpr.governance.access_log import Event, Outcome
from alpr.governance.justification import PURPOSE_LABELS
from alpr.plates import PLATE_RE

EVENT_LABELS: dict[str, str] = {
    Event.SEARCH: "Search",
    Event.VIEW_READ: "Opened a read",
    Event.EXPORT: "Export",
    Event.SIGN_IN: "Sign-in",
    Event.SIGN_OUT: "Sign-out",
    Event.LOCKOUT: "Account locked",
    Event.UNLOCK: "Account unlocked",
    Event.USER_CHANGE: "Account change",
    Event.PERMISSION_CHANGE: "Permission change",
    Event.TRAINING_CHANGE: "Training record",
    Event.POLICY_CHANGE: "Policy change",
    Event.ACCESS_LOG_VIEW: "Access log viewed",
    Event.ALERT_REVIEW: "Alert review",
    Event.HOTLIST_CHANGE: "Hot-list change",
    Event.RELEASE: "Release of data",
    Event.REGISTRY_CHANGE: "Agency register change",
    Event.HOLD: "Legal hold",
    Event.PURGE: "Retention purge",
    Event.AUDIT: "Audit",
    Event.EXIGENT_REVIEW: "Exigent search review",
    Event.SYSTEM: "System upkeep",
}

OUTCOME_LABELS: dict[str, str] = {
    Outcome.ALLOWED: "Allowed",
    Outcome.REFUSED: "Refused",
    Outcome.SUCCESS: "Done",
    Outcome.FAILURE: "Failed",
}

KIND_LABELS: dict[str, str] = {
    "canvass": "Area canvass",
    "vehicle": "Vehicle description search",
    "correct_vehicle": "Vehicle description corrected",
    "plate": "Plate search",
    "history": "Plate history",
    "common": "Plates common to several scenes",
    "convoy": "Vehicles travelling together",
    "read_detail": "Read opened",
    "thumbnails": "Viewed plate or vehicle images",
    "plate_watch": "Hot-list entries and alerts of a plate",
    "correct_read": "Read corrected",
    "export": "Export of results",
    "alerts": "Alert monitoring",
    "evidence_export": "Evidence export",
    "release": "Release to a requester",
    "legal_hold": "Legal hold on a plate or an area",
    "access_log_export": "Export of access log records",
    "statistics_view": "Usage statistics viewed",
    "statistics_export": "Export of usage statistics",
}

_PARAM_LABELS: dict[str, str] = {
    "plate": "Plate",
    "pattern": "Plate or pattern",
    "fuzzy": "Look-alike characters",
    "substitution": "One character different",
    "start": "From",
    "end": "To",
    "before": "Older than",
    "min_confidence": "Minimum confidence",
    "area": "Area (lat, lon, radius m)",
    "camera_ids": "Cameras",
    "lat": "Centre latitude",
    "lon": "Centre longitude",
    "radius_m": "Radius (m)",
    "polygon": "Drawn area",
    "scenes": "Scenes",
    "within_s": "Within (seconds)",
    "min_times": "Seen together at least",
    "min_scenes": "In at least (scenes)",
    "read_id": "Read",
    "corrected_plate": "Corrected to",
    "reason": "Reason",
    "format": "Format",
    "rows": "Rows",
    "approved_by": "Approved beyond the bounds by",
    "approval_note": "Why approved",
    "release_request": "Release request",
    "since": "Since",
    "file": "File",
    "sha256": "File SHA-256",
    "record_ids": "Access records",
    "filter": "Found by the filter",
    "figure": "Figure",
    "days": "Period (days)",
}
_UNSHOWN = {"kind", "before_id", "after_id", "justification_given"}


def purpose_label(code: str | None) -> str:
    return PURPOSE_LABELS[Purpose(code)] if code else ""


def _when(value: str, tz: tzinfo) -> str:
    try:
        return datetime.fromisoformat(value).astimezone(tz).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return value


def _value(name: str, value: Any, tz: tzinfo) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name in {"start", "end", "before", "since"} and isinstance(value, str):
        return _when(value, tz)
    if name == "scenes" and isinstance(value, list):
        return "; ".join(
            f"{s['radius_m']:g} m around {s['lat']:.5f}, {s['lon']:.5f}, "
            f"{_when(s['start'], tz)} to {_when(s['end'], tz)}"
            for s in value
        )
    if isinstance(value, list):
        return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def parameters(query: dict[str, Any] | None, tz: tzinfo) -> list[tuple[str, str]]:
    """The parameters of an act as (label, value) pairs, the empty ones left out."""
    return [
        (_PARAM_LABELS.get(name, name.replace("_", " ").capitalize()), _value(name, value, tz))
        for name, value in (query or {}).items()
        if name not in _UNSHOWN
        and value not in (None, "", [], {})
        # Watching alerts records ``start: true`` (it started), not a date to show as "From".
        and not (name in {"start", "end"} and isinstance(value, bool))
    ]


def what(record: AccessRecord) -> str:
    """The act in a few words: the kind of search, or the kind of event."""
    kind = (record.query or {}).get("kind")
    if record.event in (Event.SEARCH, Event.VIEW_READ, Event.EXPORT) and kind:
        return KIND_LABELS.get(kind, str(kind).replace("_", " ").capitalize())
    return EVENT_LABELS.get(record.event, record.event.replace("_", " ").capitalize())


def searched_for(record: AccessRecord, tz: tzinfo) -> str:
    """One line saying what was asked: the plate, pattern or place, and the window."""
    query = record.query or {}
    subject = query.get("plate") or query.get("pattern")
    if subject is None and query.get("lat") is not None:
        # The place in the words the searcher chose it by, where the search kept them.
        centre = query.get("address") or f"{query['lat']:.4f}, {query['lon']:.4f}"
        subject = f"{query.get('radius_m', 0):g} m around {centre}"
    if subject is None and query.get("scenes"):
        places = [str(s["address"]) for s in query["scenes"] if s.get("address")]
        subject = f"{len(query['scenes'])} scenes" + (f" ({'; '.join(places)})" if places else "")
    if subject is None and query.get("read_id") is not None:
        subject = f"read {query['read_id']}"
    window = (
        f", {_when(query['start'], tz)} to {_when(query['end'], tz)}"
        if query.get("start") and query.get("end")
        else ""
    )
    return f"{subject}{window}" if subject else ""


def reason(record: AccessRecord) -> str:
    """The case number, or failing that the description given."""
    return record.case_number or record.description or ""


def plates_only(values: list[Any] | None) -> list[str]:
    """The plates among the values recorded: patterns typed (``7AB*``) are not plates."""
    return sorted({str(v) for v in values or [] if PLATE_RE.match(str(v))})


def patterns_only(values: list[Any] | None) -> list[str]:
    return sorted({str(v) for v in values or [] if not PLATE_RE.match(str(v))})


@dataclass(frozen=True)
class FlagView:
    id: int
    code: str
    label: str
    explanation: str
    disposition: FlagDisposition | None  # the latest finding's
    disposition_label: str
    note: str
    found_by: str


FLAG_LABELS: dict[str, str] = {
    "reused_justification": "Reused justification",
    "thin_justification": "Thin justification",
    "repeated_plate": "Repeated plate look-ups",
    "off_shift": "Off shift",
    "volume_outlier": "Unusual volume",
    "colleague_plate": "Colleague's plate",
    "lapsed_training": "Training lapsed",
}
