"""The five shipped profiles (R30, R44, R06): one per department policy, each within the law,
each stated value citing its department's section, every other value the shipped default and
said to be so."""

from __future__ import annotations

import pytest

from alpr.governance.profiles import NAMED_BY_THE_AGENCY, Profile, profiles
from alpr.policy import POLICY_KEYS, Policy

SECTIONS = {
    "palos-verdes-estates": "Palos Verdes Estates ALPR Privacy Policy",
    "daly-city": "Daly City Policy 457",
    "piedmont": "Piedmont Policy 438",
    "santa-clara": "Santa Clara ALPR policy",
    "pomona": "Pomona Policy 430",
}


def test_one_profile_per_department_policy() -> None:
    assert {p.name for p in profiles()} == set(SECTIONS)


@pytest.mark.parametrize("profile", profiles(), ids=lambda p: p.name)
def test_each_profile_is_within_the_law_and_cites_every_value(profile: Profile) -> None:
    values = {v.key: v for v in profile.values}
    assert set(values) == set(POLICY_KEYS) - set(NAMED_BY_THE_AGENCY)
    Policy.model_validate(
        {key: v.value for key, v in values.items()}, context={"environment": "production"}
    )
    defaults = Policy()
    for v in profile.values:
        if v.stated:
            assert v.citation.startswith(SECTIONS[profile.name]), v.key
        else:
            assert "silent" in v.citation and v.value == getattr(defaults, v.key), v.key
    assert values["agency_name"].value == profile.department
    assert values["retention_nonhit_days"].stated


def test_the_profiles_differ_where_the_policies_do() -> None:
    by_name = {p.name: {v.key: v.value for v in p.values} for p in profiles()}
    assert by_name["palos-verdes-estates"]["retention_nonhit_days"] == 730
    assert {
        by_name[n]["retention_nonhit_days"] for n in SECTIONS if n != "palos-verdes-estates"
    } == {365}
    assert by_name["daly-city"]["allow_out_of_state_exception"] is True
    assert not any(by_name[n]["allow_out_of_state_exception"] for n in SECTIONS if n != "daly-city")
