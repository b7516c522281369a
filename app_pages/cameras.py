import streamlit as st

from alpr.governance.cameras import list_cameras
from alpr.governance.permissions import Permission
from alpr.ui.context import runtime
from alpr.ui.guard import require_page

principal = require_page(Permission.VIEW_CAMERAS)
rt = runtime()
tz = rt.settings.tz
st.title("Cameras")
st.caption("Health reported by the recognition worker. Stream credentials are never shown.")
cameras = list_cameras(rt, principal=principal)
down = [c for c in cameras if c.status == "down"]
c1, c2, c3 = st.columns(3)
c1.metric("Cameras", len(cameras))
c2.metric("Up", sum(c.status == "up" for c in cameras))
c3.metric("Down", len(down))
for camera in down:
    st.error(
        f"**{camera.name}** is down: {camera.last_error or 'no heartbeat'}",
        icon=":material/videocam_off:",
    )
st.dataframe(
    [
        {
            "Camera": c.name,
            "Kind": c.kind,
            "Location": c.location or "",
            "Status": c.status,
            "Last heartbeat": c.last_heartbeat_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            if c.last_heartbeat_at
            else "never",
            "Frames/s": c.frames_per_second,
            "Reads last hour": c.reads_last_hour,
            "Last error": c.last_error or "",
            "Source": c.source or "",
        }
        for c in cameras
    ],
    hide_index=True,
    width="stretch",
)
