from datetime import timedelta

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.hotlists import (
    CSV_COLUMNS,
    add_entry,
    import_csv,
    list_status,
    webhook_problems,
)
from alpr.governance.permissions import Permission
from alpr.governance.policy import policy_in_force
from alpr.ui.context import runtime
from alpr.ui.forms import KeptForm
from alpr.ui.guard import require_page
from alpr.ui.messages import show_refusal

principal = require_page(Permission.VIEW_HOTLISTS)
rt = runtime()
tz = rt.settings.tz
st.title("Hot lists")
lists = list_status(rt, principal=principal)
for item in lists:
    if item.stale:
        st.error(
            f"**{item.name}** is stale: last refreshed "
            f"{item.refreshed_at.astimezone(tz):%Y-%m-%d %H:%M}"
            if item.refreshed_at
            else f"**{item.name}** has never been refreshed",
            icon=":material/update:",
        )
st.dataframe(
    [
        {
            "List": i.name,
            "Kind": i.kind,
            "Source": i.source or "",
            "Refreshed": i.refreshed_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            if i.refreshed_at
            else "never",
            "Stale": i.stale,
            "Active entries": i.active_entries,
            "Partial": i.partial_entries,
        }
        for i in lists
    ],
    hide_index=True,
    width="stretch",
)
names = [i.name for i in lists]

if principal.can(Permission.ADD_HOTLIST_ENTRY) and names:
    form = KeptForm("add_entry")
    form.notice()
    with st.form(form.name):
        st.subheader("Enter a plate or a partial plate (R12)")
        c1, c2, c3 = st.columns(3)
        list_name = c1.selectbox("List", names, key=form.key("list"))
        pattern = c2.text_input(
            "Plate or pattern (? one character, * any run)", key=form.key("pattern")
        )
        priority = c3.selectbox("Priority", ["high", "medium", "low"], key=form.key("priority"))
        reason = st.text_input("Reason", key=form.key("reason"))
        c4, c5 = st.columns(2)
        case = c4.text_input("Case number (required for partial plates)", key=form.key("case"))
        expires = c5.date_input(
            "Expires",
            value=rt.now().date() + timedelta(days=policy_in_force(rt).hotlist_entry_default_days),
            key=form.key("expires"),
        )
        if st.form_submit_button("Add entry", type="primary"):
            try:
                entry_id, retro = add_entry(
                    rt,
                    actor=principal,
                    list_name=list_name,
                    pattern=pattern,
                    reason=reason,
                    case_number=case or None,
                    expires=expires,
                    priority=priority,
                )
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
            else:
                form.done(
                    f"Entry {pattern.upper()} added to {list_name}; {retro} past reads match "
                    "(retro-hits raised as alerts)."
                )

if principal.can(Permission.MANAGE_HOTLISTS) and names:
    with st.form("import"):
        st.subheader("Refresh a list from a file")
        st.caption(
            "CSV columns: " + ", ".join(CSV_COLUMNS) + ". A file with any bad row is refused whole."
        )
        list_name = st.selectbox("List to refresh", names)
        upload = st.file_uploader("CSV file", type=["csv"])
        source = st.text_input("Source", placeholder="CA DOJ SVS download")
        if st.form_submit_button("Import") and upload is not None:
            try:
                result = import_csv(
                    rt,
                    actor=principal,
                    list_name=list_name,
                    data=upload.getvalue().decode("utf-8"),
                    source=source or None,
                )
                st.success(
                    f"{result.imported} entries imported, {result.retired} retired, "
                    f"{result.retro_alerts} retro-hits."
                )
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)

problems = webhook_problems(rt, principal=principal)
if problems:
    st.subheader("Notifications not delivered")
    st.error(
        f"{len(problems)} alert notifications to CAD / in-car systems are failing; the "
        "worker keeps retrying."
    )
    st.dataframe(
        [
            {
                "Alert": p.alert_id,
                "Attempts": p.attempts,
                "Last error": p.last_error,
                "Next attempt": p.next_attempt_at.astimezone(tz).strftime("%H:%M")
                if p.next_attempt_at
                else "",
            }
            for p in problems
        ],
        hide_index=True,
        width="stretch",
    )
