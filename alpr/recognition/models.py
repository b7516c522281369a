"""Finding the ONNX models in a local folder (``ALPR_MODEL_DIR``) and the onnxruntime options
they run with: the plate detector (open-image-models YOLOv9) and the OCR models
(fast-plate-ocr), on the CPU only, with no download ever attempted."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import onnxruntime as ort

from alpr.config import get_deployment

LOG = logging.getLogger("alpr.recognition")

# Preferred first: the FP32 384 detector fast-alpr ships, then the int8 416 copy.
DETECTOR_FILES = (
    "yolo-v9-t-384-license-plates-end2end.onnx",
    "yolo-v9-t-416-license-plates-end2end-int8.onnx",
)
# The primary OCR model (it also names the plate's country) and the second model of the
# ensemble; the second is used when present and adds about four points of US accuracy.
PRIMARY_OCR = ("cct_xs_v2_global.onnx", "cct_xs_v2_global_plate_config.yaml")
SECOND_OCR = ("cct_xs_v1_global.onnx", "cct_xs_v1_global_plate_config.yaml")
CPU = ["CPUExecutionProvider"]


class ModelsMissing(RuntimeError):
    """The model folder is not set or lacks a file; the message says which."""


@dataclass(frozen=True)
class OcrFiles:
    model: Path
    config: Path


@dataclass(frozen=True)
class ModelFiles:
    """The detector and the OCR models, primary first."""

    detector: Path
    ocr: tuple[OcrFiles, ...]

    @property
    def primary_ocr(self) -> OcrFiles:
        return self.ocr[0]


def locate(model_dir: Path | None = None, *, ensemble: bool = True) -> ModelFiles:
    """The model files in ``model_dir`` (default: the ``ALPR_MODEL_DIR`` setting).

    Raises ``ModelsMissing`` when the folder is not set, is not a folder, or lacks the
    detector or the primary OCR model or its config. The second OCR model is optional.
    """
    if model_dir is None:
        model_dir = get_deployment().model_dir
    if model_dir is None:
        raise ModelsMissing("set ALPR_MODEL_DIR to the folder holding the ONNX models")
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelsMissing(f"ALPR_MODEL_DIR={model_dir} is not a folder")
    detector = next((model_dir / n for n in DETECTOR_FILES if (model_dir / n).is_file()), None)
    if detector is None:
        raise ModelsMissing(
            f"no plate detector in {model_dir} (expected one of {', '.join(DETECTOR_FILES)})"
        )
    for name in PRIMARY_OCR:
        if not (model_dir / name).is_file():
            raise ModelsMissing(f"{name} is missing from {model_dir}")
    ocr = [OcrFiles(model_dir / PRIMARY_OCR[0], model_dir / PRIMARY_OCR[1])]
    if ensemble:
        if all((model_dir / name).is_file() for name in SECOND_OCR):
            ocr.append(OcrFiles(model_dir / SECOND_OCR[0], model_dir / SECOND_OCR[1]))
        else:
            LOG.warning(
                "%s not found in %s: reading with one OCR model (less accurate)",
                SECOND_OCR[0],
                model_dir,
            )
    return ModelFiles(detector, tuple(ocr))


def session_options(threads: int) -> ort.SessionOptions:
    """CPU session options: ``threads`` intra-op threads (the ``onnx_threads`` setting)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return options
