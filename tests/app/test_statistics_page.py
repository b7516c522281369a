"""Usage statistics name each camera by its place, as command staff know the city."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.integration.builders import World


def test_cameras_are_named_by_their_place(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    world = World(app_env)
    world.camera("DC-003", 37.7, -122.4, place="Mission St & Crocker Ave")
    world.read("7ABC123", "DC-003", datetime.now(UTC) - timedelta(hours=1), 37.7, -122.4)
    at = app_as(make_user("park", "command"), "app_pages/usage_statistics.py")
    assert not at.exception
    labels: set[str] = set()
    for chart in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"):
        arrows = [chart.proto.data.data] + [d.data.data for d in chart.proto.datasets]
        for frame in (convert_arrow_bytes_to_pandas_df(a) for a in arrows if a):
            if "Camera" in frame.columns:
                labels |= set(frame["Camera"])
    assert "Mission St & Crocker Ave (DC-003)" in labels
