"""Plate detector stage: boxes of licence plates in a BGR frame."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
from open_image_models import create_detector
from open_image_models.detection.core.base import DetectionResult

from alpr.recognition.models import CPU, session_options


@dataclass(frozen=True)
class Box:
    """A plate box in pixels (x1, y1 top-left; x2, y2 bottom-right) with its detection
    confidence."""

    x1: int
    y1: int
    x2: int
    y2: int
    confidence: float

    @property
    def area(self) -> int:
        return max(0, self.x2 - self.x1) * max(0, self.y2 - self.y1)

    def iou(self, other: Box) -> float:
        ix = max(0, min(self.x2, other.x2) - max(self.x1, other.x1))
        iy = max(0, min(self.y2, other.y2) - max(self.y1, other.y1))
        inter = ix * iy
        union = self.area + other.area - inter
        return inter / union if union else 0.0


class PlateDetector:
    """The YOLOv9 plate detector (NMS inside the graph), on the CPU with ``threads``
    onnxruntime threads; boxes under ``conf_thresh`` are dropped."""

    def __init__(self, model: Path, *, threads: int, conf_thresh: float = 0.3) -> None:
        self._model = create_detector(
            model,
            backend="yolo_v9",
            class_labels=("License Plate",),
            conf_thresh=conf_thresh,
            providers=CPU,
            sess_options=session_options(threads),
        )

    def detect(self, frame: np.ndarray) -> list[Box]:
        """Plate boxes in a BGR frame, clipped to it, most confident first."""
        height, width = frame.shape[:2]
        boxes = []
        results = cast(list[DetectionResult], self._model.predict(frame))
        for result in results:
            b = result.bounding_box
            box = Box(
                max(0, int(b.x1)),
                max(0, int(b.y1)),
                min(width, int(b.x2)),
                min(height, int(b.y2)),
                float(result.confidence),
            )
            if box.area > 0:
                boxes.append(box)
        return sorted(boxes, key=lambda b: -b.confidence)
