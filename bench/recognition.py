"""Recognition benchmark: exact-plate accuracy per region, detection recall, milliseconds per
stage and frames per second on a video built from the images, for our pipeline and for the
stock ``fast_alpr.ALPR`` loop on the same input. Prints JSON (and writes it with --out).

    python bench/recognition.py [--data DIR] [--limit N] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alpr.recognition.detector import Box
from alpr.recognition.frame_gate import FrameGate
from alpr.recognition.models import locate
from alpr.recognition.reader import DEFAULT_VARIANTS, Recognizer
from alpr.recognition.sources import video_frames
from alpr.recognition.tracker import PlateTracker


def load(path: Path) -> np.ndarray:
    image = cv2.imread(str(path))
    if image is None:
        raise SystemExit(f"unreadable image {path}")
    return np.asarray(image)


def labelled(folder: Path, limit: int | None) -> list[dict[str, Any]]:
    with (folder / "labels.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    return rows[:limit] if limit else rows


def evaluate(rows: list[dict[str, Any]], folder: Path, read: Any) -> dict[str, Any]:
    hits: dict[str, list[bool]] = defaultdict(list)
    detected: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        image = load(folder / row["file"])
        x, y, w, h = (int(row[k]) for k in ("x", "y", "w", "h"))
        label = Box(x, y, x + w, y + h, 1.0)
        found = read(image)
        best = max(found, key=lambda f: f[0].iou(label), default=None)
        ok_box = best is not None and best[0].iou(label) >= 0.3
        detected[row["region"]].append(ok_box)
        hits[row["region"]].append(ok_box and best is not None and best[1] == row["plate"])
    return {
        "exact_plate_accuracy": {r: round(sum(v) / len(v), 4) for r, v in sorted(hits.items())},
        "detection_recall": {r: round(sum(v) / len(v), 4) for r, v in sorted(detected.items())},
        "images": {r: len(v) for r, v in sorted(hits.items())},
    }


def ours(recognizer: Recognizer) -> Any:
    return lambda image: [(r.box, r.plate) for r in recognizer.recognize(image)]


def stock(model_dir: Path) -> Any:
    from fast_alpr import ALPR
    from fast_alpr.base import BaseDetector
    from open_image_models import create_detector

    files = locate(model_dir)
    detector = create_detector(
        files.detector,
        backend="yolo_v9",
        class_labels=("License Plate",),
        conf_thresh=0.4,
        providers=["CPUExecutionProvider"],
    )

    class LocalDetector(BaseDetector):
        def predict(self, frame: Any) -> Any:
            return detector.predict(frame)

    alpr = ALPR(
        detector=LocalDetector(),
        ocr_model=None,
        ocr_model_path=str(files.ocr_model),
        ocr_config_path=str(files.ocr_config),
        ocr_device="cpu",
    )

    def read(image: Any) -> list[tuple[Box, str]]:
        out = []
        for result in alpr.predict(image):
            b = result.detection.bounding_box
            text = "".join(ch for ch in (result.ocr.text if result.ocr else "") if ch.isalnum())
            out.append((Box(int(b.x1), int(b.y1), int(b.x2), int(b.y2), 1.0), text.upper()))
        return out

    return read


def stage_timings(
    recognizer: Recognizer, rows: list[dict[str, Any]], folder: Path
) -> dict[str, float]:
    detect_ms, ocr_ms = [], []
    for row in rows[:60]:
        image = load(folder / row["file"])
        t0 = time.perf_counter()
        boxes = recognizer.detector.detect(image)
        t1 = time.perf_counter()
        recognizer.read_boxes(image, boxes)
        t2 = time.perf_counter()
        detect_ms.append((t1 - t0) * 1000)
        ocr_ms.append((t2 - t1) * 1000 / max(1, len(boxes)))
    return {
        "detector_ms_per_image": round(float(np.median(detect_ms)), 1),
        "ocr_ms_per_plate_all_variants": round(float(np.median(ocr_ms)), 1),
        "variants_per_plate": len(recognizer.variants),
    }


def video_fps(recognizer: Recognizer, rows: list[dict[str, Any]], folder: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.avi"
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10, (1280, 720))
        for row in rows[:20]:
            image = cv2.resize(load(folder / row["file"]), (1280, 720))
            for _ in range(15):
                writer.write(image)
        writer.release()
        gate, tracker = FrameGate(rate_fps=5.0), PlateTracker()
        frames = analysed = reads = 0
        start = time.perf_counter()
        for frame in video_frames(str(path)):
            frames += 1
            if not gate.admit(frame.image, frame.seconds):
                continue
            analysed += 1
            reads += len(
                tracker.update(
                    index=analysed,
                    captured_at=frame.captured_at,
                    frame=frame.image,
                    recognitions=recognizer.recognize(frame.image),
                )
            )
        reads += len(tracker.flush())
        elapsed = time.perf_counter() - start
    return {
        "video_frames": frames,
        "analysed_frames": analysed,
        "reads": reads,
        "cars": min(20, len(rows)),
        "seconds": round(elapsed, 2),
        "video_frames_per_s": round(frames / elapsed, 1),
        "analysed_frames_per_s": round(analysed / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "data" / "plates-dev",
    )
    parser.add_argument(
        "--models",
        type=Path,
        default=Path(
            os.environ.get(
                "ALPR_MODEL_DIR", Path(__file__).resolve().parents[2] / "shared" / "models"
            )
        ),
    )
    parser.add_argument("--limit", type=int)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = labelled(args.data, args.limit)
    files = locate(args.models)
    us_rows = [r for r in rows if r["region"] == "us"]
    other_rows = [r for r in rows if r["region"] != "us"]
    result: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "onnx_threads": args.threads,
        },
        "data": str(args.data),
    }
    configs = {
        "stock_fast_alpr": stock(args.models),
        "tight_crop_only": ours(
            Recognizer(files, threads=args.threads, variants=((0.0, 0.0),), us_prior=False)
        ),
        "crop_variants": ours(Recognizer(files, threads=args.threads, us_prior=False)),
    }
    result["ablation"] = {name: evaluate(rows, args.data, read) for name, read in configs.items()}
    deployed = Recognizer(files, threads=args.threads)
    result["ablation"]["crop_variants_plus_us_prior_on_us"] = evaluate(
        us_rows, args.data, ours(deployed)
    )
    result["ours_as_deployed"] = {
        "us": result["ablation"]["crop_variants_plus_us_prior_on_us"]["exact_plate_accuracy"].get(
            "us"
        ),
        **{
            k: v
            for k, v in result["ablation"]["crop_variants"]["exact_plate_accuracy"].items()
            if k != "us" and other_rows
        },
        "note": "US priors (no letter O) on for a US agency's cameras; off elsewhere",
    }
    result["stages"] = stage_timings(deployed, rows, args.data)
    result["video"] = video_fps(deployed, us_rows or rows, args.data)
    result["crop_variants"] = [list(v) for v in DEFAULT_VARIANTS]
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
