from datetime import datetime, time, timedelta

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.oversight.chain import verify_access_log
from alpr.governance.oversight.report import signed_log_report
from alpr.governance.oversight.review import (
    LogFilter,
    breach_report,
    flags_for,
    log_csv,
    review_log,
)
from alpr.governance.permissions import Permission
from alpr.ui.context import runtime
from alpr.ui.guard import require_page
from alpr.ui.messages import show_refusal

principal = require_page(Permission.REVIEW_ACCESS_LOG)
rt = runtime()
tz = rt.settings.tz
st.title("Access log review")
st.caption("Who looked at what, when and why (R20-R23). Viewing the log is itself recorded.")

today = rt.now().astimezone(tz).date()
with st.form("filters"):
    c1, c2, c3 = st.columns(3)
    start = c1.date_input("From", value=today - timedelta(days=7))
    end = c2.date_input("To", value=today)
    username = c3.text_input("User")
    c4, c5, c6, c7 = st.columns(4)
    purpose = c4.text_input("Purpose code")
    case = c5.text_input("Case number")
    plate = c6.text_input("Plate")
    kind = c7.selectbox("Search kind", ["", "canvass", "plate", "history", "common", "convoy"])
    exported = st.checkbox("Exports only")
    submitted = st.form_submit_button("Review", type="primary")
window = (
    datetime.combine(start, time(0), tzinfo=tz),
    datetime.combine(end, time(23, 59, 59), tzinfo=tz),
)
if submitted:
    try:
        st.session_state["log_rows"] = review_log(
            rt,
            principal=principal,
            filters=LogFilter(
                window[0],
                window[1],
                username or None,
                purpose or None,
                case or None,
                plate or None,
                kind or None,
                exported,
            ),
        )
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
rows = st.session_state.get("log_rows", [])
if rows:
    st.dataframe(
        [{**r, "at": r["at"].astimezone(tz).strftime("%Y-%m-%d %H:%M:%S.%f")[:-4]} for r in rows],
        hide_index=True,
        width="stretch",
    )
    st.download_button("Download CSV", log_csv(rows), "access-log.csv", "text/csv")
    if st.button("Prepare signed PDF report"):
        signed = signed_log_report(
            rt,
            principal=principal,
            filters=LogFilter(
                window[0],
                window[1],
                username or None,
                purpose or None,
                case or None,
                plate or None,
                kind or None,
                exported,
            ),
        )
        st.download_button("Download PDF", signed.pdf, "access-log.pdf", "application/pdf")
        st.download_button("Download signature", signed.signature, "access-log.pdf.sig")
        st.download_button("Download public key", signed.public_key_pem, "agency-public-key.pem")

st.header("Misuse flags")
if st.button("Compute flags for the period"):
    try:
        flags = flags_for(rt, principal=principal, start=window[0], end=window[1])
        st.dataframe(
            [
                {"Record": f.record_id, "User": f.username, "Flag": f.code, "Why": f.explanation}
                for f in flags
            ],
            hide_index=True,
            width="stretch",
        )
        if not flags:
            st.success("No flags in this period.")
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)

st.header("Integrity of the log")
if st.button("Verify the hash chain now"):
    verified = verify_access_log(rt, actor=principal)
    report = verified.report
    stamp = rt.now().astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    against = (
        f"against signed checkpoint {verified.checkpoint.seq} of {verified.checkpoint.at}"
        if verified.checkpoint
        else "(no signed checkpoint yet: `alpr db maintain` writes one daily)"
    )
    if report.ok:
        st.success(f"Intact: {report.checked} records verified at {stamp}, {against}.")
    else:
        st.error(f"TAMPERED ({stamp}): {report.problem}")

st.header("Breach response (R51)")
with st.form("breach"):
    accounts = st.text_input("Accounts involved (comma separated)")
    if st.form_submit_button("List every record accessed"):
        try:
            found = breach_report(
                rt,
                principal=principal,
                start=window[0],
                end=window[1],
                usernames=[a.strip() for a in accounts.split(",") if a.strip()],
            )
            st.write(f"{found['accesses']} accesses; {len(found['plates'])} plates involved")
            st.dataframe([{"Plate": p} for p in found["plates"]], hide_index=True)
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
