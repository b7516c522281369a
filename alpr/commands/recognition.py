"""``alpr recognize``, ``alpr ingest``, ``alpr cameras`` and ``alpr worker``: getting reads in."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import cv2
import typer
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from alpr.commands.common import ActorOpt, JsonOpt, actor, command, emit_json, fail, group, runtime
from alpr.governance import hotlist_webhooks
from alpr.governance.cameras import add_camera, set_camera_source
from alpr.governance.errors import InvalidInput
from alpr.governance.read_import import import_reads
from alpr.recognition.models import ModelsMissing
from alpr.recognition.reader import Recognizer
from alpr.recognition.sources import SourceError, redact_url
from alpr.recognition.vehicle import VehicleDescriber
from alpr.recognition.worker import (
    CameraWorker,
    StaleListWatch,
    find_camera,
    run_all,
    run_forever,
    run_once,
)

cameras_app = group("Camera registry.")
worker_app = group("The recognition worker.")


def _logging() -> None:
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _recognizer() -> Recognizer:
    settings = runtime().settings
    try:
        return Recognizer.from_dir(settings.model_dir, threads=settings.onnx_threads)
    except ModelsMissing as exc:
        fail(str(exc))


def _describer() -> VehicleDescriber | None:
    settings = runtime().settings
    return VehicleDescriber.if_available(settings.model_dir, threads=settings.onnx_threads)


@cameras_app.command("add")
@command
def cameras_add(
    name: str,
    lat: Annotated[float | None, typer.Option()] = None,
    lon: Annotated[float | None, typer.Option()] = None,
    heading: Annotated[int | None, typer.Option(help="Degrees, 0-359.")] = None,
    mobile: Annotated[
        bool, typer.Option("--mobile", help="In-car camera (position per read).")
    ] = False,
    source: Annotated[
        str | None, typer.Option(help="Stream URL, video file or snapshot folder.")
    ] = None,
    as_user: ActorOpt = None,
) -> None:
    """Register a camera."""
    rt = runtime()
    camera_id = add_camera(
        rt,
        actor=actor(rt, as_user),
        name=name,
        lat=lat,
        lon=lon,
        heading=heading,
        mobile=mobile,
        source_url=source,
    )
    typer.echo(f"camera {name} registered (id {camera_id})")


@cameras_app.command("stream")
@command
def cameras_stream(
    name: str,
    url: Annotated[
        str | None, typer.Argument(help="rtsp://, rtsps://, http:// or https:// address.")
    ] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Stop watching the camera (reads by import only).")
    ] = False,
    as_user: ActorOpt = None,
) -> None:
    """Register the video stream the plate-reading service watches for a camera, or --remove
    it; the running service takes the change at its next heartbeat."""
    if (url is None) is not remove:
        raise InvalidInput("give the stream's URL, or --remove")
    rt = runtime()
    set_camera_source(rt, actor=actor(rt, as_user), name=name, source_url=url)
    typer.echo(
        f"camera {name}: stream removed"
        if remove
        else f"camera {name}: stream {redact_url(url or '')}"
    )


def recognize(
    images: Annotated[list[Path], typer.Argument(help="Image files.")],
    json_out: JsonOpt = False,
) -> None:
    """Read the plates in images (boxes, plate, confidence, alternatives) and describe the
    vehicle of each (type, colour, confidences, box; "unknown" below the thresholds). With
    --json each plate also gives the confidence of each of its characters and the scores of
    its alternatives."""
    recognizer = _recognizer()
    describer = _describer()
    results: list[dict[str, Any]] = []
    for path in images:
        frame = cv2.imread(str(path))
        if frame is None:
            typer.echo(f"error: {path} is not a readable image", err=True)
            results.append({"file": str(path), "plates": [], "error": "unreadable image"})
            continue
        results.append(
            {
                "file": str(path),
                "plates": [
                    {
                        "plate": r.plate,
                        "confidence": r.confidence,
                        "box": [r.box.x1, r.box.y1, r.box.x2, r.box.y2],
                        "alternatives": [t for t, _ in r.alternatives],
                        "char_confidences": r.char_confidences,
                        "scored_alternatives": [[t, p] for t, p in r.alternatives],
                        **(
                            {"vehicle": describer.describe(frame, r.box).to_json()}
                            if describer
                            else {}
                        ),
                    }
                    for r in recognizer.recognize(frame)
                ],
            }
        )
    if json_out:
        emit_json(results)
    else:
        for item in results:
            plates = ", ".join(
                f"{p['plate']} ({p['confidence']:.2f}{_in_words(p.get('vehicle'))})"
                for p in item["plates"]
            )
            typer.echo(f"{item['file']}: {plates or 'no plate'}")
    if any("error" in r for r in results):
        raise typer.Exit(2)


def _in_words(vehicle: dict[str, Any] | None) -> str:
    if not vehicle:
        return ""
    return f", {vehicle['colour'].replace('_', '-')} {vehicle['type'].replace('_', ' ')}"


def ingest(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV with a header, or JSON lines: plate, captured_at (ISO 8601), lat, lon, "
            "and optionally confidence and image (a file in the import folder)."
        ),
    ],
    camera: Annotated[str, typer.Option(help="Registered camera name.")],
    as_user: ActorOpt = None,
) -> None:
    """Load reads recognised elsewhere, as a person who manages the cameras (in the access
    log with the file's SHA-256); a bad row refuses the whole file. Images named in the file
    are taken only from the import folder (ALPR_IMPORT_DIR, by default `import` in the data
    directory), and once the reads are stored each is removed from there: the image store
    keeps it, under the reads' retention and holds. A file refused or not stored leaves every
    image in place."""
    rt = runtime()
    try:
        done = import_reads(rt, actor=actor(rt, as_user), camera=camera, path=file)
    except SQLAlchemyError as exc:
        fail(
            f"the database did not take the reads ({type(exc).__name__}); nothing was stored "
            "and the images stay in the import folder"
        )
    result = done.reads
    typer.echo(
        f"{result.stored} reads stored, {result.duplicates} already present, "
        f"{result.alerts} hot-list alerts; {done.sources_removed} source images removed from "
        "the import folder (the image store keeps them)"
    )
    if done.sources_left:
        shown = ", ".join(p.name for p in done.sources_left[:5])
        more = len(done.sources_left) - 5
        typer.echo(
            f"{len(done.sources_left)} images left in the import folder, no stored read naming "
            f"them (a read stored before with another image): {shown}"
            + (f" and {more} more" if more > 0 else "")
        )


@worker_app.command("run")
@command
def worker_run(
    source: Annotated[str | None, typer.Option(help="File, folder or stream URL.")] = None,
    camera: Annotated[str | None, typer.Option(help="Camera name for --source.")] = None,
    once: Annotated[
        bool, typer.Option("--once", help="Process the source to its end, exit.")
    ] = False,
    rate: Annotated[
        float,
        typer.Option(min=0.1, max=60, help="Frames per second to analyse, at most, per camera."),
    ] = 5.0,
) -> None:
    """Run every enabled camera, or one source with --source/--camera [--once]. SIGTERM or
    SIGINT (Ctrl-C) ends the open passes, stores or spools their reads and stops."""
    _logging()
    rt = runtime()
    if once and source is None:
        fail("--once needs --source (and --camera): the enabled cameras run until stopped")
    stop = _stop_on_signals()
    if source is None:
        run_all(
            engine=rt.engine,
            settings=rt.settings,
            stop=stop,
            deliver=partial(hotlist_webhooks.deliver_due, rt),
            rate_fps=rate,
        )
        return
    if camera is None:
        fail("--source needs --camera NAME")
    info = find_camera(rt.engine, camera)
    stale_watch = StaleListWatch(rt.engine)
    stale_watch.check(rt.now())
    worker = CameraWorker(
        engine=rt.engine,
        settings=rt.settings,
        camera=info,
        recognizer=_recognizer(),
        describer=_describer(),
        rate_fps=rate,
        stale_watch=stale_watch,
        deliver=partial(hotlist_webhooks.deliver_due, rt),
    )
    bar = tqdm(desc=f"{camera} frames", unit="frame", disable=not sys.stderr.isatty())
    try:
        if once:
            reads = run_once(worker, source, progress=bar.update, stop=stop)
        else:
            run_forever(worker, source, stop)
            reads = worker.reads
    except SourceError as exc:
        bar.close()
        fail(str(exc), code=1)
    bar.close()
    typer.echo(
        f"{reads} reads from {worker.frames} frames; stored {worker.sink.stored}, "
        f"alerts {worker.sink.alerts}, spooled {worker.sink.spool.size()}"
    )


def _stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT, so that the worker stops between frames."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        logging.getLogger("alpr.worker").info(
            "%s received: ending open passes and stopping", signal.Signals(signum).name
        )
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    return stop
