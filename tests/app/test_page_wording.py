"""Pages speak to officers, not to the requirements document or to the system's operator: no
requirement numbers such as "(R13)" and no command such as `alpr purge` in what a page shows
(the operator's commands are in docs/operations.md)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from alpr.ui.registry import PAGES
from tests.conftest import TestUser

REQUIREMENT = re.compile(r"\bR\d{2}\b")
COMMAND = re.compile(r"`alpr\b")
ROLE_FOR = {
    "app_pages/alerts.py": "patrol",
    "app_pages/exigent_review.py": "sergeant",
    "app_pages/releases.py": "records_clerk",
}
# Home links to the other pages, so it runs inside the app's navigation.
SCRIPT = {"app_pages/home.py": "app.py"}


def _shown(at: AppTest) -> list[str]:
    """Every text the page put on screen: titles, headers, captions, notices, labels."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption"):
        texts += [e.value for e in getattr(at, kind)]
    for kind in ("info", "warning", "error", "success"):
        texts += [e.value for e in getattr(at, kind)]
    texts += [e.label for e in at.expander]
    texts += [w.label for kind in ("selectbox", "text_input", "button") for w in getattr(at, kind)]
    return texts


@pytest.mark.parametrize("page", [p.path for p in PAGES], ids=lambda p: p.split("/")[-1])
def test_no_requirement_numbers_or_commands_on_screen(
    page: str, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    role = ROLE_FOR.get(page, "administrator")
    at = app_as(make_user(f"u_{role}", role), SCRIPT.get(page, page))
    assert not at.exception
    assert [t for t in _shown(at) if REQUIREMENT.search(t)] == []
    assert [t for t in _shown(at) if COMMAND.search(t)] == []
    assert [t for t in _shown(at) if "dry run" in t] == []


def test_the_access_log_check_says_its_result_in_words(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(make_user("u_sergeant", "sergeant"), "app_pages/access_review.py")
    [verify] = [b for b in at.button if b.label == "Verify the hash chain now"]
    at = verify.click().run()
    assert not at.exception
    [intact] = [s.value for s in at.success if s.value.startswith("Intact")]
    assert ", (" not in intact and not COMMAND.search(intact)
    assert "No signed checkpoint yet: the system signs one each day." in intact
