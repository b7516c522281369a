"""Whether an agency's name says it is federal or of a state other than California (R40, R44):
the register's kind and state are what the rules apply, and a name that contradicts them is a
mislabelled agency. The name is read as a reader sees it (``screened_text``).

Signals, on whole words: the federal government ("United States", "U.S.", "Federal", "FBI",
"DEA", "Drug Enforcement Administration", "ATF", "Bureau of Alcohol", "Department of Homeland
Security", "Customs", "Border Patrol", "Marshals Service", "Secret Service"); the name of
another state; another state's postal code in capitals where a state is written after a name
(after a comma or in parentheses: "Reno Police Department, NV", "Reno PD (NV)"). Postal codes
that are also common abbreviations in California agencies' names (LA, SD, SC, CO, MT, ME, PA:
Los Angeles, San Diego or sheriff's department, Santa Clara, Santa Cruz or superior court,
county, mount, medical examiner, public administrator) are not signals, nor are Nevada County,
Nevada City and the Sierra Nevada, which are in California, nor a county's homeland security
unit. Cities are not screened: the register's state is."""

from __future__ import annotations

import re

from alpr.governance.releases.labels import STATES
from alpr.governance.releases.screened_text import screened

_NOT_ANOTHER_STATE = {"CA", "US"}
_ALSO_CALIFORNIA_ABBREVIATIONS = {"LA", "SD", "SC", "CO", "MT", "ME", "PA"}
_NEVADA_NOT_CALIFORNIA = r"(?<!sierra )nevada(?! county| city)"
_STATE_NAMES = [
    _NEVADA_NOT_CALIFORNIA if code == "NV" else re.escape(name.lower())
    for code, name in STATES.items()
    if code not in _NOT_ANOTHER_STATE
]

# On the name as read, case folded.
_WORDS = re.compile(
    r"\b(?:"
    + "|".join(
        (
            r"united states",
            r"federal",
            r"drug enforcement administration",
            r"bureau of alcohol",
            r"department of homeland security",
            r"customs",
            r"border patrol",
            r"marshals? service",
            r"secret service",
            *_STATE_NAMES,
        )
    )
    + r")\b"
)
# On the name as read, case kept.
_CAPITALS = re.compile(
    r"(?<![\w.])(?:U\.?S\.?(?:A\.?)?|FBI|DEA|ATF)(?!\w)"
    r"|(?:(?<=, )|(?<=,)|(?<=\())(?:"
    + "|".join(
        code for code in STATES if code not in _NOT_ANOTHER_STATE | _ALSO_CALIFORNIA_ABBREVIATIONS
    )
    + r")(?=\)|,|$)"
)


def outside_california(name: str) -> str | None:
    """The words of an agency's name that say it is federal or of another state, as written
    there; None if there are none."""
    return screened(name, fold_case=False).search(_CAPITALS) or screened(
        name, fold_case=True
    ).search(_WORDS)
