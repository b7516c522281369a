"""The parts of the sergeant's access-log review: the summary per person, the records a page at
a time with their flags inline, one record opened with its findings, and the exports of exactly
the rows shown. What the database returned is kept for the session until the filter, the page
or a finding changes it, so that looking again does not write the log again."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from datetime import tzinfo
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.oversight.describe import FlagView
from alpr.governance.oversight.exports import ExportedFile
from alpr.governance.oversight.report import SignedReport, signed_log_report
from alpr.governance.oversight.review import (
    DISPOSITION_LABELS,
    LogFilter,
    LogPage,
    LogRow,
    LogView,
    UserSummary,
    export_log_csv,
    mark_reviewed,
    open_record,
    record_finding,
    review_log,
    user_summary,
)
from alpr.governance.principal import Principal
from alpr.ui.context import runtime
from alpr.ui.counts import counted
from alpr.ui.kept import kept
from alpr.ui.messages import show_refusal
from alpr.ui.notices import finish

CACHE = "log_review_cache"
CSV = "review_csv"  # the rows' ids, and the CSV made of them
PDF = "review_pdf"  # the rows' ids, and the signed PDF made of them


def forget() -> None:
    """Look again at the database on the next run (after a filter or a finding)."""
    st.session_state.pop(CACHE, None)


def person(full_name: str, username: str) -> str:
    """A person as the review names them: by name, the account in brackets to tell two of one
    name apart; an account nobody holds (a failed sign-in) by what was typed."""
    return username if full_name == username else f"{full_name} ({username})"


def _when(row: LogRow, tz: tzinfo) -> str:
    return row.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def shown_address(addr: str | None) -> str:
    """A client's address as people write it: an IPv4 address the server saw in its IPv6 form
    (``::ffff:10.0.0.7``) is shown as ``10.0.0.7``."""
    if not addr:
        return ""
    try:
        mapped = ipaddress.ip_address(addr)
    except ValueError:
        return addr
    if isinstance(mapped, ipaddress.IPv6Address) and mapped.ipv4_mapped is not None:
        return str(mapped.ipv4_mapped)
    return str(mapped)


# Widths that keep each column's words whole where a sergeant needs them whole (the flags, what
# was searched for, the reason); short values stay narrow. Wider than the page, the table
# scrolls sideways rather than cut a reason short.
_COLUMNS = {
    "When": st.column_config.TextColumn("When", width=150),
    "Person": st.column_config.TextColumn("Person", width=190),
    "Flags": st.column_config.TextColumn("Flags", width=260),
    "Purpose": st.column_config.TextColumn("Purpose", width=190),
    "Searched for": st.column_config.TextColumn("Searched for", width=280),
    "Outcome": st.column_config.TextColumn("Outcome", width=110),
    "Case or reason": st.column_config.TextColumn("Case or reason", width=300),
    "Detail": st.column_config.TextColumn("Detail", width=360),
}


def _flags(row: LogRow) -> str:
    return "; ".join(f"⚑ {f.label}: {f.disposition_label}" for f in row.flags)


def _table(rows: list[LogRow], view: LogView, tz: tzinfo) -> list[dict[str, Any]]:
    if view is LogView.OTHER:
        return [
            {
                "When": _when(r, tz),
                "Person": person(r.full_name, r.username),
                "What": r.what,
                "Outcome": r.outcome,
                "Detail": r.detail,
                "From": shown_address(r.client_addr),
                "Reviewed by": ", ".join(r.reviewed_by),
            }
            for r in rows
        ]
    return [
        {
            "When": _when(r, tz),
            "Person": person(r.full_name, r.username),
            "What": r.what,
            "Flags": _flags(r),
            "Reviewed by": ", ".join(r.reviewed_by),
            "Purpose": r.purpose + (" (exigent)" if r.exigent else ""),
            "Searched for": r.searched_for,
            "Results": "" if r.results is None else f"{r.results:,}",
            "Outcome": r.outcome,
            "Case or reason": r.reason,
        }
        for r in rows
    ]


SUMMARY_HELP = {
    "Searches": "Searches of ALPR data allowed.",
    "Other looks": "Other looks at ALPR data: alert monitoring, reads and images opened, plate "
    "watches and corrections of a read, allowed: ALPR data seen without a new search.",
    "Exports": "Exports of results allowed.",
    "Refused": "Attempts refused, of every kind: searches, other looks at data and exports.",
    "Flags": "Misuse flags raised on this person's searches.",
    "Open flags": "Open flags: misuse flags no supervisor has recorded a finding on yet.",
    "Exigent": "Searches made as a life-safety emergency.",
    "Purposes": "The purposes stated for what was allowed, with how many times each.",
}

# The counts as wide as their short headers, so that on a 1024-pixel screen the purposes keep
# what is left beside the person (wider screens stretch them).
_SUMMARY_LABELS = {"Other looks": "Looks", "Open flags": "Open"}
_SUMMARY_PX = {
    "Person": 168,
    "Searches": 64,
    "Other looks": 54,
    "Exports": 58,
    "Refused": 60,
    "Flags": 46,
    "Open flags": 48,
    "Exigent": 58,
    "Purposes": 124,
}


def summary_rows(summaries: list[UserSummary]) -> list[dict[str, Any]]:
    """One row per person, the counts a supervisor scans first and the purposes, the one
    long text, last: in front, it pushed the exports past the table's edge."""
    return [
        {
            "Person": person(s.full_name, s.username),
            "Searches": s.searches,
            "Other looks": s.looks,
            "Exports": s.exports,
            "Refused": s.refused,
            "Flags": s.flags,
            "Open flags": s.open_flags,
            "Exigent": s.exigent,
            "Purposes": s.purposes,
        }
        for s in summaries
    ]


def show_summary(principal: Principal, filters: LogFilter) -> None:
    """Per person: every access to ALPR data (searches, other looks, exports, refusals),
    purposes, flags and exigent searches; a person chosen opens their records."""
    rt = runtime()
    summaries = kept(
        CACHE,
        ("summary", filters.start, filters.end, filters.username),
        lambda: user_summary(
            rt,
            principal=principal,
            start=filters.start,
            end=filters.end,
            username=filters.username,
        ),
    )
    if not summaries:
        st.info("Nobody looked at ALPR data in this period.")
        return
    event = st.dataframe(
        summary_rows(summaries),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="summary_table",
        column_config={
            name: st.column_config.Column(
                _SUMMARY_LABELS.get(name, name), help=SUMMARY_HELP.get(name), width=px
            )
            for name, px in _SUMMARY_PX.items()
        },
    )
    chosen = event.selection.rows if event and event.selection else []
    if not chosen:
        st.caption("Select a person to review their searches.")
        return
    person = summaries[chosen[0]]

    def focus() -> None:
        st.session_state["filter_user"] = person.username
        st.session_state["review_filter"] = replace(
            filters, username=person.username, view=LogView.SEARCHES
        )
        st.session_state["review_view"] = "Searches"
        st.session_state.pop(f"records_{LogView.SEARCHES}", None)
        forget()

    st.button(f"Review the searches of {person.full_name}", type="primary", on_click=focus)


def show_records(principal: Principal, filters: LogFilter) -> None:
    rt = runtime()
    tz = rt.settings.tz
    number = int(st.session_state.get(f"page_{filters.view}", 1))
    page: LogPage = kept(
        CACHE,
        ("records", filters, number),
        lambda: review_log(rt, principal=principal, filters=filters, page=number),
    )
    if not page.rows:
        st.info("No record matches this filter in this period.")
        return
    st.markdown(
        f"**{counted(page.total, 'record')}** match; page {page.page} of {page.pages}, newest "
        "first."
    )
    if page.pages > 1:
        st.number_input(
            f"Page (of {page.pages})", 1, page.pages, page.page, key=f"page_{filters.view}"
        )
    event = st.dataframe(
        _table(page.rows, filters.view, tz),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"records_{filters.view}",
        column_config=_COLUMNS,
    )
    _page_actions(principal, filters, page)
    chosen = event.selection.rows if event and event.selection else []
    if chosen and chosen[0] < len(page.rows):
        _record(principal, page.rows[chosen[0]].id)
    else:
        st.caption("Select a record to open it: its justification, parameters and results.")


def _page_actions(principal: Principal, filters: LogFilter, page: LogPage) -> None:
    """Mark the rows shown reviewed, or export them: each file is made by the governed call
    that records its export when the person asks for it, and is offered only for the rows it
    was made of."""
    ids = tuple(r.id for r in page.rows)
    # In a row that wraps, each button as wide as its words: three equal columns cut them short
    # on a laptop's screen ("Mark the 42 records on this page…").
    actions = st.container(horizontal=True, key="review_actions")
    if actions.button(f"Mark the {counted(len(ids), 'record')} on this page reviewed"):
        _mark(principal, list(ids))
    _csv(actions, principal, filters, ids)
    if actions.button("Prepare a signed PDF of these rows"):
        try:
            st.session_state[PDF] = (
                ids,
                signed_log_report(runtime(), principal=principal, filters=filters, record_ids=ids),
            )
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
    kept = st.session_state.get(PDF)
    if kept and kept[0] == ids:
        signed: SignedReport = kept[1]
        files = st.container(horizontal=True)
        files.download_button("Download PDF", signed.pdf, signed.file_name, "application/pdf")
        files.download_button("Download signature", signed.signature, f"{signed.file_name}.sig")
        files.download_button("Download public key", signed.public_key_pem, "agency-public-key.pem")


def _csv(
    column: DeltaGenerator, principal: Principal, filters: LogFilter, ids: tuple[int, ...]
) -> None:
    kept = st.session_state.get(CSV)
    if kept and kept[0] == ids:
        exported: ExportedFile = kept[1]
        column.download_button(
            "Download these rows (CSV)", exported.data, exported.file_name, exported.mime
        )
    elif column.button("Prepare a CSV of these rows"):
        try:
            exported = export_log_csv(
                runtime(), principal=principal, filters=filters, record_ids=ids
            )
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            st.session_state[CSV] = (ids, exported)
            st.rerun()


def _mark(principal: Principal, ids: list[int]) -> None:
    try:
        marked = mark_reviewed(runtime(), principal=principal, record_ids=ids)
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
        return
    said = f"{counted(marked.marked, 'record')} marked reviewed by you."
    if marked.already:
        said += f" {counted(marked.already, 'record')} you had reviewed already."
    if marked.own:
        said += f" {counted(marked.own, 'record')} of your own left for another supervisor."
    forget()
    finish("success", said)


def _record(principal: Principal, record_id: int) -> None:
    rt = runtime()
    tz = rt.settings.tz
    detail = kept(
        CACHE,
        ("record", record_id),
        lambda: open_record(rt, principal=principal, record_id=record_id),
    )
    row = detail.row
    with st.container(border=True, key="record_detail"):
        st.subheader(f"{row.what} by {person(row.full_name, row.username)}, {_when(row, tz)}")
        why, asked = st.columns(2)
        with why:
            st.markdown("**Justification**")
            st.markdown(
                "\n".join(
                    f"- {label}: {value}"
                    for label, value in (
                        ("Purpose", row.purpose or "none stated"),
                        ("Case number", detail.case_number or "none"),
                        ("Description", detail.description or "none"),
                        ("Exigent", "yes, a life-safety emergency" if row.exigent else "no"),
                        ("Approved beyond the bounds by", detail.approved_by),
                        ("Agency", detail.agency),
                        ("Outcome", row.outcome + (f": {row.detail}" if row.detail else "")),
                    )
                    if value
                )
            )
        with asked:
            st.markdown("**Parameters**")
            if detail.parameters:
                st.markdown("\n".join(f"- {label}: {value}" for label, value in detail.parameters))
            else:
                st.caption("No parameters recorded.")
        st.markdown(f"**Returned:** {counted(detail.read_count, 'read')}")
        if detail.plates:
            shown = ", ".join(detail.plates[:100]) + (" …" if len(detail.plates) > 100 else "")
            st.markdown(f"**Plates asked for or returned:** {shown}")
        if detail.patterns:
            st.caption("Patterns typed (not plates): " + ", ".join(detail.patterns))
        for flag in row.flags:
            _flag(principal, record_id, flag)
        reviewed = ", ".join(row.reviewed_by)
        st.markdown(f"**Reviewed by:** {reviewed}" if reviewed else "**Not reviewed yet.**")
        if st.button("Mark this record reviewed", type="primary"):
            _mark(principal, [record_id])


def _flag(principal: Principal, record_id: int, flag: FlagView) -> None:
    colour = "orange" if flag.disposition is None else "gray"
    st.markdown(f":{colour}-badge[⚑ {flag.label}] {flag.explanation}")
    if flag.disposition:
        st.caption(f"{flag.disposition_label} ({flag.found_by}): {flag.note}")
    with st.form(f"finding_{flag.id}"):
        choices = list(DISPOSITION_LABELS)
        chosen = st.radio(
            "Finding",
            choices,
            format_func=DISPOSITION_LABELS.__getitem__,
            horizontal=True,
            index=choices.index(flag.disposition) if flag.disposition else None,
        )
        note = st.text_input("Note", placeholder="What was checked, and what it showed")
        if st.form_submit_button("Record the finding"):
            if chosen is None:
                show_refusal(InvalidInput("choose a finding"))
                return
            try:
                record_finding(
                    runtime(),
                    principal=principal,
                    flag_id=flag.id,
                    disposition=chosen,
                    note=note,
                )
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
                return
            forget()
            finish(
                "success",
                f"Finding on the flag of record {record_id}: {DISPOSITION_LABELS[chosen]}.",
            )
