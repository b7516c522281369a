"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import CliRun, SignedCli, TestUser


@pytest.fixture
def search_cli(signed_cli: SignedCli, make_user: Callable[..., TestUser]) -> CliRun:
    """``alpr search ...`` signed in as the detective rivera."""
    run = signed_cli({"rivera": make_user("rivera", "investigator")})
    return lambda *args: run("search", *args, as_user="rivera")
