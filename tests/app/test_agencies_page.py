"""The register of agencies and agreements is read in full: each agency's agreement in force
and contact, not cut off at the edge of a scrolling grid."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from alpr.governance.releases import registry
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser


def test_agencies_are_listed_in_a_table_that_wraps(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    registry.add_agency(
        app_env,
        actor=None,
        name="San Mateo County Sheriff's Office",
        kind="ca_local_le",
        state="CA",
        contact="records@smcsheriff.example",
    )
    at = app_as(make_user("nguyen", "records_clerk"), "app_pages/agencies.py")
    assert not at.exception and not at.dataframe
    [agency] = at.table[0].value.to_dict("records")
    assert agency["Kind"] == "California local law enforcement"
    assert agency["Contact"] == "records@smcsheriff.example"
