"""Streamlit AppTest harness: the real app script, in-process, on a migrated SQLite database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from alpr.config import get_deployment
from alpr.governance.auth.sessions import BROWSER, open_session
from alpr.governance.runtime import Runtime, default_runtime
from tests.conftest import TestUser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def app_env(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    monkeypatch.setenv("ALPR_DATABASE_URL", rt.settings.resolved_database_url)
    monkeypatch.setenv("ALPR_DATA_DIR", str(rt.settings.data_dir))
    get_deployment.cache_clear()
    default_runtime.cache_clear()
    st.cache_resource.clear()
    yield rt
    get_deployment.cache_clear()
    default_runtime.cache_clear()
    st.cache_resource.clear()


@pytest.fixture
def app_as(app_env: Runtime) -> Callable[[TestUser | None, str], AppTest]:
    """Run ``script`` (default app.py) as the given user (None: signed out)."""

    def run(user: TestUser | None, script: str = "app.py") -> AppTest:
        at = AppTest.from_file(str(ROOT / script), default_timeout=60)
        if user is not None:
            live = default_runtime()
            principal = replace(user.principal, authenticated_at=live.now())
            at.session_state["alpr_session"] = open_session(
                live, principal=principal, holder=BROWSER
            )
        return at.run()

    return run


def registered_scripts(at: AppTest) -> set[str]:
    pages = at._registered_pages.values()  # the navigation this session was given
    return {
        str(Path(str(info["script_path"])).relative_to(ROOT))
        for info in pages
        if info.get("script_path")
    }
