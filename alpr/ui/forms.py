"""Forms that keep what was typed when the act is refused or the input is wrong, and clear it
only once the act has succeeded (Streamlit's ``clear_on_submit`` clears it either way)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from alpr.ui.notices import finish, form_version


@dataclass(frozen=True)
class KeptForm:
    """``key(field)`` names each widget of the form; ``done(text)`` empties the form, says
    ``text`` where the page shows its notices and runs the page again."""

    name: str

    @property
    def _version(self) -> str:
        return f"{self.name}.version"

    def key(self, field: str) -> str:
        return f"{self.name}.{form_version(self._version)}.{field}"

    def done(self, text: str) -> NoReturn:
        finish("success", text, forms=self._version)
