"""Synthetic plate crops and scene frames for demo reads (small JPEGs)."""

from __future__ import annotations

import hashlib
from datetime import datetime, tzinfo

import cv2
import numpy as np


def _seeded(plate: str, at: str) -> np.random.Generator:
    return np.random.default_rng(int(hashlib.sha256(f"{plate}|{at}".encode()).hexdigest()[:12], 16))


def plate_crop(plate: str, at: str) -> np.ndarray:
    rng = _seeded(plate, at)
    crop = np.full((60, 200, 3), 245, np.uint8)
    cv2.rectangle(crop, (2, 2), (197, 57), (60, 60, 60), 2)
    cv2.putText(crop, "California", (62, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.35, (40, 40, 160), 1)
    cv2.putText(crop, plate, (14, 48), cv2.FONT_HERSHEY_DUPLEX, 1.05, (90, 40, 20), 2)
    noise = rng.normal(0, 6, crop.shape)
    crop = np.clip(crop.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return cv2.GaussianBlur(crop, (3, 3), 0)


# Where the vehicle is in a scene frame: (x1, y1, x2, y2).
VEHICLE_BOX = (120, 90, 360, 240)


def scene_frame(
    plate: str, at: str, crop: np.ndarray, *, tz: tzinfo, paint: tuple[int, int, int]
) -> np.ndarray:
    """A frame of a vehicle of colour ``paint`` (BGR) stamped with the capture time in the
    agency's zone (``at`` is ISO 8601)."""
    frame = np.zeros((270, 480, 3), np.uint8)
    frame[:] = (95, 95, 90)
    frame[:110] = (150, 120, 90)
    cv2.rectangle(frame, VEHICLE_BOX[:2], VEHICLE_BOX[2:], paint, -1)
    cv2.rectangle(frame, (150, 105), (330, 160), (40, 40, 40), -1)
    small = cv2.resize(crop, (100, 30))
    frame[195:225, 190:290] = small
    cv2.putText(
        frame,
        f"{datetime.fromisoformat(at).astimezone(tz):%Y-%m-%d %H:%M:%S %Z}",
        (8, 262),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.4,
        (255, 255, 255),
        1,
    )
    return frame


def jpeg(image: np.ndarray, quality: int = 70) -> bytes:
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("could not encode image")
    return buffer.tobytes()


def vehicle_crop(frame: np.ndarray) -> np.ndarray:
    x1, y1, x2, y2 = VEHICLE_BOX
    return frame[y1:y2, x1:x2]
