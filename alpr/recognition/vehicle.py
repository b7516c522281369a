"""Describing the vehicle that carries a plate: its box, body type and colour, each with a
confidence, so that a witness's "white pickup" can be searched when nobody saw the plate.

The vehicle is the largest box of ``vehicle-detection-0200`` that contains the plate's centre.
The body type is YOLOX-Nano's COCO class of the vehicle around the plate (car, truck, bus,
motorcycle), checked by ``vehicle-attributes-recognition-barrier-0039`` (a truck needs both;
0039 names vans), and 0039's alone when YOLOX finds nothing: 0039 on its own calls many sedans
seen from behind "truck". Colour comes
from 0039 on the vehicle's crop, but that model was made for front views and on rear views tail
lights make it say "red", so the colour is also measured on the painted body just above the
plate (away from the lights, the glass and the plate itself) and the two are combined. An
attribute whose confidence is below its threshold is "unknown" rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import cv2
import numpy as np
import onnxruntime as ort

from alpr.config import Deployment, get_deployment
from alpr.recognition.detector import Box
from alpr.recognition.models import CPU, LOG, ModelsMissing, session_options
from alpr.vehicles import VehicleColour, VehicleType

DETECTOR_FILE = Path("vehicle/vehicle-detection-0200/vehicle-detection-0200.onnx")
ATTRIBUTES_FILE = Path(
    "vehicle/vehicle-attributes-recognition-barrier-0039/vehicle-attributes-recognition-barrier-0039.onnx"
)
DETECTOR_SIZE = 256
ATTRIBUTES_SIZE = 72
YOLOX_FILE = Path("vehicle/yolox_nano/yolox_nano.onnx")
YOLOX_SIZE = 416
YOLOX_STRIDES = (8, 16, 32)
# COCO classes that are vehicles, as body types.
COCO_TYPES = {
    2: VehicleType.CAR,
    3: VehicleType.MOTORCYCLE,
    5: VehicleType.BUS,
    7: VehicleType.PICKUP_TRUCK,
}
VAN_THRESHOLD = 0.99
PICKUP_THRESHOLD = 0.7
MIN_VEHICLE_SCORE = 0.3
NMS_IOU = 0.45
TYPE_THRESHOLD = 0.45
COLOUR_THRESHOLD = 0.5

# The attributes model's outputs, in its order.
MODEL_COLOURS = (
    VehicleColour.WHITE,
    VehicleColour.SILVER_GRAY,
    VehicleColour.YELLOW_GOLD,
    VehicleColour.RED,
    VehicleColour.GREEN,
    VehicleColour.BLUE,
    VehicleColour.BLACK,
)
MODEL_TYPES = (VehicleType.CAR, VehicleType.BUS, VehicleType.PICKUP_TRUCK, VehicleType.VAN)


@dataclass(frozen=True)
class VehicleDescription:
    """The vehicle of one plate. ``box`` is None when no vehicle was found around the plate
    (type and colour are then unknown); confidences are 0-1, and an attribute under its
    threshold is ``UNKNOWN`` with the confidence it had."""

    type: VehicleType
    colour: VehicleColour
    type_confidence: float
    colour_confidence: float
    box: Box | None

    @classmethod
    def unknown(cls) -> VehicleDescription:
        return cls(VehicleType.UNKNOWN, VehicleColour.UNKNOWN, 0.0, 0.0, None)

    def to_json(self) -> dict[str, object]:
        box = self.box
        return {
            "type": self.type.label,
            "type_confidence": round(self.type_confidence, 3),
            "colour": self.colour.label,
            "colour_confidence": round(self.colour_confidence, 3),
            "box": [box.x1, box.y1, box.x2, box.y2] if box else None,
        }


def _nms(boxes: np.ndarray, scores: np.ndarray) -> list[int]:
    order = np.argsort(-scores)
    keep: list[int] = []
    while order.size:
        i = int(order[0])
        keep.append(i)
        rest = order[1:]
        x1 = np.maximum(boxes[i, 0], boxes[rest, 0])
        y1 = np.maximum(boxes[i, 1], boxes[rest, 1])
        x2 = np.minimum(boxes[i, 2], boxes[rest, 2])
        y2 = np.minimum(boxes[i, 3], boxes[rest, 3])
        inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
        area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        iou = inter / (area[i] + area[rest] - inter + 1e-9)
        order = rest[iou < NMS_IOU]
    return keep


def body_colour(image: np.ndarray, plate: Box) -> tuple[VehicleColour, float]:
    """The colour of the painted body just above the plate, and the share of that patch's
    pixels that have it. The patch spans the plate's width and, above it, one to two plate
    heights: on a rear view the trunk lid, on a front view the bumper below the grille."""
    width = image.shape[1]
    w, h = plate.x2 - plate.x1, plate.y2 - plate.y1
    x1, x2 = max(0, plate.x1), min(width, plate.x2)
    y1, y2 = max(0, plate.y1 - int(2.0 * h)), max(0, plate.y1 - int(0.6 * h))
    if x2 - x1 < 4 or y2 - y1 < 2 or w <= 0:
        return VehicleColour.UNKNOWN, 0.0
    patch = image[y1:y2, x1:x2]
    hsv = cv2.cvtColor(patch, cv2.COLOR_BGR2HSV).reshape(-1, 3).astype(np.int32)
    hue, sat, val = hsv[:, 0] * 2, hsv[:, 1], hsv[:, 2]
    labels = np.full(hue.shape, int(VehicleColour.SILVER_GRAY))
    grey = sat < 50
    labels[grey & (val >= 165)] = VehicleColour.WHITE
    labels[val < 70] = VehicleColour.BLACK
    coloured = ~grey & (val >= 70)
    red = coloured & ((hue < 15) | (hue >= 340))
    orange = coloured & (hue >= 15) & (hue < 45)
    labels[red] = VehicleColour.RED
    labels[orange & ((val < 150) | (sat < 110))] = VehicleColour.BROWN_BEIGE
    labels[orange & (val >= 150) & (sat >= 110)] = VehicleColour.YELLOW_GOLD
    labels[coloured & (hue >= 45) & (hue < 70)] = VehicleColour.YELLOW_GOLD
    labels[coloured & (hue >= 70) & (hue < 170)] = VehicleColour.GREEN
    labels[coloured & (hue >= 170) & (hue < 260)] = VehicleColour.BLUE
    labels[coloured & (hue >= 260) & (hue < 340)] = VehicleColour.RED
    counts = np.bincount(labels, minlength=len(VehicleColour))
    best = int(np.argmax(counts))
    return VehicleColour(best), float(counts[best] / labels.size)


def combine_colour(
    model: np.ndarray, measured: VehicleColour, share: float
) -> tuple[VehicleColour, float]:
    """The model's colour probabilities and the measured body colour as one colour with a
    confidence. Where they agree, the confidence is the better of the two; a model "red"
    that the paint does not bear out is the tail lights, and the paint wins; otherwise the
    more confident of the two, marked down for the disagreement."""
    index = int(np.argmax(model))
    said, p = MODEL_COLOURS[index], float(model[index])
    if measured is VehicleColour.UNKNOWN:
        return said, p
    if said is measured:
        return said, max(p, share)
    measured_p = float(model[MODEL_COLOURS.index(measured)]) if measured in MODEL_COLOURS else 0.0
    if said is VehicleColour.RED:
        return measured, share
    if share * (0.5 + measured_p) >= p:
        return measured, share * (1.0 - p / 2)
    return said, p * (1.0 - share / 2)


def _grid() -> tuple[np.ndarray, np.ndarray]:
    """YOLOX's cell offsets and strides for each of its 3549 outputs."""
    cells, strides = [], []
    for stride in YOLOX_STRIDES:
        side = YOLOX_SIZE // stride
        ys, xs = np.mgrid[0:side, 0:side]
        cells.append(np.stack([xs.ravel(), ys.ravel()], axis=1))
        strides.append(np.full((side * side, 1), stride))
    return np.concatenate(cells).astype(np.float32), np.concatenate(strides).astype(np.float32)


def _containing(
    boxes: np.ndarray, scores: np.ndarray, x: float, y: float
) -> tuple[int, np.ndarray] | None:
    """Of the boxes kept by NMS, the index and box of the largest that contains (x, y)."""
    best: tuple[int, np.ndarray] | None = None
    best_area = 0.0
    for i in _nms(boxes, scores):
        x1, y1, x2, y2 = boxes[i]
        area = float((x2 - x1) * (y2 - y1))
        if x1 <= x <= x2 and y1 <= y <= y2 and area > best_area:
            best, best_area = (i, boxes[i]), area
    return best


class VehicleDescriber:
    """The vehicle detector, YOLOX-Nano and the attribute model, on the CPU; one instance per
    worker thread."""

    def __init__(self, model_dir: Path, *, threads: int = 1) -> None:
        files = [model_dir / f for f in (DETECTOR_FILE, YOLOX_FILE, ATTRIBUTES_FILE)]
        for path in files:
            if not path.is_file():
                raise ModelsMissing(f"{path.name} is missing from {path.parent}")
        options = session_options(threads)
        self._detector, self._yolox, self._attributes = (
            ort.InferenceSession(str(path), options, providers=CPU) for path in files
        )
        self._cells, self._strides = _grid()

    @classmethod
    def if_available(cls, model_dir: Path | None, *, threads: int = 1) -> VehicleDescriber | None:
        """The describer, or None (with a warning: reads then carry no description) when the
        vehicle models are not in ``model_dir``."""
        try:
            if model_dir is None:
                raise ModelsMissing("ALPR_MODEL_DIR is not set")
            return cls(Path(model_dir), threads=threads)
        except ModelsMissing as exc:
            LOG.warning("reads will not describe their vehicle: %s", exc)
            return None

    @classmethod
    def from_settings(cls, settings: Deployment | None = None) -> VehicleDescriber:
        """The describer for ``ALPR_MODEL_DIR`` with ``ALPR_ONNX_THREADS`` threads."""
        settings = settings or get_deployment()
        if settings.model_dir is None:
            raise ModelsMissing("set ALPR_MODEL_DIR to the folder holding the ONNX models")
        return cls(Path(settings.model_dir), threads=settings.onnx_threads)

    def vehicle_box(self, image: np.ndarray, plate: Box) -> Box | None:
        """The largest vehicle box of ``vehicle-detection-0200`` that contains the plate's
        centre, if any."""
        height, width = image.shape[:2]
        blob = cv2.resize(image, (DETECTOR_SIZE, DETECTOR_SIZE)).astype(np.float32)
        boxes, scores = self._detector.run(None, {"image": blob.transpose(2, 0, 1)[None]})
        scores = scores[:, 0]
        wanted = scores > MIN_VEHICLE_SCORE
        cx = (plate.x1 + plate.x2) / 2 / width
        cy = (plate.y1 + plate.y2) / 2 / height
        found = _containing(boxes[wanted], scores[wanted], cx, cy)
        if found is None:
            return None
        index, (x1, y1, x2, y2) = found
        box = Box(
            max(0, int(x1 * width)),
            max(0, int(y1 * height)),
            min(width, int(x2 * width)),
            min(height, int(y2 * height)),
            float(scores[wanted][index]),
        )
        return box if box.area > 0 else None

    def coco_type(self, image: np.ndarray, plate: Box) -> tuple[VehicleType, float] | None:
        """YOLOX-Nano's vehicle class of the largest vehicle around the plate's centre, with
        its score, if it finds one."""
        height, width = image.shape[:2]
        scale = min(YOLOX_SIZE / width, YOLOX_SIZE / height)
        resized = cv2.resize(image, (int(width * scale), int(height * scale)))
        canvas = np.full((YOLOX_SIZE, YOLOX_SIZE, 3), 114, dtype=np.uint8)
        canvas[: resized.shape[0], : resized.shape[1]] = resized
        blob = canvas.astype(np.float32).transpose(2, 0, 1)[None]
        raw = self._yolox.run(None, {"images": blob})[0][0]
        centre = (raw[:, :2] + self._cells) * self._strides
        size = np.exp(raw[:, 2:4]) * self._strides
        classes = sorted(COCO_TYPES)
        class_scores = raw[:, 4:5] * raw[:, 5:][:, classes]
        best_class = class_scores.argmax(axis=1)
        scores = class_scores.max(axis=1)
        wanted = scores > MIN_VEHICLE_SCORE
        boxes = np.concatenate([centre - size / 2, centre + size / 2], axis=1) / scale
        cx, cy = (plate.x1 + plate.x2) / 2, (plate.y1 + plate.y2) / 2
        found = _containing(boxes[wanted], scores[wanted], cx, cy)
        if found is None:
            return None
        index = found[0]
        return COCO_TYPES[classes[int(best_class[wanted][index])]], float(scores[wanted][index])

    def describe(self, image: np.ndarray, plate: Box) -> VehicleDescription:
        """Box, type and colour of the vehicle carrying the plate in a BGR image."""
        box = self.vehicle_box(image, plate)
        if box is None:
            return VehicleDescription.unknown()
        crop = image[box.y1 : box.y2, box.x1 : box.x2]
        blob = cv2.resize(crop, (ATTRIBUTES_SIZE, ATTRIBUTES_SIZE)).astype(np.float32)
        outputs = dict(
            zip(
                [o.name for o in self._attributes.get_outputs()],
                self._attributes.run(None, {"input": blob.transpose(2, 0, 1)[None]}),
                strict=True,
            )
        )
        kind, type_p = combine_type(outputs["type"].reshape(-1), self.coco_type(image, plate))
        colour, colour_p = combine_colour(outputs["color"].reshape(-1), *body_colour(image, plate))
        return VehicleDescription(
            type=kind if type_p >= TYPE_THRESHOLD else VehicleType.UNKNOWN,
            colour=colour if colour_p >= COLOUR_THRESHOLD else VehicleColour.UNKNOWN,
            type_confidence=type_p,
            colour_confidence=colour_p,
            box=box,
        )


def combine_type(
    model: np.ndarray, coco: tuple[VehicleType, float] | None
) -> tuple[VehicleType, float]:
    """The body type from YOLOX's class, except: a van where 0039 is sure of it (COCO has no
    vans); a pickup or truck only where both models say so and YOLOX is fairly sure (on the
    dev photos YOLOX alone called one car in six a truck); 0039's type, marked down, when
    YOLOX saw no vehicle there."""
    index = int(np.argmax(model))
    said, p = MODEL_TYPES[index], float(model[index])
    if coco is None:
        return said, p * 0.8
    kind, score = coco
    if said is VehicleType.VAN and p >= VAN_THRESHOLD and kind is not VehicleType.MOTORCYCLE:
        return VehicleType.VAN, p
    if kind is VehicleType.PICKUP_TRUCK and (
        said is not VehicleType.PICKUP_TRUCK or score < PICKUP_THRESHOLD
    ):
        return VehicleType.CAR, score * 0.8
    return kind, score


class VehicleColumns(TypedDict, total=False):
    vehicle_type: int
    vehicle_colour: int
    vehicle_type_confidence: int
    vehicle_colour_confidence: int
    vehicle_box: list[int] | None


def vehicle_columns(vehicle: VehicleDescription | None) -> VehicleColumns:
    """A description as a read's columns (codes, confidences in percent, box); all None
    when the vehicle was not described."""
    if vehicle is None:
        return {}
    box = vehicle.box
    return {
        "vehicle_type": int(vehicle.type),
        "vehicle_colour": int(vehicle.colour),
        "vehicle_type_confidence": round(vehicle.type_confidence * 100),
        "vehicle_colour_confidence": round(vehicle.colour_confidence * 100),
        "vehicle_box": [box.x1, box.y1, box.x2, box.y2] if box else None,
    }


_DEFAULT: VehicleDescriber | None = None


def describe_vehicle(image: np.ndarray, plate_box: Box) -> VehicleDescription:
    """Box, type and colour of the vehicle that carries the plate at ``plate_box`` in a BGR
    image, with the models of ``ALPR_MODEL_DIR`` (loaded once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = VehicleDescriber.from_settings()
    return _DEFAULT.describe(image, plate_box)
