"""Screening a request's stated purpose for immigration enforcement (R43; SB 54, Gov. Code
7284.6), in English and Spanish, whatever the request's "immigration" box says. The phrase that
matched is returned as written, so that the clerk sees why the request was refused.

Accents and case are ignored, except for the acronyms that are also ordinary words ("ICE",
"INS"), which count only in capitals."""

from __future__ import annotations

import re
import unicodedata

# Matched on the text lower-cased and without accents, on word boundaries.
_PHRASES = re.compile(
    r"\b(?:"
    + "|".join(
        (
            r"immigra\w*",  # immigration, immigrant, immigrate
            r"deport\w*",  # deport, deportation, deportable; deportacion, deportar
            r"removal (?:proceedings?|case|cases|order|orders|hearing|hearings)",
            r"orders? of removal",
            r"removable (?:alien|aliens|person|persons)",
            r"(?:illegal|undocumented|criminal|removable) aliens?",
            r"alien registration",
            r"undocumented",
            r"unlawful(?:ly)? presen\w*",
            r"visa overstay\w*",
            r"green cards?",
            r"border patrol",
            r"customs and border protection",
            r"homeland security investigations",
            r"enforcement and removal operations",
            r"287 ?\(g\)|287g",
            r"cbp",
            r"hsi",
            r"uscis",
            # Spanish
            r"inmigra\w*",  # inmigracion, inmigrante
            r"migra",  # la migra
            r"migratori\w*",  # estatus migratorio, situacion migratoria
            r"indocumentad\w*",
            r"sin papeles",
            r"patrulla fronteriza",
            r"ordene?s? de (?:expulsion|remocion|deportacion)",
            r"extranjeros? ilegal\w*",
        )
    )
    + r")(?!\w)"
)
# Acronyms that are also words ("ice", "ins"): only as written in capitals, dots allowed.
_ACRONYMS = re.compile(r"(?<![\w.])(?:ICE|I\.C\.E\.?|INS|I\.N\.S\.?|ERO)(?![\w])")


def _folded(text: str) -> str:
    """Lower-cased without accents, one character for each character of ``text``, so that a
    match's position is also its position in the original."""
    return "".join(unicodedata.normalize("NFKD", ch)[0].lower()[:1] or ch for ch in text)


def immigration_phrase(*texts: str) -> str | None:
    """The first phrase in the texts that speaks of immigration enforcement, as written there;
    None if there is none."""
    for text in texts:
        found = _ACRONYMS.search(text) or _PHRASES.search(_folded(text))
        if found:
            return text[found.start() : found.end()]
    return None
