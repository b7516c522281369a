"""The name the access log gives an act that no signed-in person did: the system's own jobs
(set-up, the daily maintenance and purge, the demo agency's seeding). Every act of a person,
on the command line too, is done signed in and names them."""

from __future__ import annotations

SYSTEM = "system"
