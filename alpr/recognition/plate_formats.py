"""Plate-format priors: how likely a plate's layout of letters and digits is where it is read.

A prior never forbids a plate. It weighs each candidate text read by the OCR, so that between
two readings the OCR finds nearly as likely (``B951283`` or ``8951283``), the one with a layout
the region issues wins; a confident reading of an unusual layout (a vanity plate) still stands.
"""

from __future__ import annotations

from dataclasses import dataclass


def layout(plate: str) -> str:
    """The plate's layout: ``D`` for each digit, ``L`` for each letter (``1ABC234`` ->
    ``DLLLDDD``)."""
    return "".join("D" if ch.isdigit() else "L" for ch in plate)


@dataclass(frozen=True)
class FormatPrior:
    """Weights over layouts: 1 for the layouts in ``layouts``, ``other`` for any other."""

    name: str
    layouts: frozenset[str]
    other: float

    def weight(self, plate: str) -> float:
        return 1.0 if layout(plate) in self.layouts else self.other


# Layouts of standard-issue US plates (separators dropped). California: 1ABC234 (since 1980),
# 123ABC / ABC123 (older), commercial 1A23456, 12345A1 and 1234567, motorcycle 12A3456 and
# 1A2345. Other states: ABC1234 (TX, NY, PA, GA, OH, NC, VA, WA, AZ...), ABC123 / 123ABC
# and ABC-123 (many), AB12345 (IL), A12BCD (NJ), 1AB234 / 12AB34 / 123AB4 (MA, CT, MN...),
# ABCD12 / ABC1D (FL), 1ABC23 (NV, OR) and AB1234, 1234AB.
US_LAYOUTS = frozenset(
    {
        "DLLLDDD",
        "DDDLLL",
        "LLLDDD",
        "DLDDDDD",
        "DDDDDLD",
        "DDDDDDD",
        "DDLDDDD",
        "DLDDDD",
        "LLLDDDD",
        "LLDDDDD",
        "LDDLLL",
        "DLLDDD",
        "DDLLDD",
        "DDDLLD",
        "LLLLDD",
        "LLLDL",
        "DLLLDD",
        "LLDDDD",
        "DDDDLL",
    }
)
# A US layout outside the list (vanity and specialty plates) needs five times the OCR's
# evidence to win.
US = FormatPrior("US", US_LAYOUTS, other=0.2)

PRIORS = {"US": US}
