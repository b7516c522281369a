"""Matching reads against every active hot-list entry in the worker's memory: exact plates in
a dictionary, partial entries indexed by length and wildcard positions (``*`` patterns by
regular expression), and OCR-confusion variants for entries that ask for them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from operator import itemgetter

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from alpr.data.dialect import insert_ignoring_duplicates
from alpr.data.models import Alert, HotList, HotListEntry, MatchKind, PolicySetting, Priority
from alpr.plates import PlatePattern, confusion_key
from alpr.policy import Policy, in_force
from alpr.recognition.webhooks import enqueue


def is_stale(refreshed_at: datetime | None, *, now: datetime, freshness_hours: int) -> bool:
    """A hot list is stale when it was never refreshed or not within the policy's hours (R14):
    the one meaning of "stale" for the worker, ingest, alerts and the hot-lists page."""
    return refreshed_at is None or now - refreshed_at > timedelta(hours=freshness_hours)


def stale_lists(
    session: Session, *, now: datetime, policy: Policy | None = None
) -> list[tuple[int, str]]:
    """The enabled hot lists that are stale under the Policy in force, by id and name."""
    policy = policy or in_force(PolicySetting.recorded(session))
    freshness_hours = policy.hotlist_freshness_hours
    return [
        (list_id, name)
        for list_id, name, refreshed in session.execute(
            select(HotList.id, HotList.name, HotList.refreshed_at).where(HotList.enabled.is_(True))
        )
        if is_stale(refreshed, now=now, freshness_hours=freshness_hours)
    ]


@dataclass(frozen=True)
class Match:
    entry_id: int
    hot_list_id: int
    priority: Priority
    kind: MatchKind
    pattern: str
    alternative: str | None = None  # the other reading of the read that matched, if not its plate
    alternative_score: float | None = None


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
        self,
        entries: Sequence[tuple[_Entry, bool]],
        stale: Sequence[tuple[int, str]] = (),
        *,
        alternative_min_score: float = 1.0,
    ) -> None:
        # Another reading of a read matches only when the reader gave it at least this score.
        self.alternative_min_score = alternative_min_score
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

        self._prepare()

    @classmethod
    def load(cls, session: Session, *, now: datetime) -> HotListMatcher:
        """The active entries of enabled lists, which lists are stale under the Policy in
        force, and the score it asks of another reading to match."""
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
        policy = in_force(PolicySetting.recorded(session))
        stale = stale_lists(session, now=now, policy=policy)
        return cls(
            [(_Entry(i, lst, pri, pat), conf) for i, lst, pri, pat, conf in rows],
            stale,
            alternative_min_score=policy.alert_alternative_min_score,
        )

    def _prepare(self) -> None:
        """Look-up plans built once per load: for each plate length, a function taking a plate
        to the characters at each set of known positions (as the index of those characters is
        keyed), and the run-prefix lengths in use."""

        def probes(
            index: dict[int, dict[tuple[int, ...], dict[str, list[_Entry]]]],
        ) -> dict[int, list[tuple[Callable[[str], object], dict[object, list[_Entry]]]]]:
            return {
                length: [
                    (_chars_at(positions), {_probe_key(c): es for c, es in by_chars.items()})
                    for positions, by_chars in by.items()
                ]
                for length, by in index.items()
            }

        self._fixed_probes = probes(self.fixed)
        self._fixed_confusion_probes = probes(self.fixed_confusion)
        self._run_lengths = sorted({len(prefix) for prefix in self.runs})
        self._run_confusion_lengths = sorted({len(prefix) for prefix in self.runs_confusion})
        self._uses_key = bool(self.exact_confusion or self.fixed_confusion or self.runs_confusion)

    def match(self, plate: str) -> list[Match]:
        # Every read of every camera comes here: most match nothing, so nothing is built
        # until an index names an entry.
        found: list[tuple[_Entry, MatchKind]] = []
        key = confusion_key(plate) if self._uses_key else plate
        entries: Sequence[_Entry] | None = self.exact.get(plate)
        if entries:
            found.extend((e, MatchKind.EXACT) for e in entries)
        entries = self.exact_confusion.get(key)
        if entries:
            found.extend((e, MatchKind.CONFUSION) for e in entries)
        for chars_at, by_chars in self._fixed_probes.get(len(plate), ()):
            entries = by_chars.get(chars_at(plate))
            if entries:
                found.extend((e, MatchKind.PARTIAL) for e in entries)
        for chars_at, by_key in self._fixed_confusion_probes.get(len(plate), ()):
            entries = by_key.get(chars_at(key))
            if entries:
                found.extend((e, MatchKind.CONFUSION) for e in entries)
        for length in self._run_lengths:
            for regex, entry in self.runs.get(plate[:length], ()):
                if regex.match(plate):
                    found.append((entry, MatchKind.PARTIAL))
        for length in self._run_confusion_lengths:
            for regex, entry in self.runs_confusion.get(key[:length], ()):
                if regex.match(key):
                    found.append((entry, MatchKind.CONFUSION))
        if not found:
            return []
        matches: dict[int, Match] = {}
        for entry, kind in found:
            if entry.id not in matches:
                matches[entry.id] = Match(
                    entry.id, entry.list_id, entry.priority, kind, entry.pattern
                )
        return list(matches.values())

    def match_read(self, plate: str, others: Sequence[tuple[str, float]] = ()) -> list[Match]:
        """The entries a read matches by its plate, then those only another reading of it
        matches, each reading scored at least ``alternative_min_score``: such a match names
        the reading, and its alert is only possible (R13)."""
        found = self.match(plate)
        for other, score in others:
            if score < self.alternative_min_score:
                continue
            for match in self.match(other):
                if all(match.entry_id != m.entry_id for m in found):
                    found.append(replace(match, alternative=other, alternative_score=score))
        return found


def _probe_key(chars: str) -> object:
    """How a plate's characters at a set of known positions are looked up: as the tuple
    ``itemgetter`` gives for two positions or more, as the one character for one position."""
    return chars if len(chars) <= 1 else tuple(chars)


def _chars_at(positions: tuple[int, ...]) -> Callable[[str], object]:
    if not positions:
        return lambda plate: ""
    return itemgetter(*positions)


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
            "alternative": m.alternative,
            "alternative_score": m.alternative_score,
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
        enqueue(session, alert_ids=created, now=now)
    return len(created)
