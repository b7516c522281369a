"""Frame sources: a video file, a watched folder of snapshots, truncated or corrupt images
reported and set aside, and credentials never shown."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from alpr.recognition.pipeline import Pipeline, PlateRead
from alpr.recognition.reader import Recognizer
from alpr.recognition.sources import (
    JOURNAL,
    ImageUnreadable,
    SourceError,
    acknowledge,
    read_image,
    redact_url,
    snapshot_frames,
    video_frames,
)
from tests.recognition.conftest import dev_photos


def _write_video(path: Path, frames: int) -> None:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10, (320, 240))
    for i in range(frames):
        writer.write(np.full((240, 320, 3), i * 10 % 255, np.uint8))
    writer.release()


def _truncated_copy(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def test_reads_a_video_file_with_times_from_its_position(tmp_path: Path) -> None:
    path = tmp_path / "clip.avi"
    _write_video(path, 12)
    frames = list(video_frames(str(path)))
    assert [f.index for f in frames] == list(range(12))
    assert frames[0].image.shape == (240, 320, 3)
    assert [round(f.seconds, 2) for f in frames[:3]] == [0.0, 0.1, 0.2]
    assert frames[-1].captured_at > frames[0].captured_at
    assert [f.captured_at for f in video_frames(str(path))] == [f.captured_at for f in frames]


def test_a_missing_video_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such video file"):
        list(video_frames(str(tmp_path / "none.mp4")))


def test_watched_folder_yields_snapshots_oldest_first_and_rejects_bad_ones(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    photos = [p.path for p in dev_photos("us")[:2]]
    first = shutil.copy(photos[1], tmp_path / "a.jpg")
    second = shutil.copy(photos[0], tmp_path / "b.jpg")
    os.utime(first, (1_700_000_000, 1_700_000_000))
    os.utime(second, (1_700_000_100, 1_700_000_100))
    _truncated_copy(photos[0], tmp_path / "cut.jpg")
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "notes.jpg").write_text("not an image")
    with caplog.at_level(logging.ERROR, logger="alpr.worker"):
        frames = list(snapshot_frames(tmp_path, once=True))
    assert [f.image.shape for f in frames] == [
        cv2.imread(str(p)).shape for p in (photos[1], photos[0])
    ]
    assert frames[0].captured_at.timestamp() == 1_700_000_000
    assert not list((tmp_path / "done").iterdir())  # not acknowledged yet: read again
    assert [f.snapshot for f in snapshot_frames(tmp_path, once=True)] == [
        f.snapshot for f in frames
    ]
    acknowledge([f.snapshot for f in frames if f.snapshot is not None])
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["a.jpg", "b.jpg"]
    assert not list(snapshot_frames(tmp_path, once=True))
    assert sorted(p.name for p in (tmp_path / "rejected").iterdir()) == [
        "cut.jpg",
        "empty.png",
        "notes.jpg",
    ]
    assert "cut.jpg is a truncated JPEG" in caplog.text


def test_an_acknowledgement_cut_short_by_a_crash_is_finished_at_the_next_start(
    tmp_path: Path,
) -> None:
    """R50: the snapshots of one pass leave the folder together or not at all, so a restart
    never reads a pass again from only some of its snapshots."""
    photos = [p.path for p in dev_photos("us")[:3]]
    for name, photo in zip(("a.jpg", "b.jpg", "c.jpg"), photos, strict=True):
        shutil.copy(photo, tmp_path / name)
    (tmp_path / "done").mkdir()
    (tmp_path / "done" / JOURNAL).write_text('["a.jpg", "b.jpg"]')
    (tmp_path / "b.jpg").replace(tmp_path / "done" / "b.jpg")  # the crash came after one move
    (tmp_path / "done" / (JOURNAL + ".tmp")).write_text('["c.j')  # and one never journalled
    frames = list(snapshot_frames(tmp_path, once=True))
    assert [f.snapshot.name for f in frames if f.snapshot is not None] == ["c.jpg"]
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["a.jpg", "b.jpg"]


def test_a_truncated_image_is_reported_not_read(tmp_path: Path) -> None:
    cut = _truncated_copy(dev_photos("us")[0].path, tmp_path / "cut.jpg")
    with pytest.raises(ImageUnreadable, match="truncated"):
        read_image(cut)
    noise = tmp_path / "noise.png"
    noise.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(ImageUnreadable, match="not a readable image"):
        read_image(noise)


@pytest.mark.models
def test_pipeline_over_a_folder_survives_a_corrupt_snapshot(
    recognizer: Recognizer, tmp_path: Path
) -> None:
    photo = dev_photos("us")[0]
    shutil.copy(photo.path, tmp_path / "good.jpg")
    _truncated_copy(photo.path, tmp_path / "bad.jpg")
    reads: list[PlateRead] = []
    stats = Pipeline(recognizer=recognizer).process_stream(str(tmp_path), on_read=reads.append)
    assert [r.plate for r in reads] == [photo.plate]
    assert stats.frames == 1 and stats.failed == 0
    assert (tmp_path / "rejected" / "bad.jpg").exists()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("rtsp://admin:s3cr3t@10.0.0.5:554/stream1", "rtsp://***@10.0.0.5:554/stream1"),
        ("rtsp://admin:p@ss@cam.local/h264", "rtsp://***@cam.local/h264"),
        (
            "http://cam/video.cgi?user=admin&pwd=s3cr3t&fps=5",
            "http://cam/video.cgi?user=***&pwd=***&fps=5",
        ),
        ("https://cam/mjpg?token=abc", "https://cam/mjpg?token=***"),
        ("rtsp://10.0.0.5/stream1", "rtsp://10.0.0.5/stream1"),
        ("/var/clips/a.mp4", "/var/clips/a.mp4"),
    ],
)
def test_urls_are_shown_without_credentials(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_an_unreachable_stream_error_hides_the_password() -> None:
    with pytest.raises(SourceError) as raised:
        list(video_frames("rtsp://admin:s3cr3t@127.0.0.1:9/none", open_timeout_s=1))
    assert "s3cr3t" not in str(raised.value) and "***@127.0.0.1:9" in str(raised.value)
