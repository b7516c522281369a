"""The investigation searches. Each one validates its input, works out whether it goes beyond
the policy bounds, and runs through the gateway so that the justification is checked and the
search and access record are written with the query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from alpr.governance.errors import InvalidInput, check_ids
from alpr.governance.gateway import Answer, Governed, JustificationInput, Request, governed
from alpr.governance.investigations.bounds import (
    canvass_violations,
    check_window,
    pattern_violations,
    plate_window_violations,
    shared_camera_violations,
)
from alpr.governance.investigations.descriptions import Description, Fit
from alpr.governance.investigations.geo import check_point, parse_polygon, polygon_radius_m
from alpr.governance.investigations.queries import (
    Area,
    ReadRow,
    cameras_in,
    corrected_like,
    plates_like,
    reads_in_area,
    reads_near_in_time,
    reads_of_plates,
)
from alpr.governance.investigations.results import (
    CameraInRange,
    CanvassResult,
    CommonPlate,
    ConvoyPlate,
    HistoryPage,
    PlateHit,
    Scene,
)
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.plates import PlateError, PlatePattern, confusion_key, require_plate
from alpr.policy import Policy

MAX_SCENES = 10
HISTORY_LIMIT = 5000  # passes of the target plate a convoy search compares
HISTORY_PAGE = 1000


def _iso(at: datetime) -> str:
    return at.isoformat()


def _plate_window(
    rt: Runtime, start: datetime | None, end: datetime | None
) -> tuple[datetime, datetime]:
    """The window a search of a plate's reads covers: by default it ends now and is the
    policy's longest without approval (R21)."""
    end = end or rt.now()
    if start is None:
        with rt.transaction() as session:
            start = end - timedelta(days=rt.policy(session).plate_search_max_window_days)
    check_window(start, end)
    return start, end


def _area(
    *, lat: float | None, lon: float | None, radius_m: float | None, polygon_wkt: str | None
) -> Area:
    if polygon_wkt:
        shape = parse_polygon(polygon_wkt)
        centre = shape.centroid
        return Area(centre.y, centre.x, polygon_radius_m(shape), shape)
    if lat is None or lon is None or radius_m is None:
        raise InvalidInput("give a centre (lat, lon) and a radius, or a polygon")
    check_point(lat, lon)
    if not 1 <= radius_m <= 50_000:
        raise InvalidInput("the radius must be between 1 m and 50 km")
    return Area(lat, lon, radius_m)


def _address(address: str | None) -> dict[str, str]:
    """The scene's address for a search's parameters (none when not given)."""
    if address is None or not address.strip():
        return {}
    text = " ".join(address.split())
    if len(text) > 200 or not text.isprintable():
        raise InvalidInput("the address is printable text of at most 200 characters")
    return {"address": text}


def canvass(
    rt: Runtime,
    *,
    principal: Principal,
    justification: JustificationInput,
    start: datetime,
    end: datetime,
    lat: float | None = None,
    lon: float | None = None,
    radius_m: float | None = None,
    polygon_wkt: str | None = None,
    address: str | None = None,
    vehicle: Description | None = None,
    approver: Principal | None = None,
    approval_note: str | None = None,
) -> Governed[CanvassResult]:
    """Reads taken around a scene (R11): by radius or polygon, in a time window; ``address``
    names the scene in words, kept with the search; with a ``vehicle`` description, the reads
    of vehicles so described come first, then those whose colour or type could not be told
    (``CanvassResult.described`` counts the first), and the others are left out."""
    return _area_search(
        rt,
        kind="canvass",
        principal=principal,
        justification=justification,
        start=start,
        end=end,
        area=_area(lat=lat, lon=lon, radius_m=radius_m, polygon_wkt=polygon_wkt),
        polygon_wkt=polygon_wkt,
        address=address,
        vehicle=vehicle,
        plate=None,
        approver=approver,
        approval_note=approval_note,
    )


def description_search(
    rt: Runtime,
    *,
    principal: Principal,
    justification: JustificationInput,
    vehicle: Description,
    start: datetime,
    end: datetime,
    lat: float | None = None,
    lon: float | None = None,
    radius_m: float | None = None,
    polygon_wkt: str | None = None,
    address: str | None = None,
    plate: str | None = None,
    approver: Principal | None = None,
    approval_note: str | None = None,
) -> Governed[CanvassResult]:
    """Reads of vehicles of a colour and/or body type around a scene in a time window, when
    no plate character is known: a canvass's bounds, justification and record, and its order
    (vehicles so described, then those whose colour or type could not be told). With a
    partial ``plate`` the reads whose plate also matches it come first."""
    pattern = None
    if plate and plate.strip():
        try:
            pattern = PlatePattern.parse(plate)
        except PlateError as exc:
            raise InvalidInput(str(exc)) from None
    return _area_search(
        rt,
        kind="vehicle",
        principal=principal,
        justification=justification,
        start=start,
        end=end,
        area=_area(lat=lat, lon=lon, radius_m=radius_m, polygon_wkt=polygon_wkt),
        polygon_wkt=polygon_wkt,
        address=address,
        vehicle=vehicle,
        plate=pattern,
        approver=approver,
        approval_note=approval_note,
    )


def _area_search(
    rt: Runtime,
    *,
    kind: str,
    principal: Principal,
    justification: JustificationInput,
    start: datetime,
    end: datetime,
    area: Area,
    polygon_wkt: str | None,
    address: str | None,
    vehicle: Description | None,
    plate: PlatePattern | None,
    approver: Principal | None,
    approval_note: str | None,
) -> Governed[CanvassResult]:
    check_window(start, end)
    cameras: list[tuple[int, str, float, float, float]] = []

    def bounds(session: Session, policy: Policy) -> list[str]:
        cameras.extend(cameras_in(session, area))
        return canvass_violations(
            policy, radius_m=area.radius_m, start=start, end=end, cameras=len(cameras)
        )

    params = {
        "lat": area.lat,
        "lon": area.lon,
        "radius_m": area.radius_m,
        "polygon": polygon_wkt,
        "start": _iso(start),
        "end": _iso(end),
        **_address(address),
        **(vehicle.params() if vehicle else {}),
        **({"pattern": plate.text} if plate else {}),
    }

    def run(session: Session) -> Answer[CanvassResult]:
        reads = reads_in_area(
            session, area=area, start=start, end=end, camera_ids=[c[0] for c in cameras]
        )
        described = None
        if vehicle:
            # A vehicle whose colour or type could not be told may be the one: it is kept,
            # after the vehicles so described (each in time order).
            fits = [(vehicle.fit(r.vehicle_colour, r.vehicle_type), r) for r in reads]
            fits.sort(key=lambda pair: -pair[0])
            reads = [r for fit, r in fits if fit is not Fit.CONTRADICTS]
            described = sum(fit is Fit.DESCRIBED for fit, _ in fits)
        if plate:
            reads.sort(key=lambda r: not _plate_matches(plate, r))  # stable
        result = CanvassResult(
            [CameraInRange(*c) for c in cameras],
            reads,
            centre=(area.lat, area.lon),
            radius_m=None if area.polygon else area.radius_m,
            polygon=[[x, y] for x, y in area.polygon.exterior.coords] if area.polygon else None,
            described=described,
        )
        # Every plate the canvass showed, as read and as corrected: a breach report names
        # them (R51).
        shown = {r.plate for r in reads} | {r.corrected_plate for r in reads if r.corrected_plate}
        return Answer(result, read_ids=[r.id for r in reads], plates=sorted(shown))

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.SEARCH_READS,
            kind=kind,
            params=params,
            justification=justification,
            bounds=bounds,
            approver=approver,
            approval_note=approval_note,
            reads_until=end,
        ),
        run,
    )


def _plate_matches(pattern: PlatePattern, read: ReadRow) -> bool:
    return pattern.matches(read.plate) or bool(
        read.corrected_plate and pattern.matches(read.corrected_plate)
    )


def _marked(plate: str, pattern: PlatePattern) -> str:
    if "*" in pattern.text or len(plate) != len(pattern.text):
        return plate
    return "".join(
        ch if p in "?" or p == ch else f"[{ch}]" for ch, p in zip(plate, pattern.text, strict=True)
    )


_TIERS = {"exact": 0, "corrected": 1, "alternative": 2, "confusion": 3, "substitution": 4}


def _likelihood(read: ReadRow) -> float:
    """How likely a read found by another reading is the plate: the reader's score for that
    reading, halved when it differs from the plate as read by more than the OCR confusions
    (O/0, 1/I, 8/B...) readers are known to make."""
    score = read.alternative_score or 0.0
    if read.alternative and confusion_key(read.alternative) == confusion_key(read.plate):
        return score
    return score / 2


def _rank(hit: PlateHit) -> tuple[int, float, float]:
    """Exact reads first, then corrected ones, then reads whose other reading matches (the
    likeliest first; by confusion or substitution after the plates read so), then the plates
    read with a confusion or a substitution; the newest first within each."""
    if hit.match == "alternative":
        tier = _TIERS["alternative"] if hit.alternative_match == "exact" else 5
        tier += _TIERS.get(hit.alternative_match or "", 0)
        return tier, -_likelihood(hit.read), -hit.read.captured_at.timestamp()
    return _TIERS[hit.match], 0.0, -hit.read.captured_at.timestamp()


def plate_search(
    rt: Runtime,
    *,
    principal: Principal,
    justification: JustificationInput,
    pattern: str,
    fuzzy: bool = False,
    substitution: bool = False,
    start: datetime | None = None,
    end: datetime | None = None,
    min_confidence: float = 0.0,
    area: tuple[float, float, float] | None = None,
    camera_ids: Sequence[int] = (),
    vehicle: Description | None = None,
    approver: Principal | None = None,
    approval_note: str | None = None,
) -> Governed[list[PlateHit]]:
    """Partial plate search (R12): ``?`` one character, ``*`` any run; optionally OCR
    confusions (``fuzzy``) and one substituted character. Reads another reading of which
    matches are found too, marked with that reading. Ranked exact first (``_rank``); with a
    ``vehicle`` description, the reads of vehicles so described come first (a description
    can be wrong or unknown, so the others follow)."""
    try:
        parsed = PlatePattern.parse(pattern)
    except PlateError as exc:
        raise InvalidInput(str(exc)) from None
    start, end = _plate_window(rt, start, end)
    if not 0.0 <= min_confidence <= 1.0:
        raise InvalidInput("the minimum confidence is between 0 and 1")
    zone = Area(*area) if area else None
    if zone:
        check_point(zone.lat, zone.lon)
    params = {
        "pattern": parsed.text,
        "fuzzy": fuzzy,
        "substitution": substitution,
        "start": _iso(start),
        "end": _iso(end),
        "min_confidence": min_confidence,
        "area": list(area) if area else None,
        "camera_ids": list(camera_ids),
        **(vehicle.params() if vehicle else {}),
    }

    def run(session: Session) -> Answer[list[PlateHit]]:
        kinds: dict[str, str] = {p: "exact" for p in plates_like(session, [parsed])}
        if fuzzy:
            for plate in plates_like(session, [parsed.confusion_pattern()], column="confusion_key"):
                kinds.setdefault(plate, "confusion")
        if substitution:
            for plate in plates_like(session, parsed.single_substitutions()):
                kinds.setdefault(plate, "substitution")
        corrected = corrected_like(session, [parsed.sql_like()])
        reads = reads_of_plates(
            session, sorted(kinds), start=start, end=end, corrected=corrected, alternatives=True
        )
        if zone:
            distances = zone.distances_if_inside([r.lat for r in reads], [r.lon for r in reads])
            reads = [r for r, d in zip(reads, distances, strict=True) if d is not None]
        hits = []
        for read in reads:
            if read.confidence < min_confidence:
                continue
            if camera_ids and read.camera_id not in camera_ids:
                continue
            if read.alternative is not None:
                marked = _marked(read.plate, parsed)
                hits.append(PlateHit(read, "alternative", marked, kinds[read.alternative]))
                continue
            match = kinds.get(read.plate, "corrected")
            if match != "exact" and read.corrected_plate and parsed.matches(read.corrected_plate):
                match = "corrected"
            hits.append(PlateHit(read, match, _marked(read.plate, parsed)))
        hits.sort(key=lambda h: (bool(vehicle) and not _described_as(vehicle, h.read), *_rank(h)))
        shown = {h.read.plate for h in hits} | {h.read.alternative for h in hits}
        return Answer(
            hits,
            read_ids=[h.read.id for h in hits],
            plates=sorted(p for p in shown if p),
        )

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.SEARCH_READS,
            kind="plate",
            params=params,
            justification=justification,
            plates=[parsed.text],
            bounds=lambda _session, policy: pattern_violations(
                policy, pattern=parsed, start=start, end=end, substitution=substitution
            ),
            approver=approver,
            approval_note=approval_note,
            reads_until=end,
        ),
        run,
    )


def _described_as(vehicle: Description | None, read: ReadRow) -> bool:
    return vehicle is not None and vehicle.matches(read.vehicle_colour, read.vehicle_type)


def plate_history(
    rt: Runtime,
    *,
    principal: Principal,
    justification: JustificationInput,
    plate: str,
    start: datetime | None = None,
    end: datetime | None = None,
    before: tuple[datetime, int] | None = None,
    approver: Principal | None = None,
    approval_note: str | None = None,
) -> Governed[HistoryPage]:
    """The reads of one plate (and reads corrected to it, and reads another reading of which
    is the plate, marked with it) in a window, newest first, a page of ``HISTORY_PAGE`` at a
    time; when older reads remain, the page's ``older`` is the ``before`` that asks for them
    (with the page's ``start`` and ``end``). Each page is its own recorded search. The window
    is bounded as a plate search's (R21): by default the policy's longest, ending now; a
    longer one needs a sergeant's approval."""
    try:
        wanted = require_plate(plate)
    except PlateError as exc:
        raise InvalidInput(str(exc)) from None
    start, end = _plate_window(rt, start, end)
    params: dict[str, object] = {"plate": wanted, "start": _iso(start), "end": _iso(end)}
    if before is not None:
        check_ids([before[1]], "the read number older reads are listed from")
        params["before"] = _iso(before[0])
        params["before_id"] = before[1]

    def run(session: Session) -> Answer[HistoryPage]:
        corrected = corrected_like(session, [wanted])
        reads = reads_of_plates(
            session,
            [wanted],
            start=start,
            end=end,
            corrected=corrected,
            limit=HISTORY_PAGE + 1,  # one more than a page tells whether older reads remain
            before=before,
            alternatives=True,
            plan_once=True,
        )
        page = reads[:HISTORY_PAGE]
        older = (page[-1].captured_at, page[-1].id) if len(reads) > HISTORY_PAGE else None
        return Answer(HistoryPage(page, older, start, end), read_ids=[r.id for r in page])

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.SEARCH_READS,
            kind="history",
            params=params,
            justification=justification,
            plates=[wanted],
            bounds=lambda _session, policy: plate_window_violations(policy, start=start, end=end),
            approver=approver,
            approval_note=approval_note,
            reads_until=end,
        ),
        run,
    )


def common_plates(
    rt: Runtime,
    *,
    principal: Principal,
    justification: JustificationInput,
    scenes: Sequence[Scene],
    min_scenes: int = 2,
    vehicle: Description | None = None,
    approver: Principal | None = None,
    approval_note: str | None = None,
) -> Governed[list[CommonPlate]]:
    """Plates seen at ``min_scenes`` or more of the scenes (serial crimes); with a
    ``vehicle`` description, reads of vehicles described otherwise do not count (a read whose
    colour or type could not be told does)."""
    if not 2 <= len(scenes) <= MAX_SCENES:
        raise InvalidInput(f"give between 2 and {MAX_SCENES} scenes")
    if not 2 <= min_scenes <= len(scenes):
        raise InvalidInput("the minimum number of scenes is between 2 and the number of scenes")
    areas = []
    for scene in scenes:
        check_window(scene.start, scene.end)
        areas.append(_area(lat=scene.lat, lon=scene.lon, radius_m=scene.radius_m, polygon_wkt=None))
    in_range: list[list[tuple[int, str, float, float, float]]] = []

    def bounds(session: Session, policy: Policy) -> list[str]:
        violations = []
        for index, (scene, area) in enumerate(zip(scenes, areas, strict=True), start=1):
            cameras = cameras_in(session, area)
            in_range.append(cameras)
            violations += [
                f"scene {index}: {v}"
                for v in canvass_violations(
                    policy,
                    radius_m=area.radius_m,
                    start=scene.start,
                    end=scene.end,
                    cameras=len(cameras),
                )
            ]
        return violations + shared_camera_violations(
            policy,
            [
                (scene.start, scene.end, {c[0] for c in cameras})
                for scene, cameras in zip(scenes, in_range, strict=True)
            ],
        )

    params = {
        "scenes": [
            {
                "lat": s.lat,
                "lon": s.lon,
                "radius_m": s.radius_m,
                "start": _iso(s.start),
                "end": _iso(s.end),
                **_address(s.address),
            }
            for s in scenes
        ],
        "min_scenes": min_scenes,
        **(vehicle.params() if vehicle else {}),
    }

    def run(session: Session) -> Answer[list[CommonPlate]]:
        seen: dict[str, set[int]] = defaultdict(set)
        reads: dict[str, dict[int, ReadRow]] = defaultdict(dict)  # a read once, by its id
        read_scenes: dict[int, list[int]] = defaultdict(list)  # where scenes overlap, several
        for index, (scene, area, cameras) in enumerate(zip(scenes, areas, in_range, strict=True)):
            for read in reads_in_area(
                session,
                area=area,
                start=scene.start,
                end=scene.end,
                camera_ids=[c[0] for c in cameras],
            ):
                if vehicle and not vehicle.fit(read.vehicle_colour, read.vehicle_type):
                    continue
                seen[read.plate].add(index)
                reads[read.plate][read.id] = read
                read_scenes[read.id].append(index)
        common = [
            CommonPlate(
                plate,
                sorted(indexes),
                list(reads[plate].values()),
                {read_id: read_scenes[read_id] for read_id in reads[plate]},
            )
            for plate, indexes in seen.items()
            if len(indexes) >= min_scenes
        ]
        common.sort(key=lambda c: (-len(c.scenes), c.plate))
        ids = [r.id for c in common for r in c.reads]
        return Answer(common, read_ids=ids, plates=[c.plate for c in common])

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.SEARCH_READS,
            kind="common",
            params=params,
            justification=justification,
            bounds=bounds,
            approver=approver,
            approval_note=approval_note,
            reads_until=max(s.end for s in scenes),
        ),
        run,
    )


def convoy(
    rt: Runtime,
    *,
    principal: Principal,
    justification: JustificationInput,
    plate: str,
    within_s: int = 10,
    min_times: int = 2,
    start: datetime | None = None,
    end: datetime | None = None,
    approver: Principal | None = None,
    approval_note: str | None = None,
) -> Governed[list[ConvoyPlate]]:
    """Plates repeatedly (``min_times``, at least twice) read by the same camera within
    seconds of the target plate, in a window bounded as a plate search's (R21): by default
    the policy's longest, ending now; a longer one needs a sergeant's approval. Once would be
    every plate that ever passed the same camera a moment after the target."""
    try:
        target = require_plate(plate)
    except PlateError as exc:
        raise InvalidInput(str(exc)) from None
    if not 1 <= within_s <= 120:
        raise InvalidInput("--within-s is between 1 and 120 seconds")
    if not 2 <= min_times <= HISTORY_LIMIT:
        raise InvalidInput(f"the times seen together are between 2 and {HISTORY_LIMIT}")
    start, end = _plate_window(rt, start, end)
    params = {
        "plate": target,
        "within_s": within_s,
        "min_times": min_times,
        "start": _iso(start),
        "end": _iso(end),
    }

    def run(session: Session) -> Answer[list[ConvoyPlate]]:
        passes = reads_of_plates(session, [target], start=start, end=end, limit=HISTORY_LIMIT)
        together: dict[str, set[int]] = defaultdict(set)
        last: dict[str, datetime] = {}
        for index, read in enumerate(passes):
            for other, at in reads_near_in_time(
                session,
                camera_id=read.camera_id,
                at=read.captured_at,
                within_s=within_s,
                exclude_plate=target,
            ):
                together[other].add(index)
                last[other] = max(last.get(other, at), at)
        ranked = [
            ConvoyPlate(other, len(indexes), last[other], [passes[i] for i in sorted(indexes)])
            for other, indexes in together.items()
            if len(indexes) >= min_times
        ]
        ranked.sort(key=lambda c: (-c.times_together, c.plate))
        return Answer(
            ranked,
            read_ids=[r.id for r in passes],
            plates=[c.plate for c in ranked],
            count=len(ranked),
        )

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.SEARCH_READS,
            kind="convoy",
            params=params,
            justification=justification,
            plates=[target],
            bounds=lambda _session, policy: plate_window_violations(policy, start=start, end=end),
            approver=approver,
            approval_note=approval_note,
            reads_until=end,
        ),
        run,
    )
