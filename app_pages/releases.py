from datetime import datetime, time, timedelta

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.permissions import Permission
from alpr.governance.releases.requests import (
    RequestForm,
    agency_names,
    decide,
    file_request,
    fulfil,
    list_requests,
)
from alpr.ui.context import runtime
from alpr.ui.guard import require_signed_in
from alpr.ui.messages import show_refusal

principal = require_signed_in()
if not (principal.can(Permission.FILE_RELEASES) or principal.can(Permission.APPROVE_RELEASES)):
    st.error("Releases are handled by records clerks and command staff.")
    st.stop()
rt = runtime()
tz = rt.settings.tz
st.title("Requests for ALPR data")
st.caption(
    "Decided by California law in code: in-state public agencies only, nothing for "
    "immigration enforcement, counts only for the public and the media (R40-R47)."
)

if principal.can(Permission.FILE_RELEASES):
    agencies = agency_names(rt)
    with st.form("file_request", clear_on_submit=False):
        st.subheader("File a request")
        choice = st.selectbox(
            "Requesting agency",
            [None, *agencies],
            format_func=lambda a: (
                "— not an agency (public, media, private) —"
                if a is None
                else f"{a[0]} ({a[1]}, {a[2]})"
            ),
        )
        c1, c2 = st.columns(2)
        name = c1.text_input("Requester's name")
        contact = c2.text_input("Requester's contact")
        purpose = st.text_input("Intended purpose")
        description = st.text_area("Information requested (plates, area, period)")
        c3, c4, c5 = st.columns(3)
        requested = c3.selectbox("Requested", ["plate_level", "aggregate"])
        basis = c4.selectbox(
            "Legal basis",
            ["none", "mou", "court_order", "warrant", "exigent", "public_records_request"],
        )
        immigration = (
            c5.radio("Related to immigration enforcement?", ["No", "Yes"], horizontal=True) == "Yes"
        )
        c6, c7, c8 = st.columns(3)
        plates = c6.text_input("Plates (comma separated)")
        start = c7.date_input("Period from", value=rt.now().date() - timedelta(days=30))
        end = c8.date_input("Period to", value=rt.now().date())
        offense = st.text_input("Offense (for hit counts)")
        upload = st.file_uploader("Written request / court order / warrant")
        if st.form_submit_button("File request", type="primary"):
            form = RequestForm(
                requester_name=name,
                requester_contact=contact,
                purpose=purpose,
                description=description,
                requested=requested,
                legal_basis=basis,
                immigration_related=immigration,
                agency_name=choice[0] if choice else None,
                requester_kind=None if choice else "non_government",
                plates=tuple(p.strip().upper() for p in plates.split(",") if p.strip()),
                start=datetime.combine(start, time(0), tzinfo=tz),
                end=datetime.combine(end, time(23, 59, 59), tzinfo=tz),
                offense=offense or None,
            )
            attachments = (("request", upload.name, upload.getvalue()),) if upload else ()
            try:
                filed = file_request(rt, principal=principal, form=form, attachments=attachments)
                st.success(f"Request #{filed.id} filed: **{filed.decision.decision.value}**")
                for reason in filed.decision.reasons:
                    st.markdown(f"- {reason}")
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)

st.subheader("Requests on file")
requests = list_requests(rt, principal=principal)
if not requests:
    st.info("No requests on file.")
for request in requests:
    with st.expander(
        f"#{request.id} · {request.requester} · {request.decision} · {request.status}"
    ):
        st.markdown(
            f"**Purpose** {request.purpose}  \n**Requested** {request.requested} · "
            f"**basis** {request.legal_basis} · filed "
            f"{request.filed_at.astimezone(tz):%Y-%m-%d %H:%M}"
        )
        for reason in request.reasons:
            st.markdown(f"- {reason}")
        st.caption("Requirements: " + ", ".join(request.requirements))
        if principal.can(Permission.APPROVE_RELEASES) and request.status in (
            "filed",
            "routed_to_records_manager",
        ):
            note = st.text_input("Decision note", key=f"note_{request.id}")
            a, d = st.columns(2)
            for column, approve, label in ((a, True, "Approve"), (d, False, "Deny")):
                if column.button(label, key=f"{label}_{request.id}"):
                    try:
                        decide(
                            rt,
                            principal=principal,
                            request_id=request.id,
                            approve=approve,
                            note=note,
                        )
                        st.success(f"{label}d; the decision is kept on file.")
                    except (Refusal, InvalidInput) as exc:
                        show_refusal(exc)
        if (
            principal.can(Permission.FULFIL_RELEASES)
            and request.status == "approved"
            and st.button("Produce the package", key=f"fulfil_{request.id}")
        ):
            try:
                package = fulfil(rt, principal=principal, request_id=request.id)
                st.success(
                    f"Package produced in {package.folder} "
                    f"({'counts only' if package.aggregate_only else 'plate-level'})."
                )
                st.json(package.files)
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
