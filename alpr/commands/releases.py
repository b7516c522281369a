"""``alpr releases``: requests for ALPR data described in JSON, evaluated, filed, decided,
fulfilled, and their packages verified."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from alpr.commands.common import (
    ActorOpt,
    JsonOpt,
    actor,
    command,
    emit_json,
    fail,
    group,
    parse_time,
    read_file,
    report,
    runtime,
)
from alpr.governance.releases import fulfilment, requests
from alpr.governance.releases.requests import Attachment, RequestForm
from alpr.governance.releases.rules import Decision
from alpr.governance.scopes import ScopeInput
from alpr.textinput import load_json

app = group("Requests for ALPR data from other agencies and the public.")
RequestFile = Annotated[
    Path, typer.Option("--request", help="The request described in JSON (see README).")
]


def _described(path: Path) -> dict[str, Any]:
    data = load_json(read_file(path, option="--request"), what=str(path))
    if not isinstance(data, dict):
        fail("the request must be a JSON object")
    return data


def _text(data: dict[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if value is None:
        fail(f"the request lacks {key!r}")
    if not isinstance(value, str):
        fail(f"{key!r} must be text")
    return value


def _optional_text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        fail(f"{key!r} must be text")
    return value


def _flag(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        fail(f"{key!r} must be true or false")
    return value


def _number(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        fail(f"{key!r} must be a number")
    return None if value is None else float(value)


def _scope(data: Any) -> ScopeInput | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        fail("'scope' must be an object")
    plates = data.get("plates") or []
    if not isinstance(plates, list) or not all(isinstance(p, str) for p in plates):
        fail("'scope.plates' must be a list of plates")
    area = data.get("area") or {}
    if not isinstance(area, dict):
        fail("'scope.area' must be an object with lat, lon and radius_m")
    return ScopeInput(
        plates=tuple(plates),
        start=parse_time(_text(data, "start"), option="scope.start") if "start" in data else None,
        end=parse_time(_text(data, "end"), option="scope.end") if "end" in data else None,
        case_number=_optional_text(data, "case_number"),
        lat=_number(area, "lat"),
        lon=_number(area, "lon"),
        radius_m=_number(area, "radius_m"),
    )


def _form(data: dict[str, Any]) -> RequestForm:
    agreement = data.get("agreement_id")
    if agreement is not None and (isinstance(agreement, bool) or not isinstance(agreement, int)):
        fail("'agreement_id' must be an agreement's number")
    return RequestForm(
        requester_name=_text(data, "requester_name", ""),
        requester_contact=_text(data, "requester_contact", ""),
        purpose=_text(data, "purpose", ""),
        description=_text(data, "description", ""),
        requested=_text(data, "requested", "plate_level"),
        legal_basis=_text(data, "legal_basis", "none"),
        immigration_related=_flag(data, "immigration_related"),
        agency_name=_optional_text(data, "agency"),
        purpose_code=_optional_text(data, "purpose_code"),
        agreement_id=agreement,
        scope=_scope(data.get("scope")),
        offense=_optional_text(data, "offense"),
    )


def _documents(data: dict[str, Any]) -> list[dict[str, str]]:
    documents = data.get("documents") or []
    if not isinstance(documents, list) or not all(
        isinstance(d, dict) and isinstance(d.get("kind"), str) for d in documents
    ):
        fail('\'documents\' must be a list of {"kind": ..., "file": ...}')
    return documents


def _print_decision(
    decision: Decision, json_out: bool, extra: dict[str, Any], *, done: str | None = None
) -> None:
    """The law's decision with its reasons, after ``done`` (what the command did, in words);
    JSON gives ``extra`` instead."""
    if json_out:
        emit_json(
            {
                **extra,
                "decision": decision.decision.value,
                "reasons": decision.reasons,
                "requirements": decision.requirements,
            }
        )
        return
    if done is not None:
        typer.echo(done)
    typer.echo(decision.decision.value.replace("_", " ").upper())
    for reason in decision.reasons:
        typer.echo(f"- {reason}")


@app.command("evaluate")
@command
def evaluate(request: RequestFile, json_out: JsonOpt = False) -> None:
    """What the law and the agency's policy say about a request (nothing is filed, no data is
    touched). Name the agency from the register ("agency"), or describe it ("agency_kind",
    "agency_state")."""
    data = _described(request)
    decision = requests.evaluate_form(
        runtime(),
        form=_form({**data, "scope": None}),
        documents={d["kind"] for d in _documents(data)},
        kind=_optional_text(data, "agency_kind") if not data.get("agency") else None,
        state=_optional_text(data, "agency_state") or "CA",
    )
    _print_decision(decision, json_out, {})


@app.command("file")
@command
def file(request: RequestFile, json_out: JsonOpt = False, as_user: ActorOpt = None) -> None:
    """File a request with its scope and documents; prints the law's decision and how many
    reads the scope selects."""
    data = _described(request)
    attachments = tuple(
        Attachment(
            d["kind"],
            Path(d.get("file") or "").name,
            read_file(request.parent / str(d.get("file") or ""), option="documents.file"),
        )
        for d in _documents(data)
    )
    rt = runtime()
    filed = requests.file_request(
        rt, principal=actor(rt, as_user), form=_form(data), attachments=attachments
    )
    selects = "" if filed.reads is None else f": its scope selects {filed.reads} reads"
    _print_decision(
        filed.decision,
        json_out,
        {"request": filed.id, "scope_reads": filed.reads},
        done=f"request {filed.id} filed{selects}",
    )


@app.command("decide")
@command
def decide(
    request_id: Annotated[int, typer.Argument(help="The request's number.")],
    note: Annotated[str, typer.Option(help="The reason for the decision.")],
    approve: Annotated[bool, typer.Option("--approve/--deny", help="Approve or deny the request.")],
    override_reason: Annotated[
        str | None,
        typer.Option(help="Why a scope beyond the policy's bounds is released all the same."),
    ] = None,
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """The commander's decision, final once recorded."""
    rt = runtime()
    decision = requests.decide(
        rt,
        principal=actor(rt, as_user),
        request_id=request_id,
        approve=approve,
        note=note,
        override_reason=override_reason,
    )
    _print_decision(
        decision,
        json_out,
        {"request": request_id, "approved": approve},
        done=f"request {request_id} {'approved' if approve else 'denied'}",
    )


@app.command("fulfil")
@command
def fulfil(
    request_id: Annotated[int, typer.Argument(help="The request's number.")],
    json_out: JsonOpt = False,
    as_user: ActorOpt = None,
) -> None:
    """Produce the package of an approved request, with its manifest of SHA-256 hashes."""
    rt = runtime()
    package = fulfilment.fulfil(rt, principal=actor(rt, as_user), request_id=request_id)
    if json_out:
        emit_json(
            {
                "request": package.request_id,
                "folder": str(package.folder),
                "reads": package.reads,
                "counts_only": package.counts_only,
                "files": package.files,
                "manifest_sha256": package.manifest_sha256,
            }
        )
        return
    typer.echo(
        f"request {package.request_id}: {'counts only' if package.counts_only else 'plate-level'}"
        f" package of {package.reads} reads in {package.folder}; manifest sha256 "
        f"{package.manifest_sha256}"
    )


@app.command("verify")
@command
def verify(
    folder: Annotated[Path, typer.Argument(help="The package's folder, wherever it was copied.")],
    request_id: Annotated[
        int | None,
        typer.Option("--request", help="The request (default: the one its manifest names)."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Check a release package against the manifest recorded when it was made; exits 1 naming
    every file that changed."""
    if not folder.is_dir():
        fail(f"no such folder: {folder}")
    report(fulfilment.verify_package(runtime(), folder, request_id=request_id), json_out)
