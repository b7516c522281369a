"""Screening the free text of a request (its purpose, description and offense, the requester's
and the agency's names) and an agency's name in the register for immigration enforcement (R43;
SB 54, Gov. Code 7284.6), in English and Spanish, whatever the request's "immigration" box says.
The phrase that matched is returned as written, so that the clerk sees why it was refused.

The text is screened as a reader sees it (``screened_text``): look-alike letters from other
alphabets, invisible characters and accents do not hide a word. Case is ignored, except for the
acronyms that are also ordinary words ("ICE", "INS"), which count only in capitals or, for
"ICE", in any case next to the words of its agents' work ("ICE agents", "help ICE"): a word that
only contains the letters ("iced", "police", "justice", "office") or black ice on a road is not a
signal."""

from __future__ import annotations

import re

from alpr.governance.releases.screened_text import screened

# Federal criminal immigration law that penalizes entry, reentry, presence or employment, and
# civil immigration law (Gov. Code 7284.4 (f)), by its sections of 8 U.S.C.: inadmissibility
# (1182), inspection, arrest and detention (1225, 1226), removal (1227-1229a, 1231), alien
# registration (1304, 1306), unlawful employment (1324a), improper entry (1325), reentry after
# removal (1326) and the powers of immigration officers, 287(g) among them (1357). Smuggling
# and trafficking (1324) are not immigration enforcement in this sense and are not screened.
_TITLE_8 = r"8 ?u\.? ?s\.? ?c(?:ode|\.)? ?(?:§+ ?|sec(?:tion|\.)? ?)?"
_SECTIONS = r"(?:1182|122[5-9]a?|1231|1304|1306|1324a|1325|1326|1357)"
# The same sections as the Immigration and Nationality Act numbers them ("INA 212(a)(6)"): only
# "INA" followed by one of them counts, as Ina is also a first name.
_INA = r"ina ?(?:§+ ?|sec(?:tion|\.)? ?)?(?:212|235|236|237|238|240|241|264|266|274a|275|276|287)"
# What ICE's agents do, and asking to help them, around "ice" in any case.
_ICE_AT_WORK = (
    r"ice (?:agents?|officers?|officials?|detainers?|holds?|raids?|custody|enforcement"
    r"|operations?|warrants?|field offices?|task forces?)"
    r"|(?:assist|help|support|aid|notify|contact|call)(?:s|ed|ing)? ice"
    r"|agentes? de (?:la )?ice"
)

# Matched on the text as read, case folded, on word boundaries.
_PHRASES = re.compile(
    r"\b(?:"
    + "|".join(
        (
            r"immigra\w*",  # immigration, immigrant, immigrate
            r"deport\w*",  # deport, deportation, deportable; deportacion, deportar
            r"removal (?:proceedings?|case|cases|order|orders|hearing|hearings)",
            # "final order for removal"; not an order for removal of firearms
            r"final orders? (?:of|for) removal|orders? (?:of|for) removal(?! of\b)",
            r"removable (?:alien|aliens|person|persons)",
            r"(?:illegal|undocumented|criminal|removable|inadmissible|deportable|excludable"
            r"|unauthorized) aliens?",
            r"alien registration",
            r"undocumented",
            r"unlawful(?:ly)? presen\w*",
            r"visa (?:overstay\w*|violat\w*)",  # a visa violator, a visa violation
            r"overstay\w*(?: \w+)? visas?",  # overstayed his visa; not a parking limit
            r"green cards?",
            r"border patrol",
            r"customs and border protection",
            r"homeland security investigations",
            r"enforcement and removal operations",
            r"287 ?\(g\)|287g",
            _TITLE_8 + _SECTIONS,
            _INA,
            _ICE_AT_WORK,
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
