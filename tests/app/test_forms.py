"""Forms keep what was typed when the act is refused (R12): the hot-list entry form shows the
error with every field as typed, and clears only once the entry is added."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from alpr.governance import hotlists
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser


def _field(at: AppTest, label: str) -> str:
    [found] = [t for t in at.text_input if t.label.startswith(label)]
    return str(found.value)


def test_hot_list_entry_keeps_its_input_on_error_and_clears_on_success(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    hotlists.ensure_list(app_env, actor=None, name="Department custom", kind="custom")
    at = app_as(make_user("admin1", "administrator"), "app_pages/hotlists.py")
    [pattern] = [t for t in at.text_input if t.label.startswith("Plate or pattern")]
    pattern.set_value("7KQ?48?")
    [reason] = [t for t in at.text_input if t.label == "Reason"]
    reason.set_value("Shooting on Mission St, witness saw a partial plate")
    [priority] = [s for s in at.selectbox if s.label == "Priority"]
    priority.set_value("medium")
    [add] = [b for b in at.button if b.label == "Add entry"]
    add.click().run()  # a partial plate needs a case number
    assert not at.exception
    assert any("case number" in e.value.lower() for e in at.error)
    assert _field(at, "Plate or pattern") == "7KQ?48?"
    assert _field(at, "Reason") == "Shooting on Mission St, witness saw a partial plate"
    assert [s.value for s in at.selectbox if s.label == "Priority"] == ["medium"]
    [case] = [t for t in at.text_input if t.label.startswith("Case, call or warrant")]
    case.set_value("26-04711")
    [add] = [b for b in at.button if b.label == "Add entry"]
    add.click().run()
    assert not at.exception and not [e for e in at.error if "case number" in e.value.lower()]
    assert "7KQ?48? added to Department custom" in at.success[0].value
    assert _field(at, "Plate or pattern") == "" and _field(at, "Reason") == ""
    assert [s.value for s in at.selectbox if s.label == "Priority"] == ["high"]
