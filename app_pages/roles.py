import streamlit as st

from alpr.governance.roles import role_catalogue
from alpr.ui.context import runtime
from alpr.ui.guard import require_signed_in
from alpr.ui.registry import page_titles_granted

require_signed_in()
st.title("Roles and access")
st.caption("Job titles authorized to use the ALPR system and what each role may do.")
st.table(
    [
        {
            "Role": r.name,
            "Job titles": r.job_titles,
            "What it is for": r.description,
            "Pages it opens": ", ".join(page_titles_granted(r.permissions)) or "None",
        }
        for r in role_catalogue(runtime())
    ]
)
