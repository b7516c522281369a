"""The result view every investigation page shares: a paged table with each read's plate crop,
whose selected read opens with its full image, the misread correction, and the audited
exports; partial-plate results grouped by plate first."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.gateway import Governed
from alpr.governance.investigations.descriptions import described
from alpr.governance.investigations.export import export_reads
from alpr.governance.investigations.follow_up import (
    correct_read,
    correct_vehicle,
    read_detail,
    read_thumbnails,
)
from alpr.governance.investigations.queries import ReadRow
from alpr.governance.investigations.results import PlateHit
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.dates import time_span
from alpr.ui.layout import LAPTOP_TABLE_PX
from alpr.ui.messages import show_refusal
from alpr.ui.vehicle_fields import vehicle_fields
from alpr.ui.zones import zone_name

PAGE_SIZE = 200
ROW_HEIGHT = 46  # tall enough to read a plate crop in the table
# Each crop's column as wide as the crop is drawn at ROW_HEIGHT: the whole plate, the vehicle.
THUMBNAIL = st.column_config.ImageColumn("Plate image", width=145)
VEHICLE_THUMBNAIL = st.column_config.ImageColumn(
    "Vehicle", help="The vehicle as the camera saw it; larger with the read's images"
)
# A read's time in a table: the year only when the reads span more than one (a table of a
# year's reads is rare, and the read's detail and exports always give it).
TIME_FORMAT = "%m-%d %H:%M:%S"
TIME_FORMAT_YEARS = "%Y-%m-%d %H:%M:%S"
# What a 1024-pixel screen leaves a table beside the sidebar, less the rows'
# checkboxes: a table of reads is no wider, whatever its columns.
READS_PX = LAPTOP_TABLE_PX - 34
# Columns whose words are short and alike from read to read, as wide as their words.
_FIXED_PX = {
    "Time": 104,
    "Plate": 75,
    "Plate image": 145,
    "Vehicle image": 62,
    "Distance": 50,
    "Stop": 50,
    "Confidence": 50,
}
# The other columns (place, vehicle, how a read matched, the plates seen with it) share what
# is left, the place taking the larger share; a long one is cut, whole on hover.
_SHARE = {"Camera": 3}


def read_columns(columns: Sequence[str], tz: Any, *, years: bool = False) -> dict[str, Any]:
    """How a table of reads with ``columns`` names them, says in a tip what each holds, and
    sizes them to fit a laptop's screen (wider screens stretch them); with ``years`` the time
    column holds the year too."""
    fixed_px = {**_FIXED_PX, "Time": 132} if years else _FIXED_PX
    fixed = sum(fixed_px.get(c, 0) for c in columns)
    shared = [c for c in columns if c not in fixed_px]
    shares = sum(_SHARE.get(c, 2) for c in shared)
    width = {c: (READS_PX - fixed) * _SHARE.get(c, 2) // shares for c in shared}
    width.update(fixed_px)
    words = {
        "Time": st.column_config.TextColumn(
            "Time",
            help=f"When the read was taken, in {zone_name(tz)}"
            + ("" if years else " (month-day; the year is with the read's images)"),
        ),
        "Plate image": THUMBNAIL,
        "Vehicle image": VEHICLE_THUMBNAIL,
        "Camera": st.column_config.TextColumn(
            "Camera", help="The camera that took the read: its place and its code"
        ),
        "Distance": st.column_config.NumberColumn(
            "Dist.", format="%d m", help="Distance from the centre of the scene"
        ),
        "Confidence": st.column_config.NumberColumn(
            "Conf.",
            format="%d%%",
            help="Confidence: how sure the plate reader was of the characters",
        ),
        "Vehicle": st.column_config.TextColumn(
            "Colour, type", help="The vehicle's colour and body type, as the models told them"
        ),
    }
    return {c: {**words.get(c, {}), "width": width[c]} for c in columns}


NO_CROP = "data:image/svg+xml," + quote(
    "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='60'>"
    "<text x='100' y='38' font-family='sans-serif' font-size='20' fill='#999' "
    "text-anchor='middle'>no crop kept</text></svg>"
)
T = TypeVar("T")


def run_search(key: str, search: Callable[[], Governed[T]]) -> Governed[T] | None:
    """Run a search and keep its result under ``key``; a refusal (or bad input) takes the
    old result off the screen and says why instead."""
    try:
        result = search()
    except (Refusal, InvalidInput) as exc:
        st.session_state.pop(key, None)
        show_refusal(exc)
        return None
    st.session_state[key] = result
    return result


def thumbnails(
    *,
    key: str,
    principal: Principal,
    search_id: int,
    rows: Sequence[ReadRow],
    vehicles: bool = False,
) -> dict[int, str]:
    """The plate crops (with ``vehicles``, the vehicle crops) of ``rows`` as data URIs for an
    image column, fetched through the gateway once for each table (every fetch is a recorded
    view of the search's reads)."""
    wanted = tuple(
        sorted(r.id for r in rows if (r.vehicle_crop_sha256 if vehicles else r.crop_sha256))
    )
    cache = f"{key}_{'vehicle_' if vehicles else ''}thumbnails"
    kept = st.session_state.get(cache)
    if kept and kept[0] == (search_id, wanted):
        return kept[1]
    if not wanted:
        return {}
    try:
        crops = read_thumbnails(
            runtime(), principal=principal, search_id=search_id, read_ids=wanted, vehicles=vehicles
        )
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
        return {}
    uris = {
        read_id: "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()
        for read_id, jpeg in crops.items()
    }
    st.session_state[cache] = ((search_id, wanted), uris)
    return uris


def matched_by(read: ReadRow) -> str:
    """How a read came into a result: by its plate, or by the reader's other reading of it."""
    if read.alternative is None:
        return "plate as read"
    return f"alternative reading {read.alternative} (score {read.alternative_score or 0:.0%})"


def alternatives_notice(rows: Sequence[ReadRow]) -> None:
    """Say, above a result, how many of its reads only an alternative reading brought in."""
    found = sum(r.alternative is not None for r in rows)
    if found:
        st.warning(
            f"{counted(found, 'read')} found by an **alternative reading**: the reader's "
            "other reading of the plate matches, not the plate as read (see “Matched by”). "
            "Compare the plate crop before relying on it.",
            icon=":material/help:",
        )


def reads_summary(rows: Sequence[ReadRow], tz: Any, *, plates: bool = True) -> str:
    """A result in the words a detective reports it in: how many reads, of how many plates
    (unless ``plates`` is false: one plate's history), at how many cameras, and from the first
    read to the last: "5 reads of 3 plates at 1 camera, 2026-12-01 22:37–22:42"."""
    if not rows:
        return "no read"
    of = f" of {counted(len({r.plate for r in rows}), 'plate')}" if plates else ""
    cameras = counted(len({r.camera_id for r in rows}), "camera")
    first = min(r.captured_at for r in rows)
    last = max(r.captured_at for r in rows)
    return f"{counted(len(rows), 'read')}{of} at {cameras}, {time_span(first, last, tz)}"


def spans_years(rows: Sequence[ReadRow], tz: Any) -> bool:
    return len({r.captured_at.astimezone(tz).year for r in rows}) > 1


def _table(
    rows: Sequence[ReadRow],
    tz: Any,
    extra: dict[int, dict[str, Any]],
    images: dict[int, str] | None,
    vehicle_images: dict[int, str] | None,
) -> list[dict[str, Any]]:
    """One row per read in the order a detective reads it: when, the plate beside the crop
    that confirms it and the vehicle's crop, and where; then how far from the scene, how sure
    the reader was and the vehicle's colour and type. The read's number opens with the read."""
    marked = any(r.alternative is not None for r in rows)
    described_any = any(r.vehicle_colour is not None or r.vehicle_type is not None for r in rows)
    when = TIME_FORMAT_YEARS if spans_years(rows, tz) else TIME_FORMAT
    return [
        {
            "Time": r.captured_at.astimezone(tz).strftime(when),
            "Plate": r.plate + (f" → {r.corrected_plate}" if r.corrected_plate else ""),
            **({"Plate image": images.get(r.id, NO_CROP)} if images is not None else {}),
            **(
                {"Vehicle image": vehicle_images.get(r.id, NO_CROP)}
                if vehicle_images is not None
                else {}
            ),
            **extra.get(r.id, {}),
            "Camera": r.where,
            **({"Distance": round(r.distance_m)} if r.distance_m is not None else {}),
            "Confidence": round(r.confidence * 100),
            **(
                {"Vehicle": described(r.vehicle_colour, r.vehicle_type) or "not described"}
                if described_any
                else {}
            ),
            **({"Matched by": matched_by(r)} if marked else {}),
        }
        for r in rows
    ]


def show_reads(
    *,
    key: str,
    principal: Principal,
    search_id: int | None,
    rows: Sequence[ReadRow],
    extra: dict[int, dict[str, Any]] | None = None,
    exports: bool = True,
) -> None:
    rt = runtime()
    tz = rt.settings.tz
    if not rows:
        st.info("No reads match.")
        return
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = (
        st.number_input(
            f"Page (of {pages}, {PAGE_SIZE} reads each)", 1, pages, 1, key=f"{key}_page"
        )
        if pages > 1
        else 1
    )
    shown = list(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    images = (
        None
        if search_id is None
        else thumbnails(key=key, principal=principal, search_id=search_id, rows=shown)
    )
    vehicle_images = (
        None
        if search_id is None or not any(r.vehicle_crop_sha256 for r in shown)
        else thumbnails(
            key=key, principal=principal, search_id=search_id, rows=shown, vehicles=True
        )
    )
    table = _table(shown, tz, extra or {}, images, vehicle_images)
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"{key}_table",
        row_height=ROW_HEIGHT,
        column_config=read_columns(
            list(dict.fromkeys(c for row in table for c in row)), tz, years=spans_years(shown, tz)
        ),
    )
    if search_id is None:
        return
    if exports:
        _exports(key=key, principal=principal, search_id=search_id, rows=list(rows))
    selected = event.selection.rows if event and event.selection else []
    if selected:
        _detail(key=key, principal=principal, search_id=search_id, row=shown[selected[0]])
    else:
        st.caption("Select a row to see the plate crop and the full image.")


def show_plate_groups(
    *, key: str, principal: Principal, search_id: int | None, hits: Sequence[PlateHit]
) -> None:
    """Partial and fuzzy results as a detective scans them: one row per plate (its latest crop
    beside it, how it matched, how many reads, at how many cameras, when first and last), the
    reads of the plate chosen below it, and the exports of every read."""
    if not hits:
        st.info("No reads match.")
        return
    alternatives_notice([h.read for h in hits])
    groups: dict[str, list[PlateHit]] = {}
    for hit in hits:
        label = hit.read.plate
        if hit.read.alternative is not None:
            label += f" (alternative reading {hit.read.alternative})"
        groups.setdefault(label, []).append(hit)
    tz = runtime().settings.tz
    faces = [
        max(
            (h.read for h in group),
            key=lambda r: (r.crop_sha256 is not None, r.captured_at, r.id),
        )
        for group in groups.values()
    ]
    images = (
        {}
        if search_id is None
        else thumbnails(key=f"{key}_plates", principal=principal, search_id=search_id, rows=faces)
    )
    table = []
    for face, (plate, group) in zip(faces, groups.items(), strict=True):
        times = [h.read.captured_at for h in group]
        table.append(
            {
                "Plate": group[0].marked,
                "Plate image": images.get(face.id, NO_CROP),
                "Match": _match(group[0]),
                "Reads": len(group),
                "Cameras": len({h.read.camera_id for h in group}),
                "Last seen": f"{max(times).astimezone(tz):%Y-%m-%d %H:%M}",
                "First seen": f"{min(times).astimezone(tz):%Y-%m-%d}",
                "Plate read": plate,
            }
        )
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"{key}_plates",
        row_height=ROW_HEIGHT,
        column_config={
            "Plate": st.column_config.TextColumn(
                "Plate",
                width=72,
                help="The plate as read; [ ] marks a character unlike the pattern's",
            ),
            "Plate image": THUMBNAIL,
            # The plate, its crop, how it matched, how often and when it was seen fit a laptop's
            # screen beside the sidebar: the match's first words ("look-alike characters"),
            # the rest on hover; the first sighting by its day, its time with the plate's reads.
            "Match": st.column_config.TextColumn(
                "Match", width=132, help="How the plate matched what was asked"
            ),
            "Reads": st.column_config.NumberColumn("Reads", width=57),
            "Cameras": st.column_config.NumberColumn("Cameras", width=72),
            "Last seen": st.column_config.TextColumn(
                "Last seen", width=120, help=f"In {zone_name(tz)}"
            ),
            "First seen": st.column_config.TextColumn(
                "First seen", width=87, help="The day of the plate's first read"
            ),
            "Plate read": None,
        },
    )
    if search_id is not None:
        _exports(key=key, principal=principal, search_id=search_id, rows=[h.read for h in hits])
    selected = event.selection.rows if event and event.selection else []
    if not selected:
        st.caption("Select a plate to see its reads.")
        return
    plate = list(groups)[selected[0]]
    group = groups[plate]
    st.subheader(f"{plate}: {counted(len(group), 'read')}")
    # The plate's row above says how its reads matched; a read says it only where they differ.
    matches = {h.read.id: _match(h) for h in group}
    show_reads(
        key=f"{key}_{plate}",
        principal=principal,
        search_id=search_id,
        rows=[h.read for h in group],
        extra=(
            {read_id: {"Match": words} for read_id, words in matches.items()}
            if len(set(matches.values())) > 1
            else None
        ),
        exports=False,
    )


# How a plate matched the pattern, as the result tables say it.
MATCH_WORDS = {
    "exact": "as entered",
    "confusion": "look-alike characters (OCR confusion)",
    "substitution": "one character different",
    "corrected": "corrected plate",
}


def _match(hit: PlateHit) -> str:
    if hit.read.alternative is None:
        return MATCH_WORDS.get(hit.match, hit.match)
    how = MATCH_WORDS.get(hit.alternative_match or "", hit.alternative_match)
    return f"{matched_by(hit.read)}, {how}"


def _exports(*, key: str, principal: Principal, search_id: int, rows: list[ReadRow]) -> None:
    if not principal.can(Permission.EXPORT_READS):
        return
    left, right = st.columns(2, width=440)  # each button's words whole on a narrow screen
    for column, fmt, mime in ((left, "csv", "text/csv"), (right, "pdf", "application/pdf")):
        if column.button(f"Prepare {fmt.upper()} export", key=f"{key}_{fmt}"):
            try:
                st.session_state[f"{key}_{fmt}_data"] = export_reads(
                    runtime(), principal=principal, search_id=search_id, rows=rows, fmt=fmt
                )
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
        data = st.session_state.get(f"{key}_{fmt}_data")
        if data:
            column.download_button(
                f"Download {fmt.upper()}",
                data,
                file_name=f"alpr-search-{search_id}.{fmt}",
                mime=mime,
                key=f"{key}_{fmt}_download",
            )


def _detail(*, key: str, principal: Principal, search_id: int, row: ReadRow) -> None:
    rt = runtime()
    try:
        detail = read_detail(rt, principal=principal, search_id=search_id, read_id=row.id)
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
        return
    taken = row.captured_at.astimezone(rt.settings.tz)
    camera = row.where
    st.subheader(f"{row.plate} at {camera}, {taken:%Y-%m-%d %H:%M}")
    st.caption(f"Read #{row.id}")
    crop, frame = st.columns([1, 2])
    with crop:
        if detail.crop_jpeg:
            st.image(detail.crop_jpeg, caption="Plate crop", width="stretch")
        else:
            st.caption("No plate crop stored for this read.")
        st.markdown(
            f"**Read as** `{row.plate}` (raw `{detail.raw_text or row.plate}`), confidence "
            f"{row.confidence:.0%}  \n**Camera** {camera}  \n**Time** "
            f"{taken:%Y-%m-%d %H:%M:%S %Z}"
        )
        others = [
            f"`{item[0]}` ({item[1]:.0%})"
            for item in detail.alternatives or []
            if isinstance(item, list) and len(item) >= 2 and item[0] != row.plate
        ]
        if others:
            st.markdown("**Other readings** " + ", ".join(others))
        for plate, reason, at in detail.corrections:
            st.warning(
                f"Corrected to {plate} on {at.astimezone(rt.settings.tz):%Y-%m-%d %H:%M}: {reason}"
            )
        if detail.vehicle_jpeg:
            st.image(detail.vehicle_jpeg, caption="Vehicle", width="stretch")
        if words := described(row.vehicle_colour, row.vehicle_type):
            st.markdown(f"**Vehicle** {words}")
        for attribute, original, corrected, reason, at in detail.vehicle_corrections:
            st.warning(
                f"Vehicle {attribute} corrected from {original} to {corrected} on "
                f"{at.astimezone(rt.settings.tz):%Y-%m-%d %H:%M}: {reason}"
            )
    with frame:
        if detail.frame_jpeg:
            st.image(detail.frame_jpeg, caption="Full image", width="stretch")
        else:
            st.caption("No full image stored for this read.")
    if principal.can(Permission.CORRECT_READS):
        with st.form(f"{key}_correct_{row.id}"), st.expander("Flag as misread"):
            plate = st.text_input("Correct plate", key=f"{key}_fix_plate")
            reason = st.text_input("What the image shows", key=f"{key}_fix_reason")
            if st.form_submit_button("Record correction"):
                try:
                    correct_read(
                        rt,
                        principal=principal,
                        search_id=search_id,
                        read_id=row.id,
                        corrected_plate=plate,
                        reason=reason,
                    )
                    st.success("Correction recorded; the original read is kept.")
                except (Refusal, InvalidInput) as exc:
                    show_refusal(exc)
        with st.form(f"{key}_vehicle_{row.id}"), st.expander("Correct the vehicle"):
            vehicle = vehicle_fields(key=f"{key}_fix")
            reason = st.text_input("What the image shows", key=f"{key}_fix_vehicle_reason")
            if st.form_submit_button("Record vehicle correction"):
                try:
                    correct_vehicle(
                        rt,
                        principal=principal,
                        search_id=search_id,
                        read_id=row.id,
                        colour=vehicle.colour.label if vehicle and vehicle.colour else None,
                        kind=vehicle.type.label if vehicle and vehicle.type else None,
                        reason=reason,
                    )
                    st.success("Correction recorded; the models' description is kept.")
                except (Refusal, InvalidInput) as exc:
                    show_refusal(exc)
