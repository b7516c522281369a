"""The frame gate skips still frames, wakes on motion and holds the rate."""

from __future__ import annotations

import numpy as np

from alpr.recognition.frame_gate import FrameGate


def test_skips_still_frames_and_wakes_on_motion() -> None:
    gate = FrameGate(rate_fps=5, hold_s=1.0)
    still = np.full((120, 160, 3), 80, np.uint8)
    admitted = [gate.admit(still, t / 10) for t in range(40)]
    assert admitted[0] and not any(admitted[15:])
    moving = still.copy()
    moving[30:90, 40:120] = 220
    assert gate.admit(moving, 4.5)
    assert not gate.admit(moving, 4.55)  # the rate limit holds during motion


def test_processes_a_moving_scene_at_the_configured_rate() -> None:
    gate = FrameGate(rate_fps=2, hold_s=0.5)
    rng = np.random.default_rng(1)
    frames = [rng.integers(0, 255, (54, 96, 3), dtype=np.uint8) for _ in range(30)]
    admitted = sum(gate.admit(f, t / 10) for t, f in enumerate(frames))
    assert admitted == 6  # 3 s of 10 fps video with motion everywhere, analysed at 2 fps
