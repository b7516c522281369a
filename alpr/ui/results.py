"""The result view every investigation page shares: a paged table whose selected read opens
with its plate crop and full image, the misread correction, and the audited exports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.gateway import Governed
from alpr.governance.investigations.export import export_reads
from alpr.governance.investigations.follow_up import correct_read, read_detail
from alpr.governance.investigations.queries import ReadRow
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.ui.context import runtime
from alpr.ui.messages import show_refusal

PAGE_SIZE = 200
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


def _table(
    rows: Sequence[ReadRow], tz: Any, extra: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    return [
        {
            "Read": r.id,
            "Plate": r.plate + (f" → {r.corrected_plate}" if r.corrected_plate else ""),
            "Time": r.captured_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
            "Camera": r.camera_name,
            **({"Distance (m)": r.distance_m} if r.distance_m is not None else {}),
            "Confidence": round(r.confidence, 3),
            **extra.get(r.id, {}),
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
    event = st.dataframe(
        _table(shown, tz, extra or {}),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"{key}_table",
    )
    if search_id is None:
        return
    _exports(key=key, principal=principal, search_id=search_id, rows=list(rows))
    selected = event.selection.rows if event and event.selection else []
    if selected:
        _detail(key=key, principal=principal, search_id=search_id, row=shown[selected[0]])
    else:
        st.caption("Select a row to see the plate crop and the full image.")


def _exports(*, key: str, principal: Principal, search_id: int, rows: list[ReadRow]) -> None:
    if not principal.can(Permission.EXPORT_READS):
        return
    left, right, _ = st.columns([1, 1, 4])
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
    st.subheader(f"Read {row.id}: {row.plate}")
    crop, frame = st.columns([1, 2])
    with crop:
        if detail.crop_jpeg:
            st.image(detail.crop_jpeg, caption="Plate crop", width="stretch")
        else:
            st.caption("No plate crop stored for this read.")
        st.markdown(
            f"**Read as** `{row.plate}` (raw `{detail.raw_text or row.plate}`), confidence "
            f"{row.confidence:.2f}  \n**Camera** {row.camera_name}  \n**Time** "
            f"{row.captured_at.astimezone(rt.settings.tz):%Y-%m-%d %H:%M:%S %Z}"
        )
        for plate, reason, at in detail.corrections:
            st.warning(f"Corrected to {plate} on {at:%Y-%m-%d}: {reason}")
    with frame:
        if detail.frame_jpeg:
            st.image(detail.frame_jpeg, caption="Full image", width="stretch")
        else:
            st.caption("No full image stored for this read.")
    if principal.can(Permission.CORRECT_READS):
        with st.form(f"{key}_correct_{row.id}"), st.expander("Flag as misread (R53)"):
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
