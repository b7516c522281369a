"""A plate's reads on a dated time axis in the agency's time zone, one row per camera named by
its place, the earliest blue and the latest red (the map's ramp), numbered as on the map."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import altair as alt

from alpr.governance.investigations.queries import ReadRow
from alpr.governance.investigations.snapshot import time_colour
from alpr.ui.zones import zone_name

AXIS_FORMAT = "%a %b %-d %H:%M"


def _wall_clock_ms(at: datetime, tz: Any) -> float:
    """The agency's wall-clock time as milliseconds read as UTC: the chart draws it with a UTC
    scale, so the axis says the agency's time whatever the browser's zone."""
    return at.astimezone(tz).replace(tzinfo=UTC).timestamp() * 1000


def timeline_chart(*, reads: Sequence[ReadRow], tz: Any) -> alt.Chart:
    ordered = sorted(reads, key=lambda r: (r.captured_at, r.id))
    first, last = ordered[0].captured_at, ordered[-1].captured_at
    rows = [
        {
            "at": _wall_clock_ms(r.captured_at, tz),
            "when": f"{r.captured_at.astimezone(tz):%a %Y-%m-%d %H:%M:%S}",
            "stop": number,
            "camera": r.where,
            "colour": "#{:02x}{:02x}{:02x}".format(*time_colour(r.captured_at, first, last)),
        }
        for number, r in enumerate(ordered, start=1)
    ]
    return (
        alt.Chart(alt.Data(values=rows), height=130 + 30 * len({r.where for r in reads}))
        .mark_circle(size=110, opacity=0.9, clip=False)
        .encode(
            x=alt.X(
                "at:T",
                title=f"Time ({zone_name(tz)})",
                scale=alt.Scale(type="utc", padding=18, nice=False),
                axis=alt.Axis(
                    labelExpr=f"utcFormat(datum.value, '{AXIS_FORMAT}')",
                    labelAngle=-30,
                    labelOverlap=True,
                    grid=True,
                ),
            ),
            y=alt.Y("camera:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=320)),
            color=alt.Color("colour:N", scale=None),
            tooltip=[
                alt.Tooltip("stop:Q", title="#"),
                alt.Tooltip("when:N", title="Time"),
                alt.Tooltip("camera:N", title="Camera"),
            ],
        )
        .properties(width="container")
    )
