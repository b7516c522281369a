"""The agency's policy: every value that the law or the department's written ALPR policy
decides. The defaults are the strictest reading of the five department policies; a value
looser than the law (or than the product's bounds against dragnet searches) is refused with a
message naming the rule.

The policy is not read from the environment. The Policy in force is these defaults overlaid by
the values the ALPR Administrator recorded in the database, each change with its legal basis
(``alpr policy set``, the Policy page, or a shipped profile).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from alpr import case_formats

MIN_READ_RETENTION_DAYS = 365  # Gov. Code 34090.6, R30
MIN_AUDIT_RETENTION_DAYS = 365  # CJIS Security Policy: audit records kept at least one year
# The longest retention period: a schedule, not "forever", and a cut-off date the purge can
# still compute (a date 10**20 days back does not exist).
MAX_RETENTION_DAYS = 36_500

CJIS = "FBI CJIS Security Policy"
DRAGNET = "the product's bound against dragnet searches (field notes 6)"


@dataclass(frozen=True)
class Limit:
    """The range the law (or the product) allows a policy value, and the rule that says so."""

    low: float | None
    high: float | None
    rule: str

    def allowed(self) -> str:
        low, high = self.low, self.high
        if low is not None and high is not None:
            return f"{_number(low)} to {_number(high)}"
        if low is not None:
            return f"at least {_number(low)}"
        return f"at most {_number(high)}" if high is not None else "any value"

    def problem(self, name: str, value: float) -> str | None:
        """Why the value is outside the range, or None. NaN, which every comparison with a
        bound lets through, and inf are in no range."""
        if not math.isfinite(value):
            return f"{name}={value} is not a number within {self.allowed()}: {self.rule}"
        if self.low is not None and value < self.low:
            return f"{name}={value} is below the minimum of {_number(self.low)}: {self.rule}"
        if self.high is not None and value > self.high:
            return f"{name}={value} is above the maximum of {_number(self.high)}: {self.rule}"
        return None


def _kept(low: int, rule: str) -> Limit:
    """A retention period: at least what the rule says, at most MAX_RETENTION_DAYS."""
    return Limit(low, MAX_RETENTION_DAYS, f"{rule}; a retention period is at most 100 years")


def _number(value: float) -> str:
    """A limit as people write it: 1,000,000 rather than 1e+06, 0.05 as it is."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


# A name or title on the policy page: the agency's name is kept in a column of 200 characters.
NAME_MAX_LENGTH = 200
Name = Annotated[str, Field(max_length=NAME_MAX_LENGTH)]
# The agency and the people responsible for the system, each named (R06).
PEOPLE = (
    "agency_name",
    "administrator_title",
    "administrator_name",
    "designee_title",
    "designee_name",
    "records_manager_title",
)


class Policy(BaseModel):
    # A number is finite: NaN slips through a range check (no comparison with a bound holds)
    # and inf is no count nor score; either is refused as a value of the wrong type.
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    # The agency and the people responsible for the system (R06).
    agency_name: Name = Field(title="Agency", default="Demo City Police Department")
    administrator_title: Name = Field(
        title="ALPR Administrator (title)", default="Captain, Investigations Division"
    )
    administrator_name: Name = Field(
        title="ALPR Administrator (name)", default="Not yet designated"
    )
    designee_title: Name = Field(
        title="Current designee (title)", default="Lieutenant, ALPR Program"
    )
    designee_name: Name = Field(title="Current designee (name)", default="Not yet designated")
    records_manager_title: Name = Field(
        title="Public records requests go to", default="Records Manager"
    )

    # Sign-in and sessions.
    require_mfa: bool = Field(title="Second factor (TOTP) for every account", default=True)
    lockout_attempts: Annotated[
        int, Limit(1, 5, f"{CJIS}: lock an account after at most 5 failed sign-ins")
    ] = Field(title="Failed sign-ins before an account locks", default=5)
    lockout_window_minutes: Annotated[
        int, Limit(15, 1440, f"{CJIS}: failed sign-ins are counted over at least 15 minutes")
    ] = Field(title="Minutes over which failed sign-ins count", default=15)
    idle_timeout_minutes: Annotated[
        int, Limit(1, 30, f"{CJIS}: lock a session after at most 30 idle minutes")
    ] = Field(title="Idle minutes before a session locks", default=30)
    session_max_hours: Annotated[
        int, Limit(1, 12, f"{CJIS}: sign in again at least every 12 hours")
    ] = Field(title="Hours before a fresh sign-in is needed", default=12)
    password_min_length: Annotated[
        int,
        Limit(12, 128, "the product's floor of 12 characters (above CJIS's 8) and bcrypt's 128"),
    ] = Field(title="Minimum password length", default=12)
    training_validity_days: Annotated[
        int, Limit(30, 365, "training older than one year no longer counts (Piedmont 438.7)")
    ] = Field(title="Days ALPR training counts", default=365)

    # Justification formats (R21): regular expressions for case, call and warrant numbers.
    case_number_patterns: list[str] = Field(
        title="Case, call and warrant number formats",
        default=[
            r"^\d{2}-\d{4,6}$",  # case number, e.g. 26-01234
            r"^C\d{2}-\d{5,7}$",  # CAD call number, e.g. C26-004512
            r"^W\d{6,10}$",  # warrant number, e.g. W2026123
        ],
    )
    # Offenses a description may name besides the shipped list (alpr/governance/offenses.txt).
    justification_offenses: list[str] = Field(
        title="Offenses a description may name, beyond the shipped list", default=[]
    )

    # Retention (R30, R31): days kept before the automatic purge.
    retention_nonhit_days: Annotated[
        int, _kept(MIN_READ_RETENTION_DAYS, "reads are kept at least one year (Gov. Code 34090.6)")
    ] = Field(title="Days reads without a hit are kept", default=365)
    retention_hit_days: Annotated[
        int, _kept(MIN_READ_RETENTION_DAYS, "reads are kept at least one year (Gov. Code 34090.6)")
    ] = Field(title="Days reads with a hit are kept", default=730)
    retention_image_days: Annotated[
        int,
        _kept(
            MIN_READ_RETENTION_DAYS,
            "images are part of the read's record, kept at least one year (Gov. Code 34090.6)",
        ),
    ] = Field(title="Days images are kept", default=365)
    retention_alert_days: Annotated[
        int,
        _kept(
            MIN_READ_RETENTION_DAYS, "alerts are hits, kept at least one year (Gov. Code 34090.6)"
        ),
    ] = Field(title="Days alerts and their reviews are kept", default=730)
    retention_hotlist_expired_days: Annotated[
        int, _kept(1, "expired hot-list entries are kept at least a day")
    ] = Field(title="Days expired hot-list entries are kept", default=365)
    retention_audit_days: Annotated[
        int,
        _kept(MIN_AUDIT_RETENTION_DAYS, f"{CJIS}: access records are kept at least one year"),
    ] = Field(title="Days the access log is kept", default=730)
    retention_release_days: Annotated[
        int,
        _kept(
            MIN_READ_RETENTION_DAYS,
            "approved requests are retained on file, at least as long as the reads they release",
        ),
    ] = Field(title="Days release requests are kept", default=1825)

    # Bounds against dragnet searches; beyond them a sergeant approves.
    canvass_max_radius_m: Annotated[int, Limit(50, 10_000, DRAGNET)] = Field(
        title="Canvass radius without approval (m)", default=1000
    )
    canvass_max_window_hours: Annotated[int, Limit(1, 24 * 31, DRAGNET)] = Field(
        title="Canvass window without approval (hours)", default=72
    )
    search_max_cameras: Annotated[int, Limit(1, 1000, DRAGNET)] = Field(
        title="Cameras in one search without approval", default=25
    )
    plate_search_max_window_days: Annotated[int, Limit(1, 3650, DRAGNET)] = Field(
        title="Plate search window without approval (days)", default=90
    )
    wildcard_min_known_chars: Annotated[int, Limit(3, 8, DRAGNET)] = Field(
        title="Known characters in a partial plate", default=3
    )
    # Bounds of what one release may cover (R45); beyond them the commander's recorded reason.
    release_max_window_days: Annotated[int, Limit(1, 3650, DRAGNET)] = Field(
        title="Period one release may cover without the commander's reason (days)", default=90
    )
    release_max_reads: Annotated[int, Limit(1, 1_000_000, DRAGNET)] = Field(
        title="Reads one release may hold without the commander's reason", default=2000
    )

    # Searches on a read replica: how far behind the primary it may be, and so how recent the
    # newest reads a search covers must be before it runs on the primary instead.
    replica_max_lag_seconds: Annotated[
        int,
        Limit(1, 300, "a search on a copy of the database misses at most a few minutes of reads"),
    ] = Field(
        title="Seconds a search copy of the database may lag behind (then searches use the main "
        "database)",
        default=10,
    )

    # Hot lists (R12, R14) and releases (R44).
    hotlist_freshness_hours: Annotated[
        int, Limit(1, 168, "the most recent hot list is used; a week old at most")
    ] = Field(title="Hours before a hot list is stale", default=24)
    hotlist_entry_default_days: Annotated[
        int, Limit(1, 100, "custom entries expire (field notes: 100 days at most)")
    ] = Field(title="Default life of a hot-list entry (days)", default=30)
    hotlist_entry_max_days: Annotated[int, Limit(1, 365, "custom entries expire within a year")] = (
        Field(title="Longest life of a hot-list entry (days)", default=100)
    )
    alert_alternative_min_score: Annotated[
        float,
        Limit(
            0.05,
            1.0,
            "an alert on another reading is only possible: one the reader itself scored "
            "below 5% would send patrol after noise",
        ),
    ] = Field(
        title="Score another reading of a read needs to raise a possible alert (0 to 1)",
        default=0.15,
    )
    allow_out_of_state_exception: bool = Field(
        title="Out-of-state sharing on an exigent circumstance or court order", default=False
    )

    # Misuse flags (field notes 3): thresholds the ALPR Administrator may tune.
    flag_repeat_plate_lookups: Annotated[
        int, Limit(2, 50, "a flag must still find repeated look-ups")
    ] = Field(title="Look-ups of one plate that raise a flag", default=3)
    flag_reused_justification: Annotated[
        int, Limit(2, 100, "a flag must still find reused reasons")
    ] = Field(title="Reuses of one reason that raise a flag", default=5)
    flag_volume_factor: Annotated[
        float, Limit(1.5, 20.0, "a flag must still find bursts of searches")
    ] = Field(title="Daily searches above the usual rate that raise a flag (times)", default=3.0)
    flag_volume_min_searches: Annotated[
        int, Limit(3, 1000, "a flag must still find bursts of searches")
    ] = Field(title="Searches in a day before the volume flag applies", default=10)

    @model_validator(mode="after")
    def _within_the_law(self, info: ValidationInfo) -> Policy:
        problems = [
            problem
            for name, field in type(self).model_fields.items()
            for limit in field.metadata
            if isinstance(limit, Limit) and (problem := limit.problem(name, getattr(self, name)))
        ]
        if self.retention_hit_days < self.retention_nonhit_days:
            problems.append("retention_hit_days must not be shorter than retention_nonhit_days")
        if self.retention_image_days > self.retention_hit_days:
            problems.append("retention_image_days must not be longer than retention_hit_days")
        if self.hotlist_entry_default_days > self.hotlist_entry_max_days:
            problems.append("hotlist_entry_default_days exceeds hotlist_entry_max_days")
        problems += _pattern_problems(self.case_number_patterns)
        problems += [
            f"justification_offenses: {term!r} names no offense: give a word or phrase "
            "of at least 3 letters"
            for term in self.justification_offenses
            if sum(c.isalpha() for c in term.rstrip("*")) < 3
        ]
        problems += [
            f"{name} must not be empty: the agency and the people responsible for its ALPR "
            "system are named, each with title and name (R06)"
            for name in PEOPLE
            if not getattr(self, name).strip()
        ]
        environment = (info.context or {}).get("environment")
        if environment == "production" and not self.require_mfa:
            problems.append(f"require_mfa=false is only allowed for a local demo ({CJIS}: MFA)")
        if problems:
            raise PydanticCustomError("policy", "{problems}", {"problems": "; ".join(problems)})
        return self


def _pattern_problems(patterns: list[str]) -> list[str]:
    if not patterns:
        return ["at least one case/call/warrant number format is required"]
    return [
        f"case number format {pattern!r} {problem}"
        for pattern in patterns
        if (problem := case_formats.problem(pattern))
    ]


POLICY_KEYS: tuple[str, ...] = tuple(Policy.model_fields)

# The policy as the Administrator reads it, section by section.
POLICY_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Agency and the people responsible",
        PEOPLE,
    ),
    (
        "Sign-in, sessions and training",
        (
            "require_mfa",
            "lockout_attempts",
            "lockout_window_minutes",
            "idle_timeout_minutes",
            "session_max_hours",
            "password_min_length",
            "training_validity_days",
        ),
    ),
    ("Justification", ("case_number_patterns", "justification_offenses")),
    ("Retention", tuple(k for k in POLICY_KEYS if k.startswith("retention_"))),
    (
        "Bounds against dragnet searches",
        (
            "canvass_max_radius_m",
            "canvass_max_window_hours",
            "search_max_cameras",
            "plate_search_max_window_days",
            "wildcard_min_known_chars",
            "replica_max_lag_seconds",
        ),
    ),
    (
        "Hot lists and releases",
        (
            "hotlist_freshness_hours",
            "alert_alternative_min_score",
            "hotlist_entry_default_days",
            "hotlist_entry_max_days",
            "allow_out_of_state_exception",
            "release_max_window_days",
            "release_max_reads",
        ),
    ),
    ("Misuse flags", tuple(k for k in POLICY_KEYS if k.startswith("flag_"))),
)


def limit_of(key: str) -> Limit | None:
    return next((m for m in Policy.model_fields[key].metadata if isinstance(m, Limit)), None)


@dataclass(frozen=True)
class _Judged:
    policy: Policy
    refused: tuple[tuple[str, str], ...]


@lru_cache(maxsize=64)
def _judged(stored: str) -> _Judged:
    """The stored values (a JSON object) taken one by one, in the order of their keys, onto the
    shipped defaults: a value the rules refuse, alone or with the values taken before it, is
    set aside with why. Whatever was written into the database, a policy comes out."""
    values = json.loads(stored)
    policy = Policy()
    kept: dict[str, Any] = {}
    refused: list[tuple[str, str]] = []
    for key in sorted(values.keys() & Policy.model_fields.keys()):
        try:
            policy = Policy.model_validate({**kept, key: values[key]})
        except ValidationError as exc:
            why = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
            refused.append((key, why))
        else:
            kept[key] = values[key]
    return _Judged(policy, tuple(refused))


def _judged_values(stored: Mapping[str, Any]) -> _Judged:
    return _judged(json.dumps(dict(stored), sort_keys=True))


def set_aside(stored: Mapping[str, Any]) -> dict[str, str]:
    """The stored values this release refuses (recorded under an earlier release's rules, or
    written around them), each with why: the shipped default stands in for each until an
    administrator records a value the rules accept."""
    return dict(_judged_values(stored).refused)


def in_force(stored: Mapping[str, Any]) -> Policy:
    """The shipped defaults overlaid by the stored values (keys this release does not know are
    left out, and values it refuses are set aside: ``set_aside``)."""
    return _judged_values(stored).policy
