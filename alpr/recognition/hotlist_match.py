"""Matching reads against every active hot-list entry in the worker's memory: exact plates in
a dictionary, partial entries indexed by length and wildcard positions (``*`` patterns by
regular expression), and OCR-confusion variants for entries that ask for them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from alpr.data.dialect import insert_ignoring_duplicates
from alpr.data.models import Alert, HotList, HotListEntry, MatchKind, Priority
from alpr.plates import PlatePattern, confusion_key
from alpr.recognition.webhooks import enqueue


@dataclass(frozen=True)
class Match:
    entry_id: int
    hot_list_id: int
    priority: Priority
    kind: MatchKind
    pattern: str


@dataclass(frozen=True)
class ReadRef:
    read_id: int
    captured_at: datetime
    plate: str
    camera_id: int


@dataclass(frozen=True)
class _Entry:
    id: int
    list_id: int
    priority: Priority
    pattern: str


class HotListMatcher:
    def __init__(
        self, entries: Sequence[tuple[_Entry, bool]], stale: Sequence[tuple[int, str]] = ()
    ) -> None:
        self.exact: dict[str, list[_Entry]] = defaultdict(list)
        self.exact_confusion: dict[str, list[_Entry]] = defaultdict(list)
        # fixed-length partial patterns, indexed by length and known positions, then by the
        # known characters (and by their confusion key for entries that ask for it): a plate
        # is checked with one dictionary look-up per distinct set of positions.
        self.fixed: dict[int, dict[tuple[int, ...], dict[str, list[_Entry]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(list))
        )
        self.fixed_confusion: dict[int, dict[tuple[int, ...], dict[str, list[_Entry]]]] = (
            defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        )
        # patterns with a run wildcard, indexed by their literal prefix (plate and confusion key)
        self.runs: dict[str, list[tuple[re.Pattern[str], _Entry]]] = defaultdict(list)
        self.runs_confusion: dict[str, list[tuple[re.Pattern[str], _Entry]]] = defaultdict(list)
        self.stale_lists = [name for _, name in stale]
        self.stale_list_ids = {list_id for list_id, _ in stale}
        for entry, confusions in entries:
            pattern = PlatePattern(entry.pattern)
            if not pattern.is_partial:
                self.exact[entry.pattern].append(entry)
                if confusions:
                    self.exact_confusion[confusion_key(entry.pattern)].append(entry)
            elif "*" in entry.pattern:
                prefix = re.split(r"[?*]", entry.pattern)[0]
                self.runs[prefix].append((pattern.regex(), entry))
                if confusions:
                    fuzzy = pattern.confusion_pattern()
                    self.runs_confusion[confusion_key(prefix)].append((fuzzy.regex(), entry))
            else:
                positions = tuple(i for i, ch in enumerate(entry.pattern) if ch != "?")
                chars = "".join(entry.pattern[i] for i in positions)
                self.fixed[len(entry.pattern)][positions][chars].append(entry)
                if confusions:
                    self.fixed_confusion[len(entry.pattern)][positions][
                        confusion_key(chars)
                    ].append(entry)

    @classmethod
    def load(cls, session: Session, *, now: datetime, freshness_hours: int = 24) -> HotListMatcher:
        rows = session.execute(
            select(
                HotListEntry.id,
                HotListEntry.hot_list_id,
                HotListEntry.priority,
                HotListEntry.pattern,
                HotListEntry.match_confusions,
            )
            .join(HotList, HotList.id == HotListEntry.hot_list_id)
            .where(
                HotList.enabled.is_(True),
                HotListEntry.removed_at.is_(None),
                or_(HotListEntry.expires_at.is_(None), HotListEntry.expires_at > now),
            )
        ).all()
        stale = [
            (list_id, name)
            for list_id, name, refreshed in session.execute(
                select(HotList.id, HotList.name, HotList.refreshed_at).where(
                    HotList.enabled.is_(True)
                )
            ).all()
            if refreshed is None or now - refreshed > timedelta(hours=freshness_hours)
        ]
        return cls([(_Entry(i, lst, pri, pat), conf) for i, lst, pri, pat, conf in rows], stale)

    def match(self, plate: str) -> list[Match]:
        found: dict[int, Match] = {}

        def add(entry: _Entry, kind: MatchKind) -> None:
            if entry.id not in found:
                found[entry.id] = Match(
                    entry.id, entry.list_id, entry.priority, kind, entry.pattern
                )

        for entry in self.exact.get(plate, ()):
            add(entry, MatchKind.EXACT)
        key = confusion_key(plate)
        for entry in self.exact_confusion.get(key, ()):
            add(entry, MatchKind.CONFUSION)
        for positions, by_chars in self.fixed.get(len(plate), {}).items():
            for entry in by_chars.get("".join(plate[i] for i in positions), ()):
                add(entry, MatchKind.PARTIAL)
        for positions, by_key in self.fixed_confusion.get(len(plate), {}).items():
            for entry in by_key.get("".join(key[i] for i in positions), ()):
                add(entry, MatchKind.CONFUSION)
        for length in range(len(plate) + 1):
            for regex, entry in self.runs.get(plate[:length], ()):
                if regex.match(plate):
                    add(entry, MatchKind.PARTIAL)
            for regex, entry in self.runs_confusion.get(key[:length], ()):
                if regex.match(key):
                    add(entry, MatchKind.CONFUSION)
        return list(found.values())


def create_alerts(
    session: Session,
    *,
    hits: Sequence[tuple[ReadRef, Sequence[Match]]],
    now: datetime,
    retro: bool = False,
    stale_list_ids: Sequence[int] | set[int] = (),
) -> int:
    """One alert per (read, entry); an alert that exists already is left as it is."""
    rows = [
        {
            "read_id": ref.read_id,
            "read_captured_at": ref.captured_at,
            "entry_id": m.entry_id,
            "hot_list_id": m.hot_list_id,
            "plate": ref.plate,
            "camera_id": ref.camera_id,
            "match_kind": m.kind,
            "priority": m.priority,
            "is_retro": retro,
            "list_was_stale": m.hot_list_id in stale_list_ids,
            "created_at": now,
        }
        for ref, matches in hits
        for m in matches
    ]
    created = insert_ignoring_duplicates(session.connection(), Alert, rows)
    if created:
        alert_ids = list(
            session.execute(
                select(Alert.id).where(
                    Alert.created_at == now, Alert.read_id.in_([ref.read_id for ref, _ in hits])
                )
            ).scalars()
        )
        enqueue(session, alert_ids=alert_ids, now=now)
    return created
