"""Vehicle description accuracy: how often the body type and colour given for a plate's vehicle
are right, and how often they are given at all, per view (front or rear), against the labels a
person made by looking at each dev photo (``tests/recognition/data/vehicle_labels.csv``).

Accuracy counts only answers that are not "unknown"; coverage is the share of photos answered.
A label of ``other`` (a colour outside the eight, a trailer, a vehicle out of view) is left out
of that attribute. Because most vehicles are cars, the body type also reports what always
answering the commonest type would score, and every attribute reports precision and recall per
value: a search for "pickup" is only as good as the pickups it returns.

    python bench/vehicle_attributes.py [--data DIR] [--models DIR] [--threads N]
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alpr.recognition.detector import Box
from alpr.recognition.sources import read_image

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "recognition" / "data" / "vehicle_labels.csv"
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "plates-dev"
DEFAULT_MODELS = ROOT.parent / "shared" / "models"
ATTRIBUTES = ("type", "colour")
VIEWS = ("front", "rear")
UNKNOWN = "unknown"
LEFT_OUT = "other"
# Issue 22's targets: accuracy where answered, and coverage, on each view.
TARGETS = {"type": (0.85, 0.80), "colour": (0.85, 0.80)}

# The describer's answer for one photo: (type, colour), each a label or "unknown".
Answer = tuple[str, str]
Describe = Callable[[np.ndarray, Box], Answer]


@dataclass(frozen=True)
class VehicleLabel:
    file: str
    view: str
    colour: str
    type: str
    doubtful: bool


def load_labels(path: Path = LABELS) -> list[VehicleLabel]:
    with path.open(newline="") as handle:
        return [
            VehicleLabel(r["file"], r["view"], r["colour"], r["type"], r["doubtful"] == "yes")
            for r in csv.DictReader(handle)
        ]


def normalise(label: str) -> str:
    """A describer's label in the labels' spelling (``pickup_truck`` -> ``pickup-truck``)."""
    return label.strip().lower().replace("_", "-")


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def _view_score(pairs: list[tuple[str, str]], target: tuple[float, float]) -> dict[str, Any]:
    answered = [(truth, said) for truth, said in pairs if said != UNKNOWN]
    correct = sum(truth == said for truth, said in answered)
    accuracy, coverage = _rate(correct, len(answered)), _rate(len(answered), len(pairs))
    return {
        "photos": len(pairs),
        "answered": len(answered),
        "correct": correct,
        "accuracy": accuracy,
        "coverage": coverage,
        "meets_target": accuracy is not None
        and coverage is not None
        and accuracy >= target[0]
        and coverage >= target[1],
    }


def _per_value(pairs: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    values = sorted({truth for truth, _ in pairs} | {s for _, s in pairs if s != UNKNOWN})
    result = {}
    for value in values:
        said = [truth for truth, s in pairs if s == value]
        truly = [s for truth, s in pairs if truth == value]
        result[value] = {
            "labelled": len(truly),
            "answered": len(said),
            "precision": _rate(sum(t == value for t in said), len(said)),
            "recall": _rate(sum(s == value for s in truly), len(truly)),
        }
    return result


def score_attribute(
    attribute: str, labels: Iterable[VehicleLabel], answers: Mapping[str, Answer]
) -> dict[str, Any]:
    """Accuracy and coverage of one attribute per view and overall, precision and recall per
    value, the commonest confusions, and what always answering the commonest value scores."""
    index = ATTRIBUTES.index(attribute)
    kept = [(lab, answers[lab.file][index]) for lab in labels if lab.file in answers]
    scored = [(lab, said) for lab, said in kept if getattr(lab, attribute) != LEFT_OUT]
    target = TARGETS[attribute]
    pairs = {
        view: [(getattr(lab, attribute), said) for lab, said in scored if lab.view == view]
        for view in VIEWS
    }
    everything = [(getattr(lab, attribute), said) for lab, said in scored]
    sure = [(getattr(lab, attribute), said) for lab, said in scored if not lab.doubtful]
    commonest = Counter(truth for truth, _ in everything).most_common(1)
    baseline = commonest[0][0] if commonest else UNKNOWN
    confusions = Counter((t, s) for t, s in everything if s not in (t, UNKNOWN))
    return {
        **{view: _view_score(pairs[view], target) for view in VIEWS},
        "all": _view_score(everything, target),
        "not_doubtful": _view_score(sure, target),
        "left_out_as_other": len(kept) - len(scored),
        "per_value": _per_value(everything),
        "confusions": [[t, s, n] for (t, s), n in confusions.most_common(8)],
        "always_" + baseline.replace("-", "_"): {
            view: _rate(sum(t == baseline for t, _ in pairs[view]), len(pairs[view]))
            for view in VIEWS
        },
        "target": {"accuracy": target[0], "coverage": target[1]},
    }


def score(labels: list[VehicleLabel], answers: Mapping[str, Answer]) -> dict[str, Any]:
    return {attribute: score_attribute(attribute, labels, answers) for attribute in ATTRIBUTES}


def vehicle_describer(models: Path, *, threads: int) -> Describe | None:
    """The product's describer (``alpr.recognition.vehicle``), or None when this build has none."""
    try:
        module = importlib.import_module("alpr.recognition.vehicle")
    except ModuleNotFoundError:
        return None
    describer = module.VehicleDescriber(models, threads=threads)

    def describe(image: np.ndarray, plate: Box) -> Answer:
        found = describer.describe(image, plate)
        return normalise(found.type.label), normalise(found.colour.label)

    return describe


def attribute_report(
    data: Path, models: Path, *, threads: int, labels_path: Path = LABELS
) -> dict[str, Any]:
    """Describe the labelled vehicle of every dev photo and score the answers against the labels."""
    describe = vehicle_describer(models, threads=threads)
    if describe is None:
        return {"skipped": "this build has no vehicle describer (alpr.recognition.vehicle)"}
    labels = load_labels(labels_path)
    with (data / "labels.csv").open(newline="") as handle:
        plates = {
            r["file"]: Box(
                int(r["x"]), int(r["y"]), int(r["x"]) + int(r["w"]), int(r["y"]) + int(r["h"]), 1.0
            )
            for r in csv.DictReader(handle)
        }
    answers: dict[str, Answer] = {}
    ms = []
    for label in labels:
        image = read_image(data / label.file)
        start = time.perf_counter()
        answers[label.file] = describe(image, plates[label.file])
        ms.append((time.perf_counter() - start) * 1000)
    return {
        "labels": str(labels_path.relative_to(ROOT)),
        "views": dict(Counter(label.view for label in labels)),
        **score(labels, answers),
        "ms_per_photo": round(statistics.median(ms), 1) if ms else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--models", type=Path, default=Path(os.environ.get("ALPR_MODEL_DIR", DEFAULT_MODELS))
    )
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    report = attribute_report(args.data, args.models, threads=args.threads)
    print(json.dumps({"attributes": report}, indent=2))


if __name__ == "__main__":
    main()
