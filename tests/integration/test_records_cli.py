"""The records commands on both databases: ``alpr agencies|agreements|releases|evidence|holds``
each succeed, exit 3 on a refusal and 2 on bad input (with one clear line), print JSON, and run
in the order the README documents from a fresh database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alpr.data.models import ReleaseRequest
from alpr.governance.runtime import Runtime
from tests.conftest import CliRun, SignedCli, TestUser
from tests.integration.release_desk import LAT, LON, NOW, SHERIFF, WINDOW, Desk, make_desk


@pytest.fixture
def desk(rt: Runtime, make_user: Callable[..., TestUser]) -> Desk:
    return make_desk(rt, make_user)


@pytest.fixture
def cli(
    signed_cli: SignedCli,
    desk: Desk,
    make_user: Callable[..., TestUser],
) -> CliRun:
    users = (
        desk.clerk,
        desk.commander,
        desk.detective,
        make_user("chen", "patrol"),
        make_user("okafor", "administrator"),
    )
    return signed_cli({u.username: u for u in users})


def _request(tmp_path: Path, name: str = "request.json", **changes: object) -> Path:
    described: dict[str, object] = {
        "agency": SHERIFF,
        "requester_name": "Det. Sgt. Kim",
        "requester_contact": "kim@smcsheriff.example",
        "purpose": "Armed robbery series SMSO-26-0911",
        "purpose_code": "wanted_vehicle",
        "description": "Reads of 7KQM482 in the last ten days",
        "requested": "plate_level",
        "legal_basis": "warrant",
        "scope": {
            "plates": ["7KQM482"],
            "start": WINDOW[0].isoformat(),
            "end": WINDOW[1].isoformat(),
            "case_number": "SMSO-26-0911",
        },
        "documents": [{"kind": "warrant", "file": "warrant.pdf"}],
    }
    described.update(changes)
    (tmp_path / "warrant.pdf").write_bytes(b"%PDF signed warrant")
    path = tmp_path / name
    path.write_text(json.dumps(described))
    return path


def test_agencies_and_agreements(cli: CliRun, tmp_path: Path) -> None:
    code, added = cli(
        "agencies", "add", "Oakland Police Department", "--kind", "ca_local_le", "--state", "CA",
        "--json", as_user="nguyen",
    )  # fmt: skip
    assert code == 0 and added["kind_label"] == "California local law enforcement"
    code, out = cli("agencies", "add", "X", "--kind", "county", "--state", "CA", as_user="nguyen")
    assert code == 2 and "not a kind of agency" in out
    code, out = cli("agencies", "add", "X", "--kind", "ca_local_le", "--state", "NV",
                    as_user="nguyen")  # fmt: skip
    assert (code, out) == (2, "error: California local law enforcement: the state is CA\n")
    code, out = cli(
        "agencies", "add", "X", "--kind", "ca_local_le", "--state", "CA", as_user="rivera"
    )
    assert code == 3 and out.startswith("refused (permission)")
    code, out = cli(
        "agencies", "add", "U.S. Immigration and Customs Enforcement - San Francisco Field Office",
        "--kind", "ca_local_le", "--state", "CA", as_user="nguyen",
    )  # fmt: skip
    assert code == 3 and out.startswith("refused (rule)") and "SB 54" in out
    code, out = cli(
        "agencies", "add", "Federal Bureau of Investigation SF", "--kind", "ca_state_le",
        "--state", "CA", as_user="nguyen",
    )  # fmt: skip
    assert code == 3 and "must match what the name says" in out
    code, listed = cli("agencies", "list", "--json", as_user="nguyen")
    assert code == 0 and "Oakland Police Department" in {a["name"] for a in listed}
    assert not {a["name"] for a in listed} & {
        "U.S. Immigration and Customs Enforcement - San Francisco Field Office",
        "Federal Bureau of Investigation SF",
    }

    document = tmp_path / "mou.pdf"
    document.write_bytes(b"%PDF signed MOU")
    code, agreement = cli(
        "agreements", "add", "--agency", "Oakland Police Department", "--title", "East Bay MOU",
        "--scope", "Reads for criminal investigations", "--effective", "2026-01-01",
        "--expires", "2027-12-31", "--document", str(document), "--json", as_user="nguyen",
    )  # fmt: skip
    assert code == 0 and agreement["in_force"] and len(agreement["document_sha256"]) == 64
    code, out = cli(
        "agreements", "add", "--agency", "Oakland Police Department", "--title", "T",
        "--scope", "S", "--effective", "2026-01-01", "--document", str(tmp_path / "none.pdf"),
        as_user="nguyen",
    )  # fmt: skip
    assert code == 2 and "no such file" in out
    code, out = cli(
        "agreements", "add", "--agency", "Oakland Police Department", "--title", "T",
        "--scope", "S", "--effective", "1 Jan", "--document", str(document), as_user="nguyen",
    )  # fmt: skip
    assert code == 2 and "YYYY-MM-DD" in out
    code, listed = cli(
        "agreements", "list", "--agency", "Oakland Police Department", "--json", as_user="nguyen"
    )
    assert code == 0 and [a["title"] for a in listed] == ["East Bay MOU"]
    number = str(agreement["id"])
    code, ended = cli("agreements", "end", number, "--on", "2026-11-01", "--reason", "Renegotiated",
                      "--json", as_user="nguyen")  # fmt: skip
    assert code == 0 and ended["standing"] == "was ended on 2026-11-01 (Renegotiated)"
    code, out = cli("agreements", "end", number, "--reason", "again", as_user="nguyen")
    assert code == 3 and "already been ended" in out
    code, out = cli("agreements", "end", "999", "--reason", "x", as_user="nguyen")
    assert code == 2 and "no agreement 999" in out


def test_a_request_evaluated_filed_decided_fulfilled_and_verified(
    cli: CliRun, tmp_path: Path
) -> None:
    code, evaluated = cli("releases", "evaluate", "--request", str(_request(tmp_path)), "--json")
    assert code == 0 and evaluated["decision"] == "eligible"
    hypothetical = _request(tmp_path, "nv.json", agency=None, agency_kind="out_of_state",
                            agency_state="NV")  # fmt: skip
    code, evaluated = cli("releases", "evaluate", "--request", str(hypothetical), "--json")
    assert code == 0 and evaluated["decision"] == "refused" and "R40" in evaluated["requirements"]
    (tmp_path / "bad.json").write_text("{not json")
    code, out = cli("releases", "evaluate", "--request", str(tmp_path / "bad.json"))
    assert code == 2 and "is not JSON" in out

    code, filed = cli("releases", "file", "--request", str(_request(tmp_path)), "--json",
                      as_user="nguyen")  # fmt: skip
    assert code == 0 and filed["decision"] == "eligible" and filed["scope_reads"] == 4
    code, out = cli("releases", "file", "--request", str(_request(tmp_path)), as_user="rivera")
    assert code == 3 and out.startswith("refused (permission)")
    unscoped = _request(tmp_path, "unscoped.json", scope=None)
    code, out = cli("releases", "file", "--request", str(unscoped), as_user="nguyen")
    other = filed["request"] + 1
    assert code == 0 and out.startswith(f"request {other} filed\nELIGIBLE\n- "), out
    code, out = cli("releases", "decide", str(other), "--approve", "--note", "ok",
                    as_user="ellis")  # fmt: skip
    assert code == 3 and "must name what it covers" in out
    broken = _request(tmp_path, "broken.json", scope={"plates": ["7KQM482"], "start": "soon"})
    code, out = cli("releases", "file", "--request", str(broken), as_user="nguyen")
    assert code == 2 and "scope.start" in out

    number = str(filed["request"])
    code, out = cli("releases", "fulfil", number, as_user="nguyen")
    assert code == 3 and "approved request" in out
    code, decided = cli("releases", "decide", number, "--approve", "--note", "Warrant on file",
                        "--json", as_user="ellis")  # fmt: skip
    assert code == 0 and decided["approved"]
    code, out = cli("releases", "file", "--request", str(_request(tmp_path)), as_user="nguyen")
    assert code == 0 and out.startswith(f"request {other + 1} filed: its scope selects 4 reads\n")
    code, out = cli("releases", "decide", str(other + 1), "--deny", "--note", "Same as the first",
                    as_user="ellis")  # fmt: skip
    assert code == 0 and out.startswith(f"request {other + 1} denied\nELIGIBLE\n"), out
    code, out = cli("releases", "decide", "999", "--deny", "--note", "x", as_user="ellis")
    assert code == 2 and "no request 999" in out
    code, package = cli("releases", "fulfil", number, "--json", as_user="nguyen")
    assert code == 0 and package["reads"] == 4 and not package["counts_only"]
    folder = Path(package["folder"])
    code, verified = cli("releases", "verify", str(folder), "--json")
    assert code == 0 and verified == {"intact": True, "problems": []}
    reads = folder / "reads.csv"
    reads.write_text(reads.read_text().replace("7KQM482", "7KQM488"))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["reads.csv"] = hashlib.sha256(reads.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    code, out = cli("releases", "verify", str(folder))
    assert code == 1 and "CHANGED: reads.csv was changed" in out
    code, out = cli("releases", "verify", str(tmp_path / "missing"))
    assert code == 2 and "no such folder" in out


TOO_LARGE = 99999999999999999999  # beyond any integer either database holds


@pytest.mark.parametrize(
    ("command", "changes", "message"),
    [
        ("evaluate", {"agency": 5}, "'agency' must be text"),
        ("evaluate", {"agreement_id": TOO_LARGE}, "an agreement's number is a whole number"),
        ("file", {"agreement_id": TOO_LARGE}, "an agreement's number is a whole number"),
        ("file", {"offense": 5}, "'offense' must be text"),
        ("file", {"purpose_code": ["wanted_vehicle"]}, "'purpose_code' must be text"),
        (
            "file",
            {"scope": {"plates": ["7KQM482"], "case_number": 911}},
            "'case_number' must be text",
        ),
    ],
)
def test_a_request_with_a_value_of_the_wrong_kind_is_bad_input(
    cli: CliRun, desk: Desk, tmp_path: Path, command: str, changes: dict[str, object], message: str
) -> None:
    """R41: a number where a name is expected, or an agreement's number no database holds, is
    one line of bad input (exit 2), not a crash, and nothing is filed."""
    signed = {"as_user": "nguyen"} if command == "file" else {}
    code, out = cli("releases", command, "--request", str(_request(tmp_path, **changes)), **signed)
    assert code == 2 and message in out and len(out.strip().splitlines()) == 1, out
    with desk.rt.transaction() as session:
        assert session.execute(select(func.count()).select_from(ReleaseRequest)).scalar_one() == 0


def test_the_refusals_of_the_release_rules_exit_3_at_the_command_line(
    cli: CliRun, tmp_path: Path
) -> None:
    """R40, R43, R45, R47 at the command line: a federal agency registered as California police
    (Civil Code 1798.90.55(b)), "Help Ice agents" with the immigration box unticked, a plate in
    a public request for counts (its reads are never counted), and a package whose agreement
    was ended after the approval."""
    code, out = cli("agencies", "add", "DHS Office of Inspector General", "--kind", "ca_local_le",
                    "--state", "CA", as_user="nguyen")  # fmt: skip
    assert code == 3 and '("DHS")' in out and "1798.90.55(b)" in out
    ice = _request(tmp_path, "ice.json", purpose="Help Ice agents")
    code, evaluated = cli("releases", "evaluate", "--request", str(ice), "--json")
    assert code == 0 and evaluated["decision"] == "refused" and evaluated["requirements"] == ["R43"]
    curious = _request(
        tmp_path, "curious.json", agency=None, requester_name="Pat Doe", purpose="curious",
        purpose_code=None, legal_basis="none",
        scope={"plates": ["5ABC001"], "start": WINDOW[0].isoformat(),
               "end": WINDOW[1].isoformat(), "area": {"lat": LAT, "lon": LON, "radius_m": 50}},
    )  # fmt: skip
    code, out = cli("releases", "file", "--request", str(curious), as_user="nguyen")
    assert code == 3 and "never of a plate" in out and "scope_reads" not in out

    mou = _request(tmp_path, "mou.json", legal_basis="mou")
    code, filed = cli("releases", "file", "--request", str(mou), "--json", as_user="nguyen")
    number = str(filed["request"])
    code, _ = cli("releases", "decide", number, "--approve", "--note", "Under the county MOU",
                  "--json", as_user="ellis")  # fmt: skip
    assert code == 0
    code, [agreement] = cli("agreements", "list", "--agency", SHERIFF, "--json", as_user="nguyen")
    code, _ = cli("agreements", "end", str(agreement["id"]), "--reason", "The sheriff withdrew",
                  "--json", as_user="nguyen")  # fmt: skip
    assert code == 0
    code, out = cli("releases", "fulfil", number, as_user="nguyen")
    assert code == 3 and out.startswith("refused (rule)") and "was ended on" in out
    assert "file a new request" in out


def test_evidence_export_and_verify(cli: CliRun, desk: Desk, tmp_path: Path) -> None:
    out = tmp_path / "case-26-04711"
    read = str(desk.reads["with_images"])
    export = (
        "evidence", "export", "--case-number", "26-04711", "--out", str(out), "--read-id", read,
        "--purpose", "major_crime_canvass", "--medium", "USB drive 7", "--json",
    )  # fmt: skip
    code, out_text = cli(*export[:-1], as_user="rivera")
    assert code == 3 and "was not found by any search of yours" in out_text, out_text
    code, found = cli(
        "search", "history", "7KQM482", "--purpose", "major_crime_canvass",
        "--case-number", "26-04711", "--json", as_user="rivera",
    )  # fmt: skip
    assert code == 0 and int(read) in [r["id"] for r in found["reads"]], found
    code, exported = cli(
        "evidence", "export", "--case-number", "26-04711", "--out", str(out), "--read-id", read,
        "--purpose", "major_crime_canvass", "--medium", "USB drive 7", "--json", as_user="rivera",
    )  # fmt: skip
    assert code == 0, exported
    assert exported["reads"] == 1 and exported["files"] >= 6 and isinstance(exported["export"], int)
    code, out_text = cli(
        "evidence", "export", "--case-number", "26-04711", "--out", str(tmp_path / "b"),
        "--read-id", read, as_user="rivera",
    )  # fmt: skip
    assert code == 3 and out_text.startswith("refused (justification)")
    code, out_text = cli(
        "evidence", "export", "--case-number", "26-04711", "--out", str(out), "--read-id", read,
        "--purpose", "major_crime_canvass", as_user="rivera",
    )  # fmt: skip
    assert code == 2 and "not empty" in out_text
    code, verified = cli("evidence", "verify", str(out), "--json")
    assert code == 0 and verified["intact"]
    (out / "reads.csv").write_text("altered")
    code, out_text = cli("evidence", "verify", str(out))
    assert code == 1 and "CHANGED: reads.csv was changed" in out_text
    code, out_text = cli("evidence", "verify", str(tmp_path / "missing"))
    assert code == 2
    code, out_text = cli("evidence", "verify", str(out), "--export", "999")
    assert (code, out_text) == (2, "error: no evidence export 999\n")


def test_holds_placed_listed_and_released(cli: CliRun, desk: Desk) -> None:
    window = ["--start", WINDOW[0].isoformat(), "--end", WINDOW[1].isoformat()]
    code, by_plate = cli(
        "holds", "add", "--case-number", "26-04711", "--reason", "Vehicle seen at the shooting",
        "--plate", "7KQM482", *window, "--purpose", "wanted_vehicle", "--json", as_user="rivera",
    )  # fmt: skip
    assert code == 0 and by_plate["reads"] == 4 and "plates 7KQM482" in by_plate["covers"]
    code, by_area = cli(
        "holds", "add", "--case-number", "26-04712", "--reason", "Reads around the scene",
        "--lat", str(LAT), "--lon", str(LON), "--radius-m", "300",
        "--start", (NOW - timedelta(days=3)).isoformat(), "--end", NOW.isoformat(),
        "--purpose", "major_crime_canvass", "--json", as_user="okafor",
    )  # fmt: skip
    assert code == 0 and by_area["reads"] == 2
    code, by_id = cli(
        "holds", "add", "--case-number", "26-04713", "--reason", "Booked into evidence for trial",
        "--read-id", str(desk.reads["before"]), "--json", as_user="rivera",
    )  # fmt: skip
    assert code == 0 and by_id["reads"] == 1
    code, out = cli("holds", "add", "--case-number", "26-1", "--reason", "x", as_user="chen")
    assert code == 2 and "name what is covered" in out
    code, out = cli(
        "holds", "add", "--case-number", "26-1", "--reason", "x", "--plate", "7KQM482", *window,
        as_user="chen",
    )  # fmt: skip
    assert code == 3 and out.startswith("refused (permission)")
    code, out = cli(
        "holds", "add", "--case-number", "26-04714", "--reason", "Vehicle seen at the shooting",
        "--plate", "7KQM482", *window, as_user="okafor",
    )  # fmt: skip
    assert code == 3 and out.startswith("refused (justification)") and "purpose" in out
    code, out = cli(
        "holds", "add", "--case-number", "26-12345", "--reason", "evidence in the bank robbery",
        "--plate", "*", "--start", "2020-01-01T00:00:00Z", "--end", WINDOW[1].isoformat(),
        "--purpose", "stolen_property", as_user="rivera",
    )  # fmt: skip
    assert code == 3 and out.startswith("refused (bounds)") and "0 known characters" in out
    code, listed = cli("holds", "list", "--json", as_user="okafor")
    assert code == 0 and len(listed) == 3
    code, out = cli("holds", "release", str(by_plate["id"]), "--note", "x", as_user="rivera")
    assert code == 3
    code, out = cli("holds", "release", str(by_area["id"]), "--note", "Trial over",
                    as_user="okafor")  # fmt: skip
    assert code == 3 and "someone other than the person who placed it" in out
    code, released = cli("holds", "release", str(by_plate["id"]), "--note", "Trial over",
                         "--json", as_user="okafor")  # fmt: skip
    assert code == 0 and released["released"]
    code, out = cli("holds", "release", str(by_plate["id"]), "--note", "again", as_user="okafor")
    assert code == 3 and "already released" in out
    code, out = cli("holds", "release", str(by_plate["id"]), "--note", " ", as_user="okafor")
    assert code == 2 and "say why" in out


def test_the_readme_steps_run_on_a_fresh_database(
    signed_cli: SignedCli,
    tmp_path: Path,
    make_user: Callable[..., TestUser],
) -> None:
    """The register and the rules from the README's records section, on a database that holds
    only the department, its ALPR Administrator and a records clerk: each with --help and JSON
    output. The register is the clerk's: the Administrator, who sets webhooks, is refused
    (R04)."""
    run = signed_cli(
        {
            "okafor": make_user("okafor", "administrator"),
            "nguyen": make_user("nguyen", "records_clerk"),
        }
    )
    document = tmp_path / "mou.pdf"
    document.write_bytes(b"%PDF signed MOU")
    code, out = run("agencies", "add", "Reno Police Department", "--kind", "out_of_state",
                    "--state", "NV", as_user="okafor")  # fmt: skip
    assert code == 3 and out.startswith("refused (permission)")
    code, agency = run("agencies", "add", "Reno Police Department", "--kind", "out_of_state",
                       "--state", "NV", "--json", as_user="nguyen")  # fmt: skip
    assert code == 0 and agency["state_label"] == "Nevada"
    agreement_args = (
        "agreements", "add", "--agency", "Reno Police Department", "--title", "Reno MOU",
        "--scope", "Reads for criminal investigations", "--effective", "2026-01-01",
        "--document", str(document), "--json",
    )  # fmt: skip
    code, out = run(*agreement_args, as_user="okafor")
    assert code == 3 and "refused (permission)" in str(out)
    code, agreement = run(*agreement_args, as_user="nguyen")
    assert code == 0 and agreement["standing"] == "in force with no expiry date"
    request = _request(tmp_path, agency="Reno Police Department", legal_basis="mou")
    code, evaluated = run("releases", "evaluate", "--request", str(request), "--json")
    assert code == 0 and evaluated["decision"] == "refused"
    assert any("'Reno MOU') does not change this" in r for r in evaluated["reasons"])
    for group in ("agencies", "agreements", "releases", "evidence", "holds"):
        code, text = run(group, "--help")
        assert code == 0 and "Usage" in text
