import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.permissions import Permission
from alpr.governance.releases.labels import AGENCY_KINDS, AGREEMENT_KINDS, STATES
from alpr.governance.releases.receiving_hosts import (
    add_host,
    agency_names,
    list_hosts,
    remove_host,
)
from alpr.governance.releases.registry import (
    READ,
    add_agency,
    add_agreement,
    agreement_document,
    end_agreement,
    list_agencies,
    list_agreements,
)
from alpr.ui.context import runtime
from alpr.ui.dates import cell_date
from alpr.ui.guard import require_signed_in
from alpr.ui.messages import show_refusal
from alpr.ui.notices import finish, form_version, show_pending

principal = require_signed_in()
if not any(principal.can(p) for p in READ):
    st.error(
        "The register of agencies is kept by records clerks, and read by command staff and the "
        "ALPR Administrator."
    )
    st.stop()
rt = runtime()
tz = rt.settings.tz
keeper = principal.can(Permission.MANAGE_AGENCIES)
forms = form_version("registry_forms")
st.title("Agencies and agreements")
st.caption(
    "Who the department deals with, and the MOUs and inter-agency agreements that govern "
    "sharing. An agency's kind and state decide what the law lets it receive: an "
    "agreement never opens plate-level data to an agency outside California, a federal agency "
    "or a private party."
)
show_pending()


agencies = list_agencies(rt, actor=principal)
agreements = list_agreements(rt, actor=principal)
# The register is read row by row, so its tables wrap: an agreement's name, period and
# signed document are never cut off at the edge of the page.
st.subheader("Agencies")
if agencies:
    st.table(
        [
            {
                "Agency": a.name,
                "Kind": a.kind_label,
                "State": a.state_label,
                "Agreement in force": a.agreement or "None",
                # Contacts only when the register holds any: an empty column says nothing.
                **({"Contact": a.contact or ""} if any(b.contact for b in agencies) else {}),
            }
            for a in agencies
        ]
    )
else:
    st.info("No agencies in the register yet. Add the first one below.")

st.subheader("Agreements")
if agreements:
    st.table(
        [
            {
                "Agency": a.agency,
                "Agreement": a.title,
                "Where it stands today": a.standing[:1].upper() + a.standing[1:],
                "Kind": a.kind_label,
                "Period": f"{cell_date(a.starts_on)} to "
                + (cell_date(a.ends_on) if a.ends_on else "no expiry date"),
                "Signed document": a.document_filename or "Not on file",
            }
            for a in agreements
        ]
    )
    with_documents = [a for a in agreements if a.document_filename]
    if with_documents:
        left, right = st.columns([3, 1])
        chosen = left.selectbox(
            "Signed document of",
            with_documents,
            format_func=lambda a: f"{a.agency}: {a.title}",
        )
        try:
            name, data = agreement_document(rt, actor=principal, agreement_id=chosen.id)
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            right.download_button("Download the document", data=data, file_name=name)
else:
    st.info("No agreements on file yet.")

st.subheader("Where each agency receives data")
st.caption(
    "The host names of each agency's systems (its CAD's; for the department, its own). A hot "
    "list's alerts are sent to an agency only at one of its hosts, checked when the webhook is "
    "set and again before each alert: a host removed here stops them. Kept by the records desk, "
    "not by the ALPR Administrator who sets where alerts go."
)
hosts = list_hosts(rt, actor=principal)
if hosts:
    st.table([{"Agency": h.agency, "Host": h.host, "Added by": h.added_by or ""} for h in hosts])
else:
    st.info("No hosts registered: no webhook sends alerts anywhere but this machine.")
if principal.can(Permission.REGISTER_HOSTS):
    add_col, remove_col = st.columns(2)
    with add_col, st.form(f"add_host_{forms}"):
        host_agency = st.selectbox("Agency", agency_names(rt, actor=principal))
        host = st.text_input("Host", placeholder="cad.dalycity.org")
        if st.form_submit_button("Register the host"):
            try:
                added_host = add_host(rt, actor=principal, agency_name=host_agency, host=host)
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
            else:
                finish(
                    "success",
                    f"{added_host.host} registered for {added_host.agency}.",
                    forms="registry_forms",
                )
    if hosts:
        with remove_col, st.form(f"remove_host_{forms}"):
            gone = st.selectbox("Host", hosts, format_func=lambda h: f"{h.agency}: {h.host}")
            if st.form_submit_button("Remove the host"):
                try:
                    remove_host(rt, actor=principal, agency_name=gone.agency, host=gone.host)
                except (Refusal, InvalidInput) as exc:
                    show_refusal(exc)
                else:
                    finish(
                        "warning",
                        f"{gone.host} removed: alerts to it for {gone.agency} are refused.",
                        forms="registry_forms",
                    )

if not keeper:
    st.stop()
st.divider()
add_tab, record_tab, end_tab = st.tabs(["Add an agency", "Record an agreement", "End an agreement"])
with add_tab, st.form(f"add_agency_{forms}"):
    name = st.text_input("Agency name")
    c1, c2 = st.columns(2)
    kind = c1.selectbox("Kind", list(AGENCY_KINDS), format_func=lambda k: AGENCY_KINDS[k])
    state = c2.selectbox(
        "State", list(STATES), index=list(STATES).index("CA"), format_func=lambda s: STATES[s]
    )
    contact = st.text_input("Contact (optional)")
    if st.form_submit_button("Add the agency", type="primary"):
        try:
            added = add_agency(
                rt, actor=principal, name=name, kind=kind.value, state=state, contact=contact
            )
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            finish(
                "success",
                f"{added.name} added: {added.kind_label}, {added.state_label}.",
                forms="registry_forms",
            )

with record_tab:
    if not agencies:
        st.info("Add the agency first.")
    else:
        with st.form(f"add_agreement_{forms}"):
            agency = st.selectbox("With", agencies, format_func=lambda a: a.name)
            c1, c2 = st.columns(2)
            agreement_kind = c1.selectbox(
                "Kind", list(AGREEMENT_KINDS), format_func=lambda k: AGREEMENT_KINDS[k]
            )
            title = c2.text_input("Title")
            scope = st.text_area("What it covers")
            d1, d2, d3 = st.columns(3)
            starts = d1.date_input("Takes effect", value=rt.now().astimezone(tz).date())
            ends = d2.date_input("Expires", value=None)
            document = d3.file_uploader("Signed agreement (required)")
            if st.form_submit_button("Record the agreement", type="primary"):
                try:
                    recorded = add_agreement(
                        rt,
                        actor=principal,
                        agency_name=agency.name,
                        kind=agreement_kind.value,
                        title=title,
                        scope=scope,
                        starts_on=starts,
                        ends_on=ends,
                        document_name=document.name if document else "",
                        document=document.getvalue() if document else b"",
                    )
                except (Refusal, InvalidInput) as exc:
                    show_refusal(exc)
                else:
                    finish(
                        "success",
                        f"'{recorded.title}' with {recorded.agency} recorded: {recorded.standing}.",
                        forms="registry_forms",
                    )

with end_tab:
    current = [a for a in agreements if a.ended_on is None]
    if not current:
        st.info("No agreement to end.")
    else:
        with st.form(f"end_agreement_{forms}"):
            ending = st.selectbox(
                "Agreement", current, format_func=lambda a: f"{a.agency}: {a.title}"
            )
            on = st.date_input("Ends on", value=rt.now().astimezone(tz).date())
            reason = st.text_input("Why it ends")
            if st.form_submit_button("End the agreement"):
                try:
                    ended = end_agreement(
                        rt, actor=principal, agreement_id=ending.id, ended_on=on, reason=reason
                    )
                except (Refusal, InvalidInput) as exc:
                    show_refusal(exc)
                else:
                    finish(
                        "warning",
                        f"'{ended.title}' with {ended.agency} {ended.standing}.",
                        forms="registry_forms",
                    )
