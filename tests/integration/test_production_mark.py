"""Policy never from the caller's shell (R01, R21, R50): a production database records that
it is one when it is set up, and from then on a command that calls itself a local demo is
refused against it (exit 2, one line), its policy cannot turn MFA off and the demo agency is
not seeded into it, whatever the environment of the command says."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import delete
from sqlalchemy.exc import DatabaseError
from typer.testing import CliRunner

from alpr.cli import app
from alpr.data.models import Installation
from alpr.governance.demo import seed_demo
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.installation import mark_production, refuse_local_settings
from alpr.governance.policy import set_policy
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser


def test_a_production_database_keeps_its_rules_under_local_settings(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R01: once marked, local settings are refused, MFA stays on and the mark stays."""
    admin = make_user("okafor", "administrator")
    assert rt.settings.environment == "local"
    refuse_local_settings(rt)  # an unmarked database is a local one
    set_policy(rt, actor=admin.principal, key="require_mfa", value=False, legal_basis="demo")
    with pytest.raises(InvalidInput, match="turns MFA off"):
        mark_production(rt)
    set_policy(rt, actor=admin.principal, key="require_mfa", value=True, legal_basis="CJIS")
    assert mark_production(rt) and not mark_production(rt)
    with pytest.raises(InvalidInput, match="production database"):
        refuse_local_settings(rt)
    with pytest.raises(Refusal, match="only allowed for a local demo"):
        set_policy(rt, actor=admin.principal, key="require_mfa", value=False, legal_basis="x")
    with pytest.raises(InvalidInput, match="only for a local installation"):
        seed_demo(rt, reads=1000)
    with pytest.raises(DatabaseError, match="append-only"), rt.transaction() as session:
        session.execute(delete(Installation))


def test_local_settings_against_production_postgres_are_refused(
    cli_database: Runtime, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R01, R50: `alpr db upgrade` under production settings marks the database; then
    ALPR_ENVIRONMENT=local ALPR_REQUIRE_MFA=false is refused with one line and exit 2."""
    if backend != "postgres":
        pytest.skip("production runs on Postgres only")
    runner = CliRunner()
    monkeypatch.setenv("ALPR_ENVIRONMENT", "production")
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    _forget()
    monkeypatch.setenv("ALPR_ENVIRONMENT", "local")
    monkeypatch.setenv("ALPR_REQUIRE_MFA", "false")
    refused = runner.invoke(app, ["policy", "show", "--json"])
    assert refused.exit_code == 2 and refused.output.count("\n") == 1
    assert "production database" in refused.output
    _forget()
    monkeypatch.setenv("ALPR_ENVIRONMENT", "production")
    shown = runner.invoke(app, ["policy", "show", "--json"])
    assert shown.exit_code == 0 and '"require_mfa"' in shown.stdout
    assert "ALPR_REQUIRE_MFA is ignored" in shown.output


def _forget() -> None:
    from alpr.config import get_deployment
    from alpr.governance.runtime import default_runtime

    default_runtime().engine.dispose()
    get_deployment.cache_clear()
    default_runtime.cache_clear()
