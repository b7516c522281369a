"""The vehicle-description benchmark scores honestly (R53): accuracy counts only answers that are
not "unknown", coverage counts the answers, each view is scored on its own, labels of "other" are
left out, and a describer that always says "car" is shown up by per-value recall."""

from __future__ import annotations

from bench.vehicle_attributes import LABELS, VehicleLabel, load_labels, normalise, score


def _label(name: str, view: str, colour: str, kind: str) -> VehicleLabel:
    return VehicleLabel(name, view, colour, kind, doubtful=False)


LABELLED = [
    _label("a", "front", "white", "car"),
    _label("b", "front", "red", "car"),
    _label("c", "rear", "black", "pickup-truck"),
    _label("d", "rear", "blue", "car"),
    _label("e", "rear", "other", "other"),
]


def test_accuracy_counts_answers_and_coverage_counts_unknowns() -> None:
    answers = {
        "a": ("car", "white"),
        "b": ("car", "unknown"),
        "c": ("car", "red"),
        "d": ("car", "blue"),
        "e": ("car", "red"),
    }
    result = score(LABELLED, answers)
    front, rear = result["colour"]["front"], result["colour"]["rear"]
    assert (front["accuracy"], front["coverage"]) == (1.0, 0.5)
    assert (rear["accuracy"], rear["coverage"]) == (0.5, 1.0)
    assert result["colour"]["left_out_as_other"] == 1
    assert not front["meets_target"]
    assert result["colour"]["confusions"] == [["black", "red", 1]]


def test_always_car_is_shown_up_per_value() -> None:
    answers = {label.file: ("car", "white") for label in LABELLED}
    kind = score(LABELLED, answers)["type"]
    assert kind["all"]["accuracy"] == 0.75
    assert kind["always_car"] == {"front": 1.0, "rear": 0.5}
    assert kind["per_value"]["pickup-truck"]["recall"] == 0.0
    assert kind["per_value"]["car"]["precision"] == 0.75


def test_describer_labels_are_read_in_the_labels_spelling() -> None:
    assert normalise("pickup_truck") == "pickup-truck"
    assert normalise("SILVER_GRAY") == "silver-gray"


def test_the_committed_labels_load() -> None:
    labels = load_labels(LABELS)
    assert len(labels) == len({label.file for label in labels}) > 300
