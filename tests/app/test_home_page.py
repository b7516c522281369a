"""Home tells each person what waits for them, with the page where it is done; roles that
others' acts never wait on are not given an empty section."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from alpr.governance.releases.requests import file_request
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.integration.release_desk import form, make_desk, plates_scope


def test_the_commander_is_told_of_a_request_to_decide_and_where(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    desk = make_desk(app_env, make_user)
    file_request(app_env, principal=desk.clerk.principal, form=form(scope=plates_scope("7KQM482")))
    at = app_as(desk.commander)
    assert not at.exception
    assert [w.value for w in at.warning] == ["1 request for data awaits your decision."]
    links = [(link.proto.label, link.proto.page) for link in at.get("page_link")]
    assert links[0] == ("Decide requests for data", "releases")  # the page's address

    clerk = app_as(desk.clerk)
    assert not clerk.exception and not clerk.warning
    assert "Nothing waits for you." in [c.value for c in clerk.caption]


def test_a_detective_home_has_no_waiting_section(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(make_user("rivera", "investigator"))
    assert not at.exception
    assert "Waiting for you" not in [h.value for h in at.subheader]
