from collections import Counter

import streamlit as st

from alpr.governance.cameras import list_cameras, worker_silence
from alpr.governance.permissions import Permission
from alpr.ui.camera_status import camera_table
from alpr.ui.camera_streams import stream_form
from alpr.ui.context import runtime
from alpr.ui.guard import require_page
from alpr.ui.maps import cameras_deck
from alpr.ui.notices import boxed, show_pending

principal = require_page(Permission.VIEW_CAMERAS)
rt = runtime()
tz = rt.settings.tz
st.title("Cameras")
st.caption(
    "Health reported by the plate-reading service every 30 seconds. A camera is in service when "
    "it is enabled, was up at its last report, and has reported in the last two minutes. The "
    "public page counts the cameras deployed (enabled), whatever their health this minute. "
    "Stream credentials are never shown."
)
show_pending()
cameras = list_cameras(rt, principal=principal)
if not cameras:
    st.info("No cameras registered yet. An administrator registers each camera of the agency.")
    st.stop()
down = [c for c in cameras if c.enabled and c.status == "down"]
serving = sum(c.in_service for c in cameras)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Cameras", len(cameras))
c2.metric("In service", serving)
c3.metric("Down", len(down))
c4.metric(
    "Not watched or disabled",
    len(cameras) - len(down) - serving,
    help="Not watched: no video stream registered (its reads are imported), or no report yet.",
)
streamed = any(c.source for c in cameras if c.enabled)  # the worker watches at least one
if not streamed:
    boxed(
        "info",
        "**No camera has a video stream registered**, so none is watched live: reads arrive "
        "only by import from in-car units or other systems. To have a camera watched, an "
        "ALPR Administrator registers its stream"
        + (" below." if principal.can(Permission.MANAGE_CAMERAS) else "."),
    )
silence = worker_silence(cameras, now=rt.now())
if silence is not None:
    heard = (
        f"No camera has reported since {silence.since.astimezone(tz):%Y-%m-%d %H:%M}."
        if silence.since
        else "No camera has ever reported."
    )
    boxed(
        "warning",
        f"**{heard}** The plate-reading service is not running, or cannot reach the database: "
        "no plate is being read, and every camera counts as down until it reports again.",
    )
if down:
    causes = Counter(c.last_error or "no heartbeat" for c in down)
    boxed(
        "error",
        f"**{len(down)} of {len(cameras)} cameras are down.** "
        + "Reported cause: "
        + "; ".join(f"{cause} ({n})" for cause, n in causes.most_common())
        + ". They are listed first below.",
    )
elif streamed:
    boxed("success", "No camera is down.")
if any(c.lat is not None for c in cameras):
    st.pydeck_chart(cameras_deck(cameras), height=420)
    st.caption("Fixed cameras: green in service, red down, grey not watched or disabled.")
rows, columns = camera_table(cameras, tz=tz, with_source=any(c.source for c in cameras))
st.dataframe(rows, hide_index=True, width="stretch", column_config=columns)
st.caption(
    "Reads/h: the reads stored for the camera in the last hour, read live or imported. "
    "Frames/s: measured by the plate-reading service for the cameras it watches; — for a "
    "camera it does not watch (no stream: its reads are imported) or that is not reporting."
)

if principal.can(Permission.MANAGE_CAMERAS):
    stream_form(rt, principal=principal, cameras=cameras)
