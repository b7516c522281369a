"""A hot-list plate in a video processed by the worker raises an alert that a patrol officer
sees on the alerts page, with the plate crop beside the hot-list record (issue acceptance)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveApp, sign_in, start_monitoring_alerts
from tests.worker.conftest import CARS, DEV, build_video, model_dir

pytestmark = pytest.mark.models


def test_worker_read_raises_alert_seen_on_alerts_page(
    live_app: LiveApp, page: Page, artifacts: Path, tmp_path: Path
) -> None:
    env = {**live_app.env, "ALPR_MODEL_DIR": str(model_dir())}
    os.environ.setdefault("ALPR_MODEL_DIR", env["ALPR_MODEL_DIR"])
    video = build_video(tmp_path / "cars.mp4", [DEV / name for name in CARS[:2]])
    steps = [
        ("cameras", "add", "E2E Geneva Ave", "--lat", "37.7094", "--lon", "-122.4372"),
        (
            "hotlist",
            "add",
            "YG9X2G",
            "--list",
            "SVS stolen vehicles (CA DOJ)",
            "--reason",
            "Stolen vehicle (E2E)",
            "--case-number",
            "26-05555",
            "--priority",
            "high",
        ),
        ("worker", "run", "--source", str(video), "--camera", "E2E Geneva Ave", "--once"),
    ]
    admin = live_app.users["administrator"]
    signed = {"ALPR_PASSWORD": admin.password, "ALPR_TOTP": admin.code()}
    for step in steps:
        privileged = step[0] != "worker"
        result = live_app.cli(*step, *(("--as", admin.username) if privileged else ()), env=signed)
        assert result.returncode == 0, result.stderr
    sign_in(page, live_app, "patrol")
    start_monitoring_alerts(page)
    page.screenshot(path=artifacts / "alerts_page.png")
    alert = page.get_by_test_id("stExpander").filter(has_text="YG9X2G").first
    expect(alert).to_be_visible(timeout=30_000)
    crop = alert.get_by_text("Plate as read")
    expect(crop).to_be_visible()
    expect(alert.get_by_test_id("stImage").first).to_be_visible()
    expect(alert.get_by_text("Stolen vehicle (E2E)")).to_be_visible()
    crop.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=artifacts / "alert_with_crop.png")
