"""The dashboard's Streamlit settings that are safeguards, not taste: an unexpected error shows
no details (a database error can quote a row's values, R50), the tables' own CSV download is
off (exports go through the recorded export, R20), and cross-site requests are refused."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_the_dashboard_shows_no_error_details_nor_unrecorded_downloads() -> None:
    config = tomllib.loads(CONFIG.read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["disableDataExport"] is True
    assert config["server"]["enableXsrfProtection"] is True
