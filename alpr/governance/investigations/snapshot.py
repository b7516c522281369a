"""A printable map of a result set, drawn without a tile server (reports and evidence are made
offline): reads coloured from earliest to latest, the searched circle, a scale bar, north up."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import datetime

from PIL import Image, ImageDraw, ImageFont

METRES_PER_DEGREE = 111_320.0
_SCALES_M = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000)


def time_colour(at: datetime, first: datetime, last: datetime) -> tuple[int, int, int]:
    """Blue for the earliest read, red for the latest (the same ramp on screen and paper)."""
    span = (last - first).total_seconds() or 1.0
    t = (at - first).total_seconds() / span
    return int(40 + 215 * t), int(90 + 60 * (1 - t)), int(230 * (1 - t))


def map_png(
    points: Sequence[tuple[float, float]],
    *,
    times: Sequence[datetime] | None = None,
    circle: tuple[float, float, float] | None = None,
    size: tuple[int, int] = (900, 600),
) -> bytes:
    """``points`` as (lat, lon); ``circle`` as (lat, lon, radius in metres)."""
    width, height = size
    image = Image.new("RGB", size, (246, 246, 242))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=18)
    anchors = list(points) or ([circle[:2]] if circle else [(0.0, 0.0)])
    lat0 = sum(p[0] for p in anchors) / len(anchors)
    lon0 = sum(p[1] for p in anchors) / len(anchors)
    if circle:
        lat0, lon0 = circle[0], circle[1]
    shrink = math.cos(math.radians(lat0))

    def metres(lat: float, lon: float) -> tuple[float, float]:
        return (lon - lon0) * shrink * METRES_PER_DEGREE, (lat - lat0) * METRES_PER_DEGREE

    local = [metres(lat, lon) for lat, lon in points]
    reach = max([50.0, *(max(abs(x), abs(y)) for x, y in local)])
    if circle:
        reach = max(reach, circle[2])
    margin = 40
    scale = min(width - 2 * margin, height - 2 * margin) / (2.2 * reach)  # pixels per metre

    def pixel(x: float, y: float) -> tuple[float, float]:
        return width / 2 + x * scale, height / 2 - y * scale

    if circle:
        cx, cy = pixel(0.0, 0.0)
        r = circle[2] * scale
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(30, 60, 120), width=2)
        draw.line((cx - 7, cy, cx + 7, cy), fill=(220, 30, 30), width=2)
        draw.line((cx, cy - 7, cx, cy + 7), fill=(220, 30, 30), width=2)
    first = min(times) if times else None
    last = max(times) if times else None
    for index, (x, y) in enumerate(local):
        colour = (
            time_colour(times[index], first, last) if times and first and last else (40, 40, 200)
        )
        px, py = pixel(x, y)
        draw.ellipse((px - 4, py - 4, px + 4, py + 4), fill=colour, outline=(20, 20, 20))
    bar_m = max(s for s in _SCALES_M if s * scale <= width / 4 or s == _SCALES_M[0])
    x0, y0 = margin, height - margin / 2
    draw.line((x0, y0, x0 + bar_m * scale, y0), fill=(20, 20, 20), width=3)
    label = f"{bar_m // 1000} km" if bar_m >= 1000 else f"{bar_m} m"
    draw.text((x0, y0 - 24), label, fill=(20, 20, 20), font=font)
    draw.text((width - margin, margin / 2), "N ^", fill=(20, 20, 20), font=font)
    caption = f"{len(local)} reads" + ("; blue earliest, red latest" if times else "")
    draw.text((margin, margin / 2), caption, fill=(20, 20, 20), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
