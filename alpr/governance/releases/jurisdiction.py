"""Whether an agency's name says it is federal or of a state other than California (R40, R44;
Civil Code 1798.90.55(b)): the register's kind and state are what the rules apply, and a name
that contradicts them is a mislabelled agency. The name is read as a reader sees it
(``screened_text``). The screen runs when an agency is registered and again whenever a request
from it is evaluated, decided or fulfilled, so that an agency registered before a signal was
added is caught all the same.

Signals, on whole words:

- the federal government: "United States", "U.S." and "US" with or without dots and spaces,
  "Federal", "Department of Homeland Security" and "DHS", the Marshals, the Secret Service,
  Customs and the Border Patrol, the armed forces ("Naval", "Navy", "Army", "Air Force",
  "Military", "Coast Guard", "Marine Corps"), the Internal Revenue Service, the federal
  bureaus (of Prisons, of Alcohol, of Indian Affairs, of Land Management), the National Park
  Service, the Postal Inspection Service, the Transportation Security Administration, and
  their acronyms in capitals (FBI, DEA, ATF, DHS, NCIS, IRS, BOP, CBP, HSI, ICE, USMS, USSS,
  USCG, TSA);
- the name of another state, anywhere; another state's postal code in capitals where a state is
  written after a name (after a comma, a dash or a space at the end, or in parentheses: "Reno
  Police Department, NV", "Reno PD - NV", "Reno PD (NV)");
- a city of a neighbouring state whose agencies ask for California's reads, on the list below.

Not signals: "Bureau of" alone (California's Department of Justice has bureaus, of
Investigation, of Firearms, of Gambling Control, and so have police departments); "Marshal"
alone (a fire marshal, a county marshal); the California Military Department and the California
State Military Reserve, Army National Guard and Naval Militia; a county's homeland security
unit; Nevada County, Nevada City and the Sierra Nevada, which are in California; Carson and
Moreno Valley, Californian cities whose names hold Carson City's and Reno's; the postal codes
that are also common abbreviations in California agencies' names (LA, SD, SC, CO, MT, ME, PA:
Los Angeles, San Diego or sheriff's department, Santa Clara, Santa Cruz or superior court,
county, mount, medical examiner, public administrator)."""

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
# Cities of Nevada, Arizona, Oregon, Washington, Idaho and Utah whose police are the
# out-of-state agencies most likely to ask for California's reads, and whose names no
# California agency bears.
_OUT_OF_STATE_CITIES = (
    "las vegas",
    "henderson",
    "reno",
    "sparks",
    "carson city",
    "phoenix",
    "tucson",
    "portland",
    "seattle",
    "spokane",
    "boise",
    "salt lake city",
)

# On the name as read, case folded.
_WORDS = re.compile(
    r"\b(?:"
    + "|".join(
        (
            r"united states",
            r"federal",
            r"department of homeland security",
            r"marshals|marshals? service",
            r"secret service",
            r"customs",
            r"border patrol",
            r"(?<!california )(?<!california state )"
            r"(?:naval|navy|army|air force|coast guard|marine corps|military)",
            r"internal revenue service",
            r"drug enforcement administration",
            r"bureau of (?:prisons|alcohol|indian affairs|land management)",
            r"national park service",
            r"postal inspection service",
            r"transportation security administration",
            *_STATE_NAMES,
            *_OUT_OF_STATE_CITIES,
        )
    )
    + r")\b"
)
# On the name as read, case kept.
_CAPITALS = re.compile(
    r"(?<![\w.])(?:U\.? ?S\.?(?: ?A\.?)?|FBI|DEA|ATF|DHS|NCIS|IRS|BOP|CBP|HSI|ICE|USMS|USSS|USCG"
    r"|TSA)(?!\w)"
    r"|(?:(?<= )|(?<=,)|(?<=\())(?:"
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
