import streamlit as st

from alpr.governance.permissions import role_definition
from alpr.governance.users import my_training
from alpr.ui.context import runtime
from alpr.ui.guard import require_signed_in
from alpr.ui.registry import your_pages
from alpr.ui.waiting_work import show_waiting

principal = require_signed_in()
role = role_definition(principal.role)

st.title(f"Welcome, {principal.full_name}")
st.caption(
    f"{principal.agency_name} · {role.name}" + (" · contractor" if principal.is_contractor else "")
)
st.info(my_training(runtime(), principal=principal), icon=":material/school:")
st.markdown(role.description)
show_waiting(principal)
st.subheader("Your pages")
your_pages(principal)
st.caption(
    "Every search states its purpose and case and is recorded in a tamper-evident access log "
    "that supervisors review."
)
