"""Screening the free text of a request (its purpose, description and offense, the requester's
and the agency's names) and an agency's name in the register for immigration enforcement (R43;
SB 54, Gov. Code 7284.6), in English and Spanish, whatever the request's "immigration" box says.
The phrase that matched is returned as written, so that the clerk sees why it was refused.

The text is screened as a reader sees it (``screened_text``): look-alike letters from other
alphabets, invisible characters and accents do not hide a word. Case is ignored, except for the
acronyms that are also ordinary words ("ICE", "INS"), which count only in capitals."""

from __future__ import annotations

import re

from alpr.governance.releases.screened_text import screened

# Federal criminal immigration law that penalizes entry, reentry, presence or employment, and
# civil immigration law (Gov. Code 7284.4 (f)), by its sections of 8 U.S.C.: inspection, arrest
# and detention (1225, 1226), removal (1227-1229a, 1231), alien registration (1304, 1306),
# unlawful employment (1324a), improper entry (1325), reentry after removal (1326) and the
# powers of immigration officers, 287(g) among them (1357). Smuggling and trafficking (1324)
# are not immigration enforcement in this sense and are not screened.
_TITLE_8 = r"8 ?u\.? ?s\.? ?c(?:ode|\.)? ?(?:§+ ?|sec(?:tion|\.)? ?)?"
_SECTIONS = r"(?:122[5-9]a?|1231|1304|1306|1324a|1325|1326|1357)"

# Matched on the text as read, case folded, on word boundaries.
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
            _TITLE_8 + _SECTIONS,
            r"(?<!agreement on )detainers?",  # not the Interstate Agreement on Detainers
            r"re-?entry (?:after|following) (?:removal|deportation)",
            r"(?:illegal|unlawful) re-?entry",
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
            r"reingreso ilegal",
        )
    )
    + r")(?!\w)"
)
# Acronyms that are also words ("ice", "ins"): only in capitals, dots allowed; matched on the
# text as read, case kept.
_ACRONYMS = re.compile(r"(?<![\w.])(?:ICE|I\.C\.E\.?|INS|I\.N\.S\.?|ERO)(?![\w])")


def immigration_phrase(*texts: str) -> str | None:
    """The first phrase in the texts that speaks of immigration enforcement, as written there;
    None if there is none."""
    for text in texts:
        found = screened(text, fold_case=False).search(_ACRONYMS) or screened(
            text, fold_case=True
        ).search(_PHRASES)
        if found:
            return found
    return None
