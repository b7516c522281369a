"""The ``alpr`` command: one entry point for operators, automation and tests."""

from __future__ import annotations

import typer

from alpr.commands import (
    audit,
    db,
    demo,
    hotlists,
    places,
    policy,
    recognition,
    registry,
    releases,
    retention,
    search,
    signin,
    users,
)
from alpr.commands.common import HELP_MARKUP, command
from alpr.commands.guard import GuardedGroup

app = typer.Typer(
    rich_markup_mode=HELP_MARKUP,
    cls=GuardedGroup,
    help="Investigative ALPR system: database, demo agency, users, searches and oversight.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(policy.app, name="policy")
app.add_typer(audit.app, name="audit")
app.add_typer(demo.app, name="demo")
app.add_typer(search.app, name="search")
app.add_typer(recognition.cameras_app, name="cameras")
app.add_typer(recognition.worker_app, name="worker")
app.add_typer(hotlists.hotlist_app, name="hotlist")
app.add_typer(hotlists.alerts_app, name="alerts")
app.add_typer(registry.agencies_app, name="agencies")
app.add_typer(registry.agreements_app, name="agreements")
app.add_typer(places.app, name="places")
app.add_typer(releases.app, name="releases")
app.add_typer(retention.holds_app, name="holds")
app.add_typer(retention.evidence_app, name="evidence")
app.command("signin")(signin.signin)
app.command("signout")(signin.signout)
app.command("purge")(command(retention.purge))
app.command("recognize")(command(recognition.recognize))
app.command("ingest")(command(recognition.ingest))


def main() -> None:
    app()
