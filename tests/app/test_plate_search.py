"""The partial plate search as a detective reads its result: each plate says in words how it
matched the pattern."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from streamlit.testing.v1 import AppTest

from alpr.data.models import Purpose
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.integration.builders import World


def test_a_plate_matched_by_look_alike_characters_says_so_in_words(
    app_env: Runtime,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
) -> None:
    world = World(app_env)
    world.camera("north", 37.7, -122.4)
    now = app_env.now()
    for plate in ("7ABC123", "7A8C123"):
        world.read(plate, "north", now - timedelta(hours=1), 37.7, -122.4)
    at = app_as(make_user("rivera", "investigator"), "app_pages/plate_search.py")
    at.text_input[0].set_value("7ABC12?")
    [fuzzy] = [c for c in at.checkbox if c.label.startswith("Also OCR confusions")]
    fuzzy.check()
    at.selectbox(key="plate_purpose").set_value(Purpose.MAJOR_CRIME_CANVASS)
    at.text_input[1].set_value("26-04711")
    at.button[0].click().run()
    assert not at.exception
    table = at.dataframe[0].value
    matches = dict(zip(table["Plate read"], table["Match"], strict=True))
    assert matches == {"7ABC123": "as entered", "7A8C123": "look-alike characters (OCR confusion)"}
