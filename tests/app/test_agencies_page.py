"""The register of agencies and agreements is read in full: each agency's agreement in force
and contact, not cut off at the edge of a scrolling grid. The hosts where each agency receives
data are kept there by the records desk; the Administrator sees them without the control."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from alpr.governance.releases import receiving_hosts, registry
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


def test_the_records_desk_registers_and_removes_an_agencys_host_on_the_page(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R04, R40, R47: a records clerk registers the host where an agency receives data and
    removes it; the Administrator, who sets where alerts go, is shown the register and its
    hosts but no control that changes them: no host, agency or agreement added or ended."""
    registry.add_agency(
        app_env, actor=None, name="Daly City Police Department", kind="ca_local_le", state="CA"
    )
    at = app_as(make_user("nguyen", "records_clerk"), "app_pages/agencies.py")
    assert not at.exception
    [agency] = [s for s in at.selectbox if s.label == "Agency"]
    agency.set_value("Daly City Police Department")
    [host] = [t for t in at.text_input if t.label == "Host"]
    host.set_value("cad.dalycity.org")
    [add] = [b for b in at.button if b.label == "Register the host"]
    add.click().run()
    assert not at.exception
    [shown] = receiving_hosts.list_hosts(app_env, actor=None)
    assert (shown.agency, shown.host, shown.added_by) == (
        "Daly City Police Department",
        "cad.dalycity.org",
        "nguyen",
    )

    admin = app_as(make_user("okafor", "administrator"), "app_pages/agencies.py")
    assert not admin.exception
    assert any(
        row["Host"] == "cad.dalycity.org"
        for t in admin.table
        for row in t.value.to_dict("records")
        if "Host" in row
    )
    assert not [b for b in admin.button if b.label in ("Register the host", "Remove the host")]
    assert not admin.tabs and not [
        b for b in admin.button if b.label in ("Add the agency", "Record the agreement")
    ]

    at.run()
    [remove] = [b for b in at.button if b.label == "Remove the host"]
    remove.click().run()
    assert not at.exception
    assert receiving_hosts.list_hosts(app_env, actor=None) == []
