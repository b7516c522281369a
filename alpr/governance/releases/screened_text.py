"""Free text as a reader sees it, for screening what a requester or a clerk wrote: Unicode
compatibility forms folded (NFKC: full-width letters, ligatures, non-breaking spaces), invisible
format characters dropped (zero-width spaces and joiners, soft hyphens, direction marks),
accents dropped, the Cyrillic and Greek letters that look like Latin ones read as those, runs of
white space read as one space, and, when asked, case folded. Each character read keeps the
position it comes from, so that a phrase found is shown as it was written."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_LOOK_ALIKES = str.maketrans(
    # Cyrillic capitals, Cyrillic small letters, Greek capitals, Greek small letters, dotless i
    "АВЕЅІЈКМНОРСТУХ" + "аеѕіјорсухԁӏкмнтв" + "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ" + "αεικνορτυχ" + "ı",
    "ABESIJKMHOPCTYX" + "aesijopcyxdlkmhtb" + "ABEZHIKMNOPTYX" + "aeikvoptux" + "i",
)

# Accents and other combining marks, and invisible format characters.
_UNSEEN = {"Mn", "Me", "Cf"}


@dataclass(frozen=True)
class ScreenedText:
    written: str
    read: str  # the text as a reader sees it
    origin: tuple[int, ...]  # for each character of ``read``, where it comes from in ``written``

    def search(self, pattern: re.Pattern[str]) -> str | None:
        """The first match of ``pattern`` in the text as read, as it was written; None if
        there is none."""
        found = pattern.search(self.read)
        if found is None:
            return None
        return self.written[self.origin[found.start()] : self.origin[found.end() - 1] + 1]


def screened(text: str, *, fold_case: bool) -> ScreenedText:
    """``text`` as a reader sees it, case folded if ``fold_case``."""
    read: list[str] = []
    origin: list[int] = []
    for at, character in enumerate(text):
        for seen in _as_read(character, fold_case=fold_case):
            if seen.isspace():
                if read and read[-1] == " ":
                    continue
                seen = " "
            read.append(seen)
            origin.append(at)
    return ScreenedText(text, "".join(read), tuple(origin))


def _as_read(character: str, *, fold_case: bool) -> str:
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", character))
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in _UNSEEN)
    kept = kept.translate(_LOOK_ALIKES)
    return kept.casefold() if fold_case else kept
