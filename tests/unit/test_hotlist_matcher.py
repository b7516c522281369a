"""The in-memory matcher: exact, partial (? and *), and OCR-confusion variants only for the
entries that ask for them."""

from __future__ import annotations

from alpr.data.models import MatchKind, Priority
from alpr.recognition.hotlist_match import HotListMatcher, _Entry


def _matcher() -> HotListMatcher:
    specs = [
        ("7ABC123", False),
        ("7KQ?48?", False),
        ("5SAM*", True),
        ("*XYZ", False),
        ("8B0?12?", True),
        ("6GOD666", True),
    ]
    return HotListMatcher([(_Entry(i, 1, Priority.HIGH, p), c) for i, (p, c) in enumerate(specs)])


def _kinds(plate: str) -> set[tuple[str, MatchKind]]:
    return {(m.pattern, m.kind) for m in _matcher().match(plate)}


def test_exact_partial_and_run_patterns() -> None:
    assert _kinds("7ABC123") == {("7ABC123", MatchKind.EXACT)}
    assert _kinds("7KQM482") == {("7KQ?48?", MatchKind.PARTIAL)}
    assert _kinds("5SAM") == {("5SAM*", MatchKind.PARTIAL)}
    assert _kinds("5SAM0001") == {("5SAM*", MatchKind.PARTIAL)}
    assert _kinds("ABCXYZ") == {("*XYZ", MatchKind.PARTIAL)}
    assert _kinds("7KQM48") == set()
    assert _kinds("7ABC128") == set()


def test_confusions_only_where_asked() -> None:
    assert _kinds("S5AM99") == {("5SAM*", MatchKind.CONFUSION)}
    assert _kinds("880A12Z") == {("8B0?12?", MatchKind.CONFUSION)}
    assert _kinds("6G0D666") == {("6GOD666", MatchKind.CONFUSION)}
    assert _kinds("7A8C123") == set()  # the exact entry does not ask for confusions
    assert _kinds("7KQM4B2") == set()
