"""Recognition benchmark: exact-plate accuracy per region, detection recall, milliseconds per
stage, frames per second on a video built from the images, the stock ``fast_alpr.ALPR`` loop
on the same input, and an ablation of each option of our reader. Prints JSON.

    python bench/recognition.py [--data DIR] [--models DIR] [--limit N] [--threads N]

``--data`` is a folder with ``labels.csv`` (file,region,x,y,w,h,plate). Each image has one
labelled plate; the plate we read whose box overlaps the label box best is compared with it,
and counts as detected at IoU >= 0.3.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vehicle_attributes import attribute_report

from alpr.recognition.detector import Box
from alpr.recognition.models import ModelFiles, locate
from alpr.recognition.pipeline import Pipeline, PlateRead
from alpr.recognition.reader import DEFAULT_VARIANTS, Recognition, Recognizer
from alpr.recognition.sources import Frame, read_image, video_frames

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "plates-dev"
DEFAULT_MODELS = Path(__file__).resolve().parents[2] / "shared" / "models"
MATCH_IOU = 0.3
# Common US plate layouts (D digit, L letter): California 1ABC234 and 1A23456, and the
# 3-letter/3-4-digit layouts of many states. Used only by the format-prior experiment.
US_LAYOUTS = frozenset({"DLLLDDD", "DLDDDDD", "DDDDDLD", "LLLDDDD", "LLLDDD", "DDDLLL"})

Reads = list[tuple[Box, str]]


@dataclass(frozen=True)
class Sample:
    file: str
    region: str
    label: Box
    plate: str
    image: np.ndarray


def load_samples(folder: Path, limit: int | None) -> list[Sample]:
    with (folder / "labels.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    if limit:
        rows = rows[:limit]
    samples = []
    for row in rows:
        x, y, w, h = (int(row[k]) for k in ("x", "y", "w", "h"))
        samples.append(
            Sample(
                row["file"],
                row["region"],
                Box(x, y, x + w, y + h, 1.0),
                row["plate"],
                read_image(folder / row["file"]),
            )
        )
    return samples


def score(samples: list[Sample], reads: list[Reads]) -> dict[str, Any]:
    hits: dict[str, list[bool]] = defaultdict(list)
    detected: dict[str, list[bool]] = defaultdict(list)
    for sample, found in zip(samples, reads, strict=True):
        best = max(found, key=lambda f: f[0].iou(sample.label), default=None)
        ok_box = best is not None and best[0].iou(sample.label) >= MATCH_IOU
        detected[sample.region].append(ok_box)
        hits[sample.region].append(ok_box and best is not None and best[1] == sample.plate)

    def rate(values: dict[str, list[bool]]) -> dict[str, float]:
        per_region = {r: round(sum(v) / len(v), 4) for r, v in sorted(values.items())}
        every = [x for v in values.values() for x in v]
        return {**per_region, "all": round(sum(every) / max(1, len(every)), 4)}

    return {"exact_plate_accuracy": rate(hits), "detection_recall": rate(detected)}


def format_prior(found: Recognition) -> str:
    """The best alternative after doubling the weight of common US layouts."""
    ranked = sorted(
        found.alternatives,
        key=lambda alt: -alt[1] * (2.0 if _layout(alt[0]) in US_LAYOUTS else 1.0),
    )
    return ranked[0][0] if ranked else found.plate


def _layout(plate: str) -> str:
    return "".join("D" if ch.isdigit() else "L" for ch in plate)


def stock_reader(files: ModelFiles, *, threads: int) -> Callable[[np.ndarray], Reads]:
    """fast-alpr's own loop (detector at its default 0.4, OCR on the tight box)."""
    from fast_alpr import ALPR
    from fast_alpr.base import BaseDetector
    from open_image_models import create_detector

    from alpr.recognition.models import CPU, session_options

    detector = create_detector(
        files.detector,
        backend="yolo_v9",
        class_labels=("License Plate",),
        conf_thresh=0.4,
        providers=CPU,
        sess_options=session_options(threads),
    )

    class LocalDetector(BaseDetector):
        def predict(self, frame: Any) -> Any:
            return detector.predict(frame)

    alpr = ALPR(
        detector=LocalDetector(),
        ocr_model=None,
        ocr_model_path=str(files.primary_ocr.model),
        ocr_config_path=str(files.primary_ocr.config),
        ocr_device="cpu",
    )

    def read(image: np.ndarray) -> Reads:
        out = []
        for result in alpr.predict(image):
            b = result.detection.bounding_box
            text = "".join(ch for ch in (result.ocr.text if result.ocr else "") if ch.isalnum())
            out.append((Box(int(b.x1), int(b.y1), int(b.x2), int(b.y2), 1.0), text.upper()))
        return out

    return read


def ablation(
    samples: list[Sample], files: ModelFiles, *, threads: int
) -> tuple[dict[str, Any], dict[str, float]]:
    """Each option switched on in turn, from fast-alpr's defaults to ours. Detections are
    computed once at a low threshold and filtered per configuration."""
    detector = Recognizer(files, threads=threads, conf_thresh=0.1).detector
    detect_ms, boxes = [], []
    for sample in samples:
        start = time.perf_counter()
        boxes.append(detector.detect(sample.image))
        detect_ms.append((time.perf_counter() - start) * 1000)

    def run(
        *, conf: float, variants: tuple[tuple[float, float], ...], ensemble: bool, prior: bool
    ) -> list[list[Recognition]]:
        recognizer = Recognizer(
            files, threads=threads, variants=variants, us_prior=prior, ensemble=ensemble
        )
        return [
            recognizer.read_boxes(s.image, [b for b in found if b.confidence >= conf])
            for s, found in zip(samples, boxes, strict=True)
        ]

    def plates(found: list[list[Recognition]]) -> list[Reads]:
        return [[(r.box, r.plate) for r in image] for image in found]

    tight = ((0.0, 0.0),)
    steps: dict[str, dict[str, Any]] = {
        "1_tight_crop_conf_0.4_v2_only": {
            "conf": 0.4, "variants": tight, "ensemble": False, "prior": False},
        "2_detector_conf_0.3": {
            "conf": 0.3, "variants": tight, "ensemble": False, "prior": False},
        "3_plus_crop_margin_variants": {
            "conf": 0.3, "variants": DEFAULT_VARIANTS, "ensemble": False, "prior": False},
        "4_plus_ocr_ensemble_v2_v1": {
            "conf": 0.3, "variants": DEFAULT_VARIANTS, "ensemble": True, "prior": False},
        "5_plus_us_no_letter_o_prior": {
            "conf": 0.3, "variants": DEFAULT_VARIANTS, "ensemble": True, "prior": True},
        "deployed_without_ocr_ensemble": {
            "conf": 0.3, "variants": DEFAULT_VARIANTS, "ensemble": False, "prior": True},
        "deployed_without_margin_variants": {
            "conf": 0.3, "variants": tight, "ensemble": True, "prior": True},
    }  # fmt: skip
    result: dict[str, Any] = {}
    deployed: list[list[Recognition]] = []
    for name, options in steps.items():
        found = run(**options)
        result[name] = score(samples, plates(found))
        if name.startswith("5_"):
            deployed = found
    result["experiment_us_layout_prior_not_deployed"] = {
        **score(
            samples,
            [[(r.box, format_prior(r)) for r in image] for image in deployed],
        ),
        "note": "alternatives re-ranked with common US layouts weighted x2",
    }
    return result, {"detector_ms_per_image": round(statistics.median(detect_ms), 1)}


def ocr_timings(samples: list[Sample], recognizer: Recognizer) -> dict[str, float]:
    per_plate = []
    for sample in samples[:60]:
        boxes = [b for b in recognizer.detector.detect(sample.image)[:1]]
        if not boxes:
            continue
        start = time.perf_counter()
        recognizer.read_boxes(sample.image, boxes)
        per_plate.append((time.perf_counter() - start) * 1000)
    crops = len(recognizer.variants) * len(recognizer.readers)
    median = statistics.median(per_plate) if per_plate else 0.0
    return {
        "ocr_ms_per_plate": round(median, 1),
        "ocr_crops_per_plate": crops,
        "ocr_ms_per_crop": round(median / crops, 2),
    }


def build_video(path: Path, samples: list[Sample], *, fps: int, frames_each: int) -> None:
    """Each photo letterboxed into 1280x720 for ``frames_each`` frames, then one second of
    empty street, so every car is one pass."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (1280, 720))
    blank = np.full((720, 1280, 3), 90, np.uint8)
    for sample in samples:
        image = sample.image
        scale = min(1280 / image.shape[1], 720 / image.shape[0])
        resized = cv2.resize(image, None, fx=scale, fy=scale)
        canvas = blank.copy()
        y, x = (720 - resized.shape[0]) // 2, (1280 - resized.shape[1]) // 2
        canvas[y : y + resized.shape[0], x : x + resized.shape[1]] = resized
        for _ in range(frames_each):
            writer.write(canvas)
        for _ in range(fps):
            writer.write(blank)
    writer.release()


def stamped(frames: Iterator[Frame]) -> Iterator[Frame]:
    """Video frames with capture times on the video clock (the benchmark runs faster than
    real time)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for frame in frames:
        yield Frame(
            frame.index, start + timedelta(seconds=frame.seconds), frame.seconds, frame.image
        )


def video_run(samples: list[Sample], recognizer: Recognizer) -> dict[str, Any]:
    cars = [s for s in samples if s.region == "us"][:20] or samples[:20]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.avi"
        build_video(path, cars, fps=10, frames_each=15)
        reads: list[PlateRead] = []
        pipeline = Pipeline(recognizer=recognizer, rate_fps=5.0)
        start = time.perf_counter()
        stats = pipeline.process_stream(stamped(video_frames(str(path))), on_read=reads.append)
        elapsed = time.perf_counter() - start
    plates = {r.plate for r in reads}
    return {
        "video": "1280x720 MJPEG at 10 fps, each car 1.5 s then 1 s empty street; gate 5 fps",
        "cars": len(cars),
        "video_frames": stats.frames,
        "analysed_frames": stats.analysed,
        "reads": stats.reads,
        "cars_read_exactly": sum(c.plate in plates for c in cars),
        "seconds": round(elapsed, 2),
        "video_frames_per_s": round(stats.frames / elapsed, 1),
        "analysed_frames_per_s": round(stats.analysed / elapsed, 1),
    }


def machine(threads: int) -> dict[str, Any]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "onnx_threads": threads,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--models", type=Path, default=Path(os.environ.get("ALPR_MODEL_DIR", DEFAULT_MODELS))
    )
    parser.add_argument("--limit", type=int)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    samples = load_samples(args.data, args.limit)
    files = locate(args.models)
    result: dict[str, Any] = {
        "machine": machine(args.threads),
        "data": str(args.data),
        "images": {
            r: sum(s.region == r for s in samples) for r in sorted({s.region for s in samples})
        },
        "detector": files.detector.name,
        "ocr_models": [f.model.name for f in files.ocr],
    }
    stock = stock_reader(files, threads=args.threads)
    stock_ms, stock_reads = [], []
    for sample in samples:
        start = time.perf_counter()
        stock_reads.append(stock(sample.image))
        stock_ms.append((time.perf_counter() - start) * 1000)
    result["stock_fast_alpr"] = {
        **score(samples, stock_reads),
        "ms_per_image": round(statistics.median(stock_ms), 1),
    }
    steps, detector_ms = ablation(samples, files, threads=args.threads)
    deployed = Recognizer(files, threads=args.threads)
    ours_ms, ours_reads = [], []
    for sample in samples:
        start = time.perf_counter()
        ours_reads.append([(r.box, r.plate) for r in deployed.recognize(sample.image)])
        ours_ms.append((time.perf_counter() - start) * 1000)
    result["ours"] = {
        **score(samples, ours_reads),
        "ms_per_image": round(statistics.median(ours_ms), 1),
        "config": {
            "detector_conf": 0.3,
            "crop_margins": [list(v) for v in DEFAULT_VARIANTS],
            "ocr_ensemble": len(deployed.readers) > 1,
            "us_no_letter_o_prior": "when the OCR region is United States",
        },
    }
    result["stages"] = {**detector_ms, **ocr_timings(samples, deployed)}
    result["ablation"] = steps
    result["video"] = video_run(samples, deployed)
    result["attributes"] = attribute_report(args.data, args.models, threads=args.threads)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
