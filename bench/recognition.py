"""Recognition benchmark: exact-plate accuracy per region (top-1, and top-3: the labelled
plate among the first three alternatives), detection recall, milliseconds per stage, the stock
``fast_alpr.ALPR`` loop on the same input, an ablation of each option of our reader, and the
worker's pipeline on a live RTSP stream of the photos (frames analysed per second, where the
time goes, cars stored once with their plate), also with one core kept busy by another
process. Prints JSON.

    python bench/recognition.py [--data DIR] [--models DIR] [--limit N] [--threads N]
                                [--cars N] [--no-video]

``--data`` is a folder with ``labels.csv`` (file,region,x,y,w,h,plate). Each image has one
labelled plate; the plate we read whose box overlaps the label box best is compared with it,
and counts as detected at IoU >= 0.3. Where a label is wrong (the photo plainly shows another
plate), ``tests/recognition/data/plate_label_errata.csv`` names the plate shown, with the
reason; every figure compares with the plate shown, and ``as_labelled`` gives ours and the
stock loop's against the labels as they are. The stream needs ffmpeg and the system Python with
GStreamer's RTSP server (``tests/worker/rtsp_server.py``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vehicle_attributes import attribute_report

from alpr.recognition.detector import Box
from alpr.recognition.models import ModelFiles, locate
from alpr.recognition.pipeline import Pipeline, PlateRead
from alpr.recognition.plate_formats import US_LAYOUTS
from alpr.recognition.reader import DEFAULT_VARIANTS, Recognition, Recognizer
from alpr.recognition.sources import Frame, read_image, video_frames
from alpr.recognition.vehicle import VehicleDescriber

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "plates-dev"
DEFAULT_MODELS = ROOT.parent / "shared" / "models"
RTSP_SERVER = ROOT / "tests" / "worker" / "rtsp_server.py"
ERRATA = ROOT / "tests" / "recognition" / "data" / "plate_label_errata.csv"
MATCH_IOU = 0.3
TOP = 3

# One read per plate in an image: its box and its alternatives, best first.
Reads = list[tuple[Box, list[str]]]


@dataclass(frozen=True)
class Sample:
    file: str
    region: str
    label: Box
    plate: str  # the plate the photo shows
    labelled: str  # the plate its label gives
    image: np.ndarray


def load_errata(path: Path = ERRATA) -> dict[str, dict[str, str]]:
    """The labels corrected, by file: what the label gives, the plate shown and why."""
    with path.open(newline="") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def load_samples(folder: Path, limit: int | None) -> list[Sample]:
    with (folder / "labels.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    if limit:
        rows = rows[:limit]
    errata = load_errata()
    samples = []
    for row in rows:
        x, y, w, h = (int(row[k]) for k in ("x", "y", "w", "h"))
        corrected = errata.get(row["file"])
        if corrected and corrected["labelled"] != row["plate"]:
            sys.exit(f"{ERRATA.name}: {row['file']} is labelled {row['plate']}, not as it says")
        samples.append(
            Sample(
                row["file"],
                row["region"],
                Box(x, y, x + w, y + h, 1.0),
                corrected["shown"] if corrected else row["plate"],
                row["plate"],
                read_image(folder / row["file"]),
            )
        )
    return samples


def as_labelled(samples: list[Sample]) -> list[Sample]:
    return [replace(s, plate=s.labelled) for s in samples]


def score(samples: list[Sample], reads: list[Reads]) -> dict[str, Any]:
    hits: dict[str, list[bool]] = defaultdict(list)
    top: dict[str, list[bool]] = defaultdict(list)
    detected: dict[str, list[bool]] = defaultdict(list)
    for sample, found in zip(samples, reads, strict=True):
        best = max(found, key=lambda f: f[0].iou(sample.label), default=None)
        ok_box = best is not None and best[0].iou(sample.label) >= MATCH_IOU
        texts = best[1] if best is not None and ok_box else []
        detected[sample.region].append(ok_box)
        hits[sample.region].append(texts[:1] == [sample.plate])
        top[sample.region].append(sample.plate in texts[:TOP])

    def rate(values: dict[str, list[bool]]) -> dict[str, float]:
        per_region = {r: round(sum(v) / len(v), 4) for r, v in sorted(values.items())}
        every = [x for v in values.values() for x in v]
        return {**per_region, "all": round(sum(every) / max(1, len(every)), 4)}

    return {
        "top1_exact": rate(hits),
        f"top{TOP}_exact": rate(top),
        "detection_recall": rate(detected),
    }


def as_reads(found: list[Recognition]) -> Reads:
    return [(r.box, [r.plate] + [t for t, _ in r.alternatives if t != r.plate]) for r in found]


def misses(samples: list[Sample], found: list[list[Recognition]]) -> list[dict[str, Any]]:
    """The US photos read wrong: truth, read and the first alternatives with their scores."""
    out = []
    for sample, image in zip(samples, found, strict=True):
        best = max(image, key=lambda r: r.box.iou(sample.label), default=None)
        if sample.region != "us" or (best is not None and best.plate == sample.plate):
            continue
        out.append(
            {
                "file": sample.file,
                "truth": sample.plate,
                "read": best.plate if best else None,
                "alternatives": best.alternatives[:TOP] if best else [],
            }
        )
    return out


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
            out.append((Box(int(b.x1), int(b.y1), int(b.x2), int(b.y2), 1.0), [text.upper()]))
        return out

    return read


TIGHT = ((0.0, 0.0),)
# Each option of the reader switched off in turn from the deployed configuration.
ABLATION: dict[str, dict[str, Any]] = {
    "deployed": {},
    "without_us_format_prior": {"format_prior": False},
    "without_us_letter_o_prior": {"us_prior": False},
    "without_any_prior": {"format_prior": False, "us_prior": False},
    "without_crop_variants": {"variants": TIGHT},
    "plus_contrast_equalised_crop": {"equalize": True},
    "ocr_v2_only": {"ocr": (0,)},
    "ocr_v1_only_no_region_so_no_us_priors": {"ocr": (1,)},
    "fast_alpr_like_tight_v2_no_priors": {
        "variants": TIGHT, "ocr": (0,), "format_prior": False, "us_prior": False},
}  # fmt: skip


def ablation(
    samples: list[Sample], files: ModelFiles, *, threads: int
) -> tuple[dict[str, Any], list[list[Recognition]], dict[str, float]]:
    """Each configuration of ``ABLATION`` on the same detections (computed once)."""
    detector = Recognizer(files, threads=threads).detector
    detect_ms, boxes = [], []
    for sample in samples:
        start = time.perf_counter()
        boxes.append(detector.detect(sample.image))
        detect_ms.append((time.perf_counter() - start) * 1000)
    result: dict[str, Any] = {}
    deployed: list[list[Recognition]] = []
    ocr_ms: dict[str, float] = {}
    for name, options in ABLATION.items():
        ocr = options.get("ocr", (0, 1))
        recognizer = Recognizer(
            ModelFiles(files.detector, tuple(files.ocr[i] for i in ocr if i < len(files.ocr))),
            threads=threads,
            variants=options.get("variants", DEFAULT_VARIANTS),
            us_prior=options.get("us_prior", True),
            format_prior=options.get("format_prior", True),
            equalize=options.get("equalize", False),
        )
        found, per_plate = [], []
        for sample, image_boxes in zip(samples, boxes, strict=True):
            start = time.perf_counter()
            found.append(recognizer.read_boxes(sample.image, image_boxes))
            if image_boxes:
                per_plate.append((time.perf_counter() - start) * 1000 / len(image_boxes))
        result[name] = {**score(samples, [as_reads(f) for f in found])}
        ocr_ms[name] = round(statistics.median(per_plate), 1) if per_plate else 0.0
        result[name]["ocr_ms_per_plate"] = ocr_ms[name]
        if name == "deployed":
            deployed = found
    return result, deployed, {"detector_ms_per_image": round(statistics.median(detect_ms), 1)}


def decode_ms(found: list[list[Recognition]]) -> float:
    """Median milliseconds to rank the alternatives of a plate under the format prior."""
    per_plate = []
    for image in found:
        for r in image[:1]:
            start = time.perf_counter()
            r.slots.alternatives(prior=r.prior)
            per_plate.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(per_plate), 2) if per_plate else 0.0


def build_stream_video(path: Path, samples: list[Sample], *, fps: int, empty_s: float) -> None:
    """Each photo letterboxed into 1280x720 for 1.5 s, then ``empty_s`` of empty road;
    H.264 in MP4, as the RTSP server serves it."""
    raw = path.with_suffix(".avi")
    writer = cv2.VideoWriter(str(raw), cv2.VideoWriter.fourcc(*"MJPG"), fps, (1280, 720))
    blank = np.full((720, 1280, 3), 90, np.uint8)
    for sample in samples:
        image = sample.image
        scale = min(1280 / image.shape[1], 720 / image.shape[0])
        resized = cv2.resize(image, None, fx=scale, fy=scale)
        canvas = blank.copy()
        y, x = (720 - resized.shape[0]) // 2, (1280 - resized.shape[1]) // 2
        canvas[y : y + resized.shape[0], x : x + resized.shape[1]] = resized
        for _ in range(round(fps * 1.5)):
            writer.write(canvas)
        for _ in range(round(fps * empty_s)):
            writer.write(blank)
    writer.release()
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-i", str(raw), "-c:v", "libx264",
         "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", str(fps), str(path)],
        check=True,
    )  # fmt: skip
    raw.unlink()


def rtsp_run(
    video: Path,
    cars: list[Sample],
    recognizer: Recognizer,
    *,
    busy_core: bool,
    describer: VehicleDescriber | None = None,
) -> dict[str, Any]:
    """The worker's pipeline (gate at 5 fps) on the video served live over RTSP; with
    ``busy_core``, another process spins on one core meanwhile; with ``describer``, each
    pass's vehicle is described as the worker does it."""
    port = free_port()
    server = subprocess.Popen(
        ["/usr/bin/python3", str(RTSP_SERVER), str(video), str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy_core else None
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        reads: list[PlateRead] = []
        decoded = 0

        def counted(frames: Iterator[Frame]) -> Iterator[Frame]:
            nonlocal decoded
            for frame in frames:
                decoded = frame.index + 1
                yield frame

        start = time.perf_counter()
        pipeline = Pipeline(recognizer=recognizer, rate_fps=5.0, describer=describer)
        stats = pipeline.process_stream(
            counted(video_frames(f"rtsp://127.0.0.1:{port}/cam")), on_read=reads.append
        )
        elapsed = time.perf_counter() - start
    finally:
        if burner is not None:
            burner.kill()
            burner.wait()
        server.terminate()
        server.wait(timeout=10)
    plates = [r.plate for r in reads]
    truth = [c.plate for c in cars]
    analysed = max(1, stats.analysed)
    return {
        "busy_core": busy_core,
        "cars": len(cars),
        "cars_stored_once_with_their_plate": sum(plates.count(p) == 1 for p in truth),
        "cars_missed": [p for p in truth if p not in plates],
        "other_reads": sorted(p for p in plates if p not in truth),
        "seconds": round(elapsed, 1),
        "video_frames_decoded": decoded,
        "frames_given_to_pipeline": stats.frames,
        "frames_analysed": stats.analysed,
        "frames_analysed_per_s": round(stats.analysed / elapsed, 2),
        "seconds_per_stage": {k: round(v, 2) for k, v in stats.seconds.items()},
        "ms_per_analysed_frame": {
            k: round(v * 1000 / analysed, 1)
            for k, v in stats.seconds.items()
            if k in ("gate", "detector", "ocr", "vote")
        },
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def video(samples: list[Sample], files: ModelFiles, models: Path, *, cars: int) -> dict[str, Any]:
    """The RTSP runs: idle, with one core busy, and idle with each vehicle described (its
    ``fps_cost`` is the share of analysed frames per second the description takes)."""
    chosen = [s for s in samples if s.region == "us"][:cars] or samples[:cars]
    recognizer = Recognizer(files, threads=1)
    describer = VehicleDescriber.if_available(models, threads=1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "street.mp4"
        build_stream_video(path, chosen, fps=10, empty_s=0.5)
        result: dict[str, Any] = {
            "stream": "RTSP (GStreamer), 1280x720 H.264 at 10 fps: each car 1.5 s, then 0.5 s "
            "of empty road; worker pipeline with 1 onnxruntime thread, gate at 5 fps",
            "idle": rtsp_run(path, chosen, recognizer, busy_core=False),
            "one_core_busy": rtsp_run(path, chosen, recognizer, busy_core=True),
        }
        if describer is not None:
            described = rtsp_run(path, chosen, recognizer, busy_core=False, describer=describer)
            idle_fps = result["idle"]["frames_analysed_per_s"]
            result["idle_vehicle_described"] = {
                **described,
                "fps_cost": round(1 - described["frames_analysed_per_s"] / idle_fps, 3),
            }
        return result


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
    parser.add_argument("--cars", type=int, default=20, help="cars in the RTSP stream")
    parser.add_argument("--no-video", action="store_true", help="skip the RTSP stream")
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
        "us_format_prior_layouts": sorted(US_LAYOUTS),
    }
    stock = stock_reader(files, threads=args.threads)
    stock_ms, stock_reads = [], []
    for sample in samples:
        start = time.perf_counter()
        stock_reads.append(stock(sample.image))
        stock_ms.append((time.perf_counter() - start) * 1000)
    result["stock_fast_alpr"] = {
        **score(samples, stock_reads),
        "as_labelled": score(as_labelled(samples), stock_reads),
        "ms_per_image": round(statistics.median(stock_ms), 1),
    }
    steps, deployed, detector_ms = ablation(samples, files, threads=args.threads)
    result["ours"] = {
        **{k: v for k, v in steps["deployed"].items() if k != "ocr_ms_per_plate"},
        "config": {
            "detector_conf": 0.3,
            "crop_margins": [list(v) for v in DEFAULT_VARIANTS],
            "ocr_ensemble": len(files.ocr) > 1,
            "priors": "US plate-format prior and no letter O, when the OCR region is United States",
        },
        "us_misses": misses(samples, deployed),
        "as_labelled": score(as_labelled(samples), [as_reads(f) for f in deployed]),
        "label_errata": list(load_errata().values()),
    }
    result["stages"] = {
        **detector_ms,
        "ocr_ms_per_plate": steps["deployed"]["ocr_ms_per_plate"],
        "ocr_crops_per_plate": len(DEFAULT_VARIANTS) * len(files.ocr),
        "ranking_alternatives_ms_per_plate": decode_ms(deployed),
    }
    result["ablation"] = steps
    if not args.no_video:
        result["video"] = video(samples, files, args.models, cars=args.cars)
    result["attributes"] = attribute_report(args.data, args.models, threads=args.threads)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
