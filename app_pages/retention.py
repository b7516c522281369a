import streamlit as st

from alpr.governance.permissions import Permission
from alpr.governance.policy import policy_in_force
from alpr.governance.retention.holds import list_holds
from alpr.governance.retention.purge import purge, recent_runs
from alpr.ui.context import runtime
from alpr.ui.guard import require_page

principal = require_page(Permission.MANAGE_RETENTION)
rt = runtime()
tz = rt.settings.tz
policy = policy_in_force(rt)
st.title("Retention, holds and purges")
st.caption(
    f"Reads without a hit are kept {policy.retention_nonhit_days} days, reads with a hit "
    f"{policy.retention_hit_days} days, images {policy.retention_image_days} days, the "
    f"access log {policy.retention_audit_days} days (R30). Held data is never purged (R31). "
    "The purge runs daily: `alpr purge` from cron or a systemd timer."
)
if st.button("Preview the next purge (dry run)"):
    preview = purge(rt, actor=principal, dry_run=True)
    st.dataframe(
        [{"Category": k, "Would be purged": v} for k, v in preview.counts.items()],
        hide_index=True,
        width="stretch",
    )
st.subheader("Legal holds")
holds = list_holds(rt, principal=principal)
st.dataframe(
    [
        {
            "Hold": h.id,
            "Case": h.case_number,
            "Reason": h.reason,
            "Placed": h.placed_at.astimezone(tz).strftime("%Y-%m-%d"),
            "Reads": h.reads,
            "Review due": h.review_due_on,
            "Released": h.released,
        }
        for h in holds
    ],
    hide_index=True,
    width="stretch",
)
st.subheader("Recent purge runs")
st.dataframe(
    [
        {
            "Run": r.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "As of": r.as_of.astimezone(tz).strftime("%Y-%m-%d"),
            "Dry run": r.dry_run,
            **{k: v for k, v in r.counts.items()},
            "By": r.run_by,
        }
        for r in recent_runs(rt)
    ],
    hide_index=True,
    width="stretch",
)
