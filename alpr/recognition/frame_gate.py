"""Frame gate: process frames at a configurable rate, and only while something moves (plus a
short hold after motion, so a passing car is read in several frames for the vote)."""

from __future__ import annotations

import cv2
import numpy as np


class FrameGate:
    """Admits at most ``rate_fps`` frames per second, and only while the mean grey-level
    change between admitted-or-checked frames (at 96x54) exceeds ``motion_threshold``, or
    within ``hold_s`` seconds after it did."""

    def __init__(
        self, *, rate_fps: float = 5.0, motion_threshold: float = 2.0, hold_s: float = 1.5
    ) -> None:
        self.interval = 1.0 / rate_fps if rate_fps > 0 else 0.0
        self.motion_threshold = motion_threshold
        self.hold_s = hold_s
        self._last_t: float | None = None
        self._last_small: np.ndarray | None = None
        self._motion_until = -1.0

    def admit(self, frame: np.ndarray, t: float) -> bool:
        """Whether to analyse ``frame``, taken ``t`` seconds into the source."""
        if self._last_t is not None and t - self._last_t < self.interval:
            return False
        small = cv2.resize(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), (96, 54)).astype(np.int16)
        moved = (
            self._last_small is None
            or float(np.abs(small - self._last_small).mean()) > self.motion_threshold
        )
        self._last_small = small
        if moved:
            self._motion_until = t + self.hold_s
        if t <= self._motion_until:
            self._last_t = t
            return True
        return False
