"""The ALPR Administrator's form on the Cameras page: register the video stream the
plate-reading service watches for a camera, or stop watching it. The address may carry the
stream's credentials, so it is typed as a secret and shown afterwards only with them removed."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from alpr.governance.cameras import CameraView, set_camera_source
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.ui.messages import show_refusal
from alpr.ui.notices import finish, form_version


def stream_form(rt: Runtime, *, principal: Principal, cameras: Sequence[CameraView]) -> None:
    st.subheader("A camera's stream")
    st.caption(
        "The plate-reading service watches every enabled camera with a stream, and takes a "
        "stream registered or changed here within a minute, without a restart."
    )
    forms = "camera_stream_forms"
    with st.form(f"camera_stream_{form_version(forms)}"):
        chosen = st.selectbox(
            "Camera",
            [c.name for c in cameras],
            index=None,
            placeholder="Choose a camera",
            format_func=lambda name: next(
                f"{c.name} · {c.location}" if c.location else c.name
                for c in cameras
                if c.name == name
            ),
        )
        url = st.text_input(
            "Stream address",
            type="password",
            placeholder="rtsp://user:password@10.20.0.31:554/stream1",
            help="RTSP or HTTP(S) MJPEG. Its user name and password are never shown again.",
        )
        save, remove = st.columns(2)
        saved = save.form_submit_button("Register the stream", type="primary")
        removed = remove.form_submit_button("Stop watching this camera")
    if not (saved or removed):
        return
    try:
        if chosen is None:
            raise InvalidInput("choose the camera")
        if saved and not url.strip():
            raise InvalidInput("type the stream's address, or choose Stop watching")
        set_camera_source(rt, actor=principal, name=chosen, source_url=url if saved else None)
    except (Refusal, InvalidInput) as exc:
        show_refusal(exc)
        return
    finish(
        "success",
        f"{chosen}: stream registered; it is watched within a minute."
        if saved
        else f"{chosen} is no longer watched: its reads arrive by import only.",
        forms=forms,
    )
