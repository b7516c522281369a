"""Finding and loading the ONNX models from a local folder (``ALPR_MODEL_DIR``): the plate
detector (open-image-models YOLOv9) and the OCR (fast-plate-ocr), on the CPU."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import onnxruntime as ort

DETECTOR_FILES = (
    "yolo-v9-t-384-license-plates-end2end.onnx",
    "yolo-v9-t-416-license-plates-end2end-int8.onnx",
)
OCR_MODEL = "cct_xs_v2_global.onnx"
OCR_CONFIG = "cct_xs_v2_global_plate_config.yaml"
CPU = ["CPUExecutionProvider"]


class ModelsMissing(RuntimeError):
    """The model folder is not set or lacks a file; the message says which."""


@dataclass(frozen=True)
class ModelFiles:
    detector: Path
    ocr_model: Path
    ocr_config: Path


def locate(model_dir: Path | None) -> ModelFiles:
    if model_dir is None:
        raise ModelsMissing("set ALPR_MODEL_DIR to the folder holding the ONNX models")
    if not model_dir.is_dir():
        raise ModelsMissing(f"ALPR_MODEL_DIR={model_dir} is not a folder")
    detector = next((model_dir / n for n in DETECTOR_FILES if (model_dir / n).is_file()), None)
    if detector is None:
        raise ModelsMissing(f"no plate detector in {model_dir} (expected one of {DETECTOR_FILES})")
    for name in (OCR_MODEL, OCR_CONFIG):
        if not (model_dir / name).is_file():
            raise ModelsMissing(f"{name} is missing from {model_dir}")
    return ModelFiles(detector, model_dir / OCR_MODEL, model_dir / OCR_CONFIG)


def session_options(threads: int) -> ort.SessionOptions:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return options
