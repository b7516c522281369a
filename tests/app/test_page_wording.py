"""Pages speak to officers, not to the requirements document: no requirement numbers such
as "(R13)" in what a page shows."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from alpr.ui.registry import PAGES
from tests.conftest import TestUser

REQUIREMENT = re.compile(r"\bR\d{2}\b")
ROLE_FOR = {"app_pages/alerts.py": "patrol", "app_pages/exigent_review.py": "sergeant"}
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
def test_no_requirement_numbers_on_screen(
    page: str, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    role = ROLE_FOR.get(page, "administrator")
    at = app_as(make_user(f"u_{role}", role), SCRIPT.get(page, page))
    assert not at.exception
    assert [t for t in _shown(at) if REQUIREMENT.search(t)] == []
