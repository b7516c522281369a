"""``alpr policy``: the agency policy in force, changing it with its legal basis, its history,
and the shipped profiles of the five department policies."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from alpr.commands.common import (
    ActorOpt,
    JsonOpt,
    actor,
    command,
    emit_json,
    group,
    one_line,
    runtime,
)
from alpr.governance import policy, profiles

app = group("The agency policy: show, set, history, profiles.")
profile_app = group("Shipped profiles of department policies.")
app.add_typer(profile_app, name="profile")


def _shown(value: Any) -> str:
    return json.dumps(value) if isinstance(value, list | bool) else str(value)


@app.command("show")
@command
def show(json_out: JsonOpt = False) -> None:
    """Every policy value in force, with its legal range and the basis it was set on; a recorded
    value this release refuses is named, on standard error, with why."""
    rt = runtime()
    for key, why in policy.policy_set_aside(rt).items():
        typer.echo(
            f"warning: {key}: the recorded value is not in force ({one_line(why)}); the shipped "
            "default stands in until a value the rules accept is recorded",
            err=True,
        )
    entries = policy.policy_entries(rt)
    if json_out:
        emit_json([entry.__dict__ for entry in entries])
        return
    for entry in entries:
        basis = f"  [{entry.legal_basis}]" if entry.legal_basis else "  [shipped default]"
        typer.echo(f"{entry.key} = {_shown(entry.value)}{basis}")


@app.command("set")
@command
def set_value(
    key: str,
    value: Annotated[str, typer.Argument(help="The new value (a JSON list for formats).")],
    basis: Annotated[str, typer.Option("--basis", help="Legal basis or policy section.")],
    as_user: ActorOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Change one policy value; a value looser than the law is refused naming the rule."""
    rt = runtime()
    old = getattr(policy.policy_in_force(rt), key, None)
    new = policy.set_policy(
        rt,
        actor=actor(rt, as_user),
        key=key,
        value=policy.parse_value(key, value),
        legal_basis=basis,
    )
    if json_out:
        emit_json({"key": key, "old": old, "new": getattr(new, key), "basis": basis})
        return
    typer.echo(f"{key}: {_shown(old)} -> {_shown(getattr(new, key))} ({basis})")


@app.command("history")
@command
def history(as_user: ActorOpt = None, json_out: JsonOpt = False) -> None:
    """Every change to the policy, newest first."""
    rt = runtime()
    changes = policy.policy_history(rt, actor=actor(rt, as_user))
    if json_out:
        emit_json([change.__dict__ for change in changes])
        return
    tz = rt.settings.tz
    for c in changes:
        typer.echo(
            f"{c.at.astimezone(tz):%Y-%m-%d %H:%M %Z}  {c.key}: {_shown(c.old_value)} -> "
            f"{_shown(c.new_value)}  by {c.changed_by}  ({c.legal_basis})"
        )


@profile_app.command("list")
@command
def profile_list(json_out: JsonOpt = False) -> None:
    """The shipped profiles, one per department policy."""
    shipped = profiles.profiles()
    if json_out:
        emit_json(
            [{"name": p.name, "department": p.department, "document": p.document} for p in shipped]
        )
        return
    for p in shipped:
        typer.echo(f"{p.name:<22} {p.department} — {p.document}")


def _emit_profile(profile: profiles.Profile, json_out: bool) -> None:
    if json_out:
        emit_json(
            {
                "name": profile.name,
                "department": profile.department,
                "values": [
                    {"key": v.key, "value": v.value, "citation": v.citation, "stated": v.stated}
                    for v in profile.values
                ],
            }
        )
        return
    typer.echo(f"{profile.department} ({profile.document})")
    for v in profile.values:
        typer.echo(f"  {v.key} = {_shown(v.value)}  — {v.citation}")


@profile_app.command("show")
@command
def profile_show(name: str, json_out: JsonOpt = False) -> None:
    """A profile's values, each with the section of the department policy that states it."""
    _emit_profile(profiles.profile(name), json_out)


@profile_app.command("apply")
@command
def profile_apply(name: str, as_user: ActorOpt = None, json_out: JsonOpt = False) -> None:
    """Make a profile the policy in force; each change is recorded with the profile's citation."""
    rt = runtime()
    changed = profiles.apply_profile(rt, actor=actor(rt, as_user), name=name)
    if not json_out:
        typer.echo(f"applied {name}: {len(changed)} values changed")
    _emit_profile(profiles.profile(name), json_out)
