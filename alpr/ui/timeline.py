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
# A tick at midnight says its day alone ("Wed Nov 18", not "Wed Nov 18 00:00").
AXIS_LABEL = (
    "utchours(datum.value) == 0 && utcminutes(datum.value) == 0"
    f" ? utcFormat(datum.value, '%a %b %-d') : utcFormat(datum.value, '{AXIS_FORMAT}')"
)
LABEL_PX = 12  # the axes' and numbers' type: Vega's default 10 px is small on a laptop
SAME_PLACE_SHARE = 0.03  # reads at one camera closer than this share of the span share a label
MAX_NUMBERED = 40  # beyond this many reads the dots go unnumbered (the numbers would pile up)


def _wall_clock_ms(at: datetime, tz: Any) -> float:
    """The agency's wall-clock time as milliseconds read as UTC: the chart draws it with a UTC
    scale, so the axis says the agency's time whatever the browser's zone."""
    return at.astimezone(tz).replace(tzinfo=UTC).timestamp() * 1000


def stop_labels(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The dots' numbers, one label per run of reads at one camera close together in time
    ("4, 5" at the first of them), so that two numbers are never drawn over each other."""
    if not rows:
        return []
    near = (max(r["at"] for r in rows) - min(r["at"] for r in rows)) * SAME_PLACE_SHARE
    labels: list[dict[str, Any]] = []
    last_at: dict[str, float] = {}
    for row in sorted(rows, key=lambda r: r["stop"]):
        camera = row["camera"]
        label = next((lb for lb in reversed(labels) if lb["camera"] == camera), None)
        if label is not None and row["at"] - last_at[camera] <= near:
            label["text"] += f", {row['stop']}"
        else:
            labels.append({"at": row["at"], "camera": camera, "text": str(row["stop"])})
        last_at[camera] = row["at"]
    return labels


def timeline_chart(*, reads: Sequence[ReadRow], tz: Any) -> alt.Chart | alt.LayerChart:
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
    base = alt.Chart(alt.Data(values=rows), height=130 + 30 * len({r.where for r in reads}))
    dots = base.mark_circle(size=110, opacity=0.9, clip=False).encode(
        x=alt.X(
            "at:T",
            title=f"Time ({zone_name(tz)})",
            scale=alt.Scale(type="utc", padding=18, nice=False),
            axis=alt.Axis(
                labelExpr=AXIS_LABEL,
                labelAngle=-30,
                labelOverlap=True,
                labelFontSize=LABEL_PX,
                titleFontSize=LABEL_PX,
                grid=True,
            ),
        ),
        y=alt.Y(
            "camera:N",
            title=None,
            sort="ascending",
            axis=alt.Axis(labelLimit=320, labelFontSize=LABEL_PX),
        ),
        color=alt.Color("colour:N", scale=None),
        tooltip=[
            alt.Tooltip("stop:Q", title="#"),
            alt.Tooltip("when:N", title="Time"),
            alt.Tooltip("camera:N", title="Camera"),
        ],
    )
    if len(rows) > MAX_NUMBERED:
        return dots.properties(width="container")
    # Each dot's number, as the map numbers its stop, above it (beside it, two reads minutes
    # apart would run their numbers into each other).
    numbers = (
        alt.Chart(alt.Data(values=stop_labels(rows)))
        .mark_text(dy=-13, fontSize=LABEL_PX, fontWeight="bold", clip=False)
        .encode(x="at:T", y=alt.Y("camera:N", sort="ascending"), text="text:N")
    )
    return alt.LayerChart(layer=[dots, numbers], width="container")
