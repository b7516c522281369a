"""``alpr places`` (R11, R22): an import is done signed in as someone who may (exit 3 without
``--as`` or for a role without it), a bad file is refused in one line with exit 2 storing
nothing, and ``find`` answers offline with addresses and intersections."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from alpr.cli import app
from alpr.data.models import Place
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.integration.test_places import county_file


def _signed(monkeypatch: pytest.MonkeyPatch, user: TestUser) -> list[str]:
    monkeypatch.setenv("ALPR_PASSWORD", user.password)
    monkeypatch.setenv("ALPR_TOTP", user.code())
    return ["--as", user.username]


def _count(rt: Runtime) -> int:
    with rt.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Place)).scalar_one()


def test_import_then_find(
    cli_database: Runtime,
    make_user: Callable[..., TestUser],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    path = tmp_path / "county.geojson"
    path.write_text(county_file())
    signed = _signed(monkeypatch, make_user("gis", "administrator"))
    result = CliRunner().invoke(app, ["places", "import", str(path), *signed])
    assert result.exit_code == 0, result.output
    assert "3 street lines and 2 addresses imported from county.geojson" in result.output
    found = CliRunner().invoke(app, ["places", "find", "Oak & Main", "--json"])
    assert found.exit_code == 0, found.output
    first = json.loads(found.output)[0]
    assert first["name"] == "Main Street & Oak Avenue" and first["kind"] == "intersection"
    none = CliRunner().invoke(app, ["places", "find", "Elm"])
    assert none.exit_code == 0 and "no address or intersection matches" in none.output


def test_import_without_as_or_by_patrol_is_refused_with_exit_3(
    cli_database: Runtime,
    make_user: Callable[..., TestUser],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    path = tmp_path / "county.geojson"
    path.write_text(county_file())
    make_user("gis", "administrator")
    anonymous = CliRunner().invoke(app, ["places", "import", str(path)])
    assert anonymous.exit_code == 3, anonymous.output
    assert "--as" in anonymous.stderr
    signed = _signed(monkeypatch, make_user("officer", "patrol"))
    patrol = CliRunner().invoke(app, ["places", "import", str(path), *signed])
    assert patrol.exit_code == 3, patrol.output
    assert patrol.stderr.startswith("refused")
    assert _count(cli_database) == 0


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("streets.shp", "binary", "places come as .geojson, .json or .csv"),
        ("streets.geojson", county_file().replace('"Point"', '"Pointe"'), "no readable geometry"),
        ("addresses.csv", "address,lat,lon\n1 Main St,37.7,\n", "lon '' is not a number"),
    ],
)
def test_a_bad_file_is_refused_with_exit_2_storing_nothing(
    cli_database: Runtime,
    make_user: Callable[..., TestUser],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    content: str,
    said: str,
) -> None:
    path = tmp_path / name
    path.write_text(content)
    signed = _signed(monkeypatch, make_user("gis", "administrator"))
    result = CliRunner().invoke(app, ["places", "import", str(path), *signed])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert said in line
    assert _count(cli_database) == 0


def test_find_with_text_longer_than_any_place_name_is_bad_input(cli_database: Runtime) -> None:
    """100,000 characters are one line and exit 2, not an incident."""
    result = CliRunner().invoke(app, ["places", "find", "Main " * 20_000])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert "at most 200 characters" in line and "incident" not in line
    fits = CliRunner().invoke(app, ["places", "find", "x" * 200])
    assert fits.exit_code == 0 and "no address or intersection matches" in fits.output
