"""Each role is given exactly its pages; signed out, only the sign-in page and the public
pages exist, and every page re-checks its permission itself (R04)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from alpr.data.models import RoleCode
from alpr.governance.permissions import role_definition
from alpr.ui.registry import PAGES, PUBLIC_PAGES, SIGN_IN
from tests.app.conftest import registered_scripts
from tests.conftest import TestUser


def _expected(role: RoleCode) -> set[str]:
    granted = role_definition(role).permissions
    expected = set()
    for page in PAGES:
        needed = page.permission if isinstance(page.permission, tuple) else (page.permission,)
        if page.permission is None or any(p in granted for p in needed):
            expected.add(page.path)
    return expected


@pytest.mark.parametrize("role", list(RoleCode))
def test_each_role_sees_exactly_its_pages(
    role: RoleCode, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(make_user(f"u_{role.value}", role.value))
    assert not at.exception
    assert registered_scripts(at) == _expected(role)
    assert SIGN_IN.path not in registered_scripts(at)


def test_signed_out_session_has_only_sign_in_and_public_pages(
    app_as: Callable[..., AppTest],
) -> None:
    at = app_as(None)
    assert registered_scripts(at) == {SIGN_IN.path} | {p.path for p in PUBLIC_PAGES}
    assert at.title[0].value == "ALPR — sign in"
    assert any("RESTRICTED SYSTEM" in w.value for w in at.warning)


def test_administration_pages_are_not_given_to_investigators(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    pages = registered_scripts(app_as(make_user("det", "investigator")))
    assert "app_pages/users.py" not in pages and "app_pages/training.py" not in pages
    assert "app_pages/releases.py" not in pages
    clerk = registered_scripts(app_as(make_user("clerk", "records_clerk")))
    assert "app_pages/releases.py" in clerk and "app_pages/canvass.py" not in clerk


@pytest.mark.parametrize("script", ["app_pages/users.py", "app_pages/training.py"])
def test_page_refuses_a_role_without_permission_when_run_directly(
    script: str, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(make_user("ofc", "patrol"), script)
    assert any("does not include" in e.value for e in at.error)
    assert not at.dataframe


@pytest.mark.parametrize("script", [p.path for p in PAGES if p not in PUBLIC_PAGES])
def test_every_page_shows_nothing_to_a_signed_out_session(
    script: str, app_as: Callable[..., AppTest]
) -> None:
    at = app_as(None, script)
    assert any("Sign in to use the ALPR system" in w.value for w in at.warning)
    assert not at.dataframe and not at.title


def test_admin_sees_users_page_with_the_table(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(make_user("boss", "administrator"), "app_pages/users.py")
    assert not at.exception and at.title[0].value == "Users"
    assert "boss" in at.table[0].value["Username"].tolist()


@pytest.mark.parametrize("role", list(RoleCode))
def test_every_page_of_every_role_renders(
    role: RoleCode, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(make_user(f"smoke_{role.value}", role.value))
    for script in sorted(_expected(role)):
        at.switch_page(script)
        at.run()
        assert not at.exception, (script, at.exception)
        assert not [e.value for e in at.error if "does not include" in e.value], script


def test_sidebar_names_the_role_in_words(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """The signed-in line says "Records clerk", as the rest of the dashboard does, not the
    stored code."""
    at = app_as(make_user("clerk", "records_clerk"))
    signed_in = " ".join(c.value for c in at.sidebar.caption)
    assert "(Records clerk)" in signed_in and "records_clerk" not in signed_in


def test_roles_page_says_what_each_role_opens_in_page_titles(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """What a role may do reads as the pages it opens, in full, not as permission codes in
    a column cut off at the edge of a scrolling grid."""
    at = app_as(make_user("det", "investigator"), "app_pages/roles.py")
    assert not at.exception and not at.dataframe
    table = at.table[0].value
    opens = dict(zip(table["Role"], table["Pages it opens"], strict=True))
    assert "Canvass" in opens["Investigator"] and "Users" not in opens["Investigator"]
    assert "Requests for data" in opens["Records clerk"]
    assert not any("." in pages for pages in opens.values())
