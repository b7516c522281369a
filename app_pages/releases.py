from pathlib import PurePath

import pandas as pd
import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.justification import PURPOSE_LABELS
from alpr.governance.permissions import Permission
from alpr.governance.places import PlaceMatch
from alpr.governance.releases.fulfilment import fulfil, package_zip
from alpr.governance.releases.labels import (
    ATTACHMENT_KINDS,
    LEGAL_BASES,
    REQUESTED,
    RULES_DECISIONS,
)
from alpr.governance.releases.registry import list_agencies, list_agreements
from alpr.governance.releases.requests import (
    Attachment,
    RequestForm,
    decide,
    file_request,
    set_scope,
)
from alpr.governance.releases.views import RequestView, list_requests, request_view
from alpr.governance.scopes import ScopeInput
from alpr.ui.context import runtime
from alpr.ui.counts import counted, size_spoken
from alpr.ui.dates import NB_HYPHEN, cell_day
from alpr.ui.fingerprints import fingerprint
from alpr.ui.guard import require_signed_in
from alpr.ui.messages import show_refusal
from alpr.ui.notices import Tone, boxed, finish, show_pending
from alpr.ui.places import address_finder
from alpr.ui.time_window import period_fields

RULE_TONES: dict[str, Tone] = {
    "eligible": "success",
    "review": "warning",
    "refused": "error",
    "aggregate_only": "info",
}
STATUS_TONES: dict[str, Tone] = {
    "filed": "warning",  # waits on the commander
    "routed_to_records_manager": "warning",
    "approved": "success",
    "denied": "error",
    "fulfilled": "success",
}
TONE_CELLS: dict[Tone, str] = {
    "success": "background-color: #e6f4ea; color: #1e6b34",
    "warning": "background-color: #fff4dc; color: #7a4b00",
    "error": "background-color: #fde7e7; color: #a4161a",
    "info": "",
}
NOT_AN_AGENCY = "— Not an agency: a member of the public, the media, a private party —"
OPEN, FILE = "Requests on file", "File a new request"
DEFAULT_CENTRE = (37.6879, -122.4702)  # where no address is found, the agency's city

principal = require_signed_in()
if not (principal.can(Permission.FILE_RELEASES) or principal.can(Permission.APPROVE_RELEASES)):
    st.error("Releases are handled by records clerks and command staff.")
    st.stop()
rt = runtime()
tz = rt.settings.tz
st.title("Requests for ALPR data")
st.caption(
    "Checked against California law: in-state public agencies only, nothing for "
    "immigration enforcement, counts only for the public and the media. Every "
    "plate-level release names what it covers and is approved by a commander first."
)
show_pending()


def _scope_fields(key: str, place: PlaceMatch | None) -> ScopeInput:
    """Inside a form: what the request covers; its area centred on ``place`` when one was
    found (the type-ahead runs outside the form, which only answers when submitted)."""
    st.markdown(
        "**What it covers** — plates (exact or partial, e.g. `7KQM482`, `7KQM4?2`), and/or "
        "an area (a centre and a radius: the case's, or for counts the place asked about), "
        "within the period the request states."
    )
    c1, c2 = st.columns([2, 1])
    plates = c1.text_input("Plates (comma separated)", key=f"{key}_plates")
    case = c2.text_input("Case number (the requester's or ours)", key=f"{key}_case")
    at = place.name if place else ""
    with_area = st.checkbox(
        "The request covers an area", value=place is not None, key=f"{key}_with_area_{at}"
    )
    a1, a2, a3 = st.columns(3)
    if place:
        # The clerk names the area by the address found above, never by typing coordinates.
        a1.markdown(f"**Centre** {place.name}  \n:gray[found above]")
        lat, lon = place.lat, place.lon
    else:
        typed = "Only when no address is found above: find the area's address there first."
        lat = a1.number_input(
            "Centre latitude", value=DEFAULT_CENTRE[0], format="%.6f", key=f"{key}_lat", help=typed
        )
        lon = a2.number_input(
            "Centre longitude", value=DEFAULT_CENTRE[1], format="%.6f", key=f"{key}_lon", help=typed
        )
    radius = a3.number_input("Radius (m)", 10, 50_000, 300, step=50, key=f"{key}_radius")
    period = period_fields(key=f"{key}_period")
    return ScopeInput(
        plates=tuple(p.strip() for p in plates.split(",") if p.strip()),
        start=period[0] if period else None,
        end=period[1] if period else None,
        case_number=case or None,
        lat=lat if with_area else None,
        lon=lon if with_area else None,
        radius_m=float(radius) if with_area else None,
        address=place.name if with_area and place else None,
    )


def _period(request: RequestView) -> str:
    """The period a request covers, as a person says it: "from Sun Nov 1, 2026 00:00 to Mon Nov
    30, 2026 23:59 (30 days)"."""
    if request.period is None:
        return "no period named yet"
    start, end = (at.astimezone(tz) for at in request.period)
    days = (end - start).total_seconds() / 86400
    length = counted(round(days), "day") if days >= 1 else counted(round(days * 24), "hour")
    return f"from {start:%a %b %-d, %Y %H:%M} to {end:%a %b %-d, %Y %H:%M} ({length})"


def _covers_in_short(request: RequestView) -> str:
    """What a request covers, for the list: "plates 7KQM482; case 26-04711; Nov 10 to Nov 20,
    2026", a case number never broken at its hyphen."""
    if request.covers is None or request.period is None:
        return "not yet named"
    start, end = (at.astimezone(tz) for at in request.period)
    first = f"{start:%b %-d}" if start.year == end.year else f"{start:%b %-d, %Y}"
    return f"{request.covers.replace('-', NB_HYPHEN)}; {first} to {end:%b %-d, %Y}"


def _selects(request: RequestView) -> str:
    return (
        f"{counted(request.scope_reads, 'read')} selected"
        if request.scope_reads is not None
        else "no read counted: nothing is looked at for a request the law refuses"
    )


def _waits_on_me(request: RequestView) -> bool:
    """Whether the request waits on the person looking: the commander's decision, the
    clerk's scope for a request that names none yet, or the package of an approved one."""
    undecided = request.status in ("filed", "routed_to_records_manager")
    return (
        (undecided and principal.can(Permission.APPROVE_RELEASES))
        or (undecided and request.scope is None and principal.can(Permission.FILE_RELEASES))
        or (request.status == "approved" and principal.can(Permission.FULFIL_RELEASES))
    )


def _history(request: RequestView) -> None:
    """The request on one page: the law's decision, what it covers, its documents, the
    commander's decision and the package, each with who and when."""
    st.subheader(f"Request #{request.id} — {request.agency}")
    st.caption(
        f"{request.agency_kind} · {request.agency_state} · requester {request.requester} "
        f"({request.contact})"
    )
    refused = request.rules_decision.value == "refused"
    boxed(
        "error" if refused and request.decision is None else STATUS_TONES[request.status],
        f"**{request.status_label}**",
    )
    boxed(
        RULE_TONES[request.rules_decision.value],
        f"**The law, when the request was filed: {request.rules_label}.**",
    )
    for reason in request.reasons:
        st.markdown(f"- {reason}")
    left, right = st.columns(2)
    left.markdown(
        f"**Purpose stated** {request.purpose}  \n"
        f"**Authorized purpose** {request.purpose_code or 'not given'}  \n"
        f"**Information requested** {request.description}"
    )
    right.markdown(
        f"**Asked for** {request.requested}  \n**Legal basis** {request.legal_basis}  \n"
        f"**Agreement relied on** {request.agreement or 'none'}"
    )
    if request.scope:
        # What a release would hold, each fact once: the period and the count come first, as
        # the commander weighs them; the plates, area and case after.
        with st.container(border=True, key=f"request_covers_{request.id}"):
            st.markdown(
                f"**Period** {_period(request)}  \n"
                f"**Reads** {_selects(request)}, counted when the scope was recorded"
                + (" — the package will hold counts only" if request.counts_only else "")
                + f"  \n**Covers** {request.covers}"
            )
    else:
        boxed("warning", "**No scope yet.** The request cannot be approved until it names "
              "what it covers.")  # fmt: skip
    events = [
        (request.filed_at, f"Filed by {request.filed_by}"),
        *(
            [
                (
                    request.decision.at,
                    f"{'Approved' if request.decision.approved else 'Denied'} by "
                    f"{request.decision.by}: {request.decision.note}"
                    + (
                        f" (the scope selected {counted(request.decision.reads, 'read')})"
                        if request.decision.reads is not None
                        else ""
                    )
                    + (
                        f"; beyond the bounds because: {request.decision.override_reason}"
                        if request.decision.override_reason
                        else ""
                    ),
                )
            ]
            if request.decision
            else []
        ),
        *(
            [
                (
                    request.package.at,
                    f"Package produced by {request.package.by}: "
                    f"{'counts only' if request.package.counts_only else 'plate-level'}, "
                    f"{counted(request.package.reads or 0, 'read')}",
                )
            ]
            if request.package
            else []
        ),
    ]
    st.markdown("**History**")
    # A static table: the commander's reasons are the legal record and read whole, wrapped.
    st.table(
        pd.DataFrame(
            [(at.astimezone(tz).strftime("%Y-%m-%d %H:%M"), what) for at, what in events],
            columns=["When", "What"],
        ).set_index("When")
    )
    if request.package:
        st.markdown(
            f"**Package** `{PurePath(request.package.path).name}`, kept in the installation's "
            f"releases folder. The fingerprint of its manifest (SHA-256 "
            f"{fingerprint(request.package.manifest_sha256)}) is recorded, so any later change "
            "to the package shows."
        )
    st.markdown("**Documents**")
    if request.attachments:
        # A table that wraps: at 1024 pixels the fingerprint ran past the page's edge.
        st.table(
            [
                {
                    "Document": a.kind,
                    "File": a.filename,
                    "Size": size_spoken(a.size_bytes),
                    "Fingerprint (SHA-256)": fingerprint(a.sha256),
                }
                for a in request.attachments
            ],
            hide_index=True,
        )
    else:
        st.caption("No documents attached.")
    if request.missing_document:
        boxed(
            "warning",
            f"**No {request.missing_document.lower()} is attached**, though the legal basis is "
            f"“{request.legal_basis}”. Check the document before approving.",
        )


def _decide(request: RequestView) -> None:
    with st.form(f"decide_{request.id}"):
        st.markdown("**Commander's decision** — final once recorded.")
        if request.scope_reads is not None:
            st.markdown(
                f"Approving releases **{counted(request.scope_reads, 'read')}**, "
                f"**{_period(request)}**" + (", as counts only." if request.counts_only else ".")
            )
        note = st.text_input("Reason for the decision", key=f"note_{request.id}")
        override = None
        if request.beyond_bounds:
            st.warning(
                "This release goes beyond the agency's bounds: "
                + "; ".join(request.beyond_bounds)
                + ". To approve it, record why this much is released.",
                icon=":material/warning:",
            )
            override = st.text_input("Why this much is released", key=f"override_{request.id}")
        approve_col, deny_col = st.columns(2)
        approve = approve_col.form_submit_button("Approve", type="primary")
        deny = deny_col.form_submit_button("Deny")
    if approve or deny:
        try:
            decide(
                rt,
                principal=principal,
                request_id=request.id,
                approve=approve,
                note=note,
                override_reason=override or None,
            )
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            finish(
                "success" if approve else "error",
                f"Request #{request.id} {'approved' if approve else 'denied'}; the decision "
                "is kept on file.",
            )


def _produce(request: RequestView) -> None:
    if st.button("Produce the package", type="primary", key=f"fulfil_{request.id}"):
        try:
            package = fulfil(rt, principal=principal, request_id=request.id)
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            finish(
                "success",
                f"Package of request #{request.id} produced: "
                f"{counted(package.reads, 'read')}, "
                f"{'counts only' if package.counts_only else 'plate-level with images'}.",
            )


def _download(request: RequestView) -> None:
    prepared = st.session_state.get("release_zip")
    if prepared and prepared[0] == request.id:
        st.download_button(
            "Download the package (zip with its manifest)",
            data=prepared[2],
            file_name=prepared[1],
            mime="application/zip",
            type="primary",
            key=f"download_{request.id}",
        )
    elif st.button("Prepare the package for download", key=f"prepare_{request.id}"):
        try:
            name, data = package_zip(rt, principal=principal, request_id=request.id)
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            st.session_state["release_zip"] = (request.id, name, data)
            st.rerun()


def _rescope(request: RequestView) -> None:
    place = address_finder(key=f"rescope_{request.id}")
    with st.form(f"scope_{request.id}"):
        scope = _scope_fields(f"rescope_{request.id}", place)
        recorded = st.form_submit_button("Record what the request covers")
    if recorded:
        try:
            reads = set_scope(rt, principal=principal, request_id=request.id, scope=scope)
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            finish(
                "info",
                "Scope recorded"
                + (f": it selects {counted(reads, 'read')}." if reads is not None else "."),
            )


def _file() -> None:
    agencies = list_agencies(rt, actor=principal)
    agency = st.selectbox(
        "Requesting agency (from the register)",
        [None, *agencies],
        format_func=lambda a: (
            NOT_AN_AGENCY if a is None else f"{a.name} — {a.kind_label}, {a.state_label}"
        ),
        key="file_agency",
    )
    if agency is not None:
        st.caption(
            f"Agreement in force: {agency.agreement}" if agency.agreement else "No agreement in "
            "force with this agency."
        )  # fmt: skip
    agreements = list_agreements(rt, actor=principal, agency_name=agency.name) if agency else []
    st.caption("When the request covers an area, find its address first:")
    place = address_finder(key="file")
    with st.form("file_request"):
        st.caption(
            "Fields marked * are required. The period is the one the request states: none is "
            "assumed."
        )
        c1, c2 = st.columns(2)
        name = c1.text_input("Requester's name *")
        contact = c2.text_input("Requester's contact *")
        purpose = st.text_input("Intended purpose, as the requester states it")
        code = st.selectbox(
            "Authorized purpose it serves (required for a plate-level release)",
            [None, *PURPOSE_LABELS],
            format_func=lambda p: "— none —" if p is None else PURPOSE_LABELS[p],
        )
        description = st.text_area("Description of the information requested *")
        c3, c4, c5 = st.columns(3)
        requested = c3.selectbox("Asked for", list(REQUESTED), format_func=lambda r: REQUESTED[r])
        basis = c4.selectbox("Legal basis", list(LEGAL_BASES), format_func=lambda b: LEGAL_BASES[b])
        agreement = c5.selectbox(
            "Agreement relied on",
            [None, *agreements],
            format_func=lambda a: (
                "— the one in force, if any —" if a is None else f"{a.title} ({a.standing})"
            ),
        )
        immigration = st.checkbox("The requester says the request concerns immigration enforcement")
        scope = _scope_fields("file", place)
        offense = st.text_input("Offense (for counts of hits, when only counts can be released)")
        d1, d2 = st.columns(2)
        letter = d1.file_uploader("Written request")
        kind = d2.selectbox(
            "Other document",
            [k for k in ATTACHMENT_KINDS if k != "request"],
            format_func=lambda k: ATTACHMENT_KINDS[k],
        )
        other = d2.file_uploader("Court order, warrant or record of the exigent circumstance")
        submitted = st.form_submit_button("File the request", type="primary")
    if not submitted:
        return
    attachments = tuple(
        Attachment(k, upload.name, upload.getvalue())
        for k, upload in (("request", letter), (kind, other))
        if upload is not None
    )
    try:
        filed = file_request(
            rt,
            principal=principal,
            form=RequestForm(
                requester_name=name,
                requester_contact=contact,
                purpose=purpose,
                description=description,
                requested=requested.value,
                legal_basis=basis.value,
                immigration_related=immigration,
                agency_name=agency.name if agency else None,
                purpose_code=code.value if code else None,
                agreement_id=agreement.id if agreement else None,
                scope=scope if scope.plates or scope.lat is not None else None,
                offense=offense or None,
            ),
            attachments=attachments,
        )
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
        return
    decision = filed.decision.decision
    st.session_state["release_view_next"] = OPEN  # the radio is already drawn in this run
    st.session_state["release_open"] = filed.id
    finish(
        RULE_TONES[decision.value],
        f"Request #{filed.id} filed. The law: **{RULES_DECISIONS[decision]}**"
        + (
            f"; its scope selects {counted(filed.reads, 'read')}."
            if filed.reads is not None
            else "."
        ),
    )


views = [OPEN, FILE] if principal.can(Permission.FILE_RELEASES) else [OPEN]
if "release_view_next" in st.session_state:
    st.session_state["release_view"] = st.session_state.pop("release_view_next")
view = (
    st.radio("View", views, horizontal=True, key="release_view", label_visibility="collapsed")
    if len(views) > 1
    else OPEN
)
if view == FILE:
    _file()
    st.stop()

requests = list_requests(rt, principal=principal)
if not requests:
    st.info("No requests on file yet. Requests filed by the records desk appear here.")
    st.stop()
agencies_on_file = sorted({r.agency for r in requests})
shown_agency = st.selectbox("Agency", ["All agencies", *agencies_on_file], key="release_agency")
# What waits on the person looking comes first, and the first of it opens below.
shown = sorted(
    (r for r in requests if shown_agency in ("All agencies", r.agency)),
    key=lambda r: (not _waits_on_me(r), r.agency, -r.id),
)
waiting = [r for r in shown if _waits_on_me(r)]
if waiting:
    wait = "waits" if len(waiting) == 1 else "wait"
    boxed(
        "warning",
        f"**{counted(len(waiting), 'request')} {wait} for "
        + (
            "your decision.**"
            if principal.can(Permission.APPROVE_RELEASES)
            else "you:** a scope to record or a package to produce."
        )
        + " Listed first, the first one open below.",
    )
listed = pd.DataFrame(
    [
        {
            "Request": r.id,
            "Agency": r.agency,
            "Filed": cell_day(r.filed_at, tz),
            "Asked for": r.requested,
            "The law": r.rules_label,
            "Status": r.status_label,
            "Covers": _covers_in_short(r),
        }
        for r in shown
    ]
)
law_tones = [RULE_TONES[r.rules_decision.value] for r in shown]
status_tones = [STATUS_TONES[r.status] for r in shown]
# A table that wraps: what a request covers is read in full, as on the request itself.
st.table(
    listed.style.apply(lambda _: [TONE_CELLS[t] for t in law_tones], subset=["The law"]).apply(
        lambda _: [TONE_CELLS[t] for t in status_tones], subset=["Status"]
    ),
    hide_index=True,
)
ids = [r.id for r in shown]
wanted = st.session_state.get("release_open")
chosen = st.selectbox(
    "Open a request",
    ids,
    index=ids.index(wanted) if wanted in ids else 0,
    format_func=lambda i: next(
        f"#{r.id} · {r.agency} · {r.status_label}" for r in shown if r.id == i
    ),
)
st.session_state["release_open"] = chosen
request = request_view(rt, principal=principal, request_id=chosen)
st.divider()
_history(request)
if request.status in ("filed", "routed_to_records_manager"):
    if principal.can(Permission.FILE_RELEASES) and request.scope is None:
        _rescope(request)
    if principal.can(Permission.APPROVE_RELEASES):
        _decide(request)
if request.status == "approved" and principal.can(Permission.FULFIL_RELEASES):
    _produce(request)
if request.status == "fulfilled" and principal.can(Permission.FULFIL_RELEASES):
    _download(request)
