"""``agenda doctor``: what a production operator checks, one line each.

Exit codes: 0 when every check is ok (warnings included), 1 on any error.
"""

from __future__ import annotations

import json

import click

from agenda.cli.runtime import EXIT_FAILURES, EXIT_OK, Runtime, pass_runtime
from agenda.errors import ConfigError
from agenda.operations.checks import ERROR, Check, exit_code
from agenda.operations.probes import run_checks

COLOURS = {"ok": "green", "warning": "yellow", "error": "red"}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
@pass_runtime
def doctor(rt: Runtime, as_json: bool) -> None:
    """Check the database (reachable, migrated), the search backend against the data, Redis,
    the secret key, the scheduler's last collection and the sources overdue."""
    try:
        checks = run_checks(rt.settings, now=rt.now())
    except ConfigError as error:
        checks = [Check("settings", ERROR, error.message)]
    if as_json:
        click.echo(json.dumps({"ok": exit_code(checks) == EXIT_OK,
                               "checks": [check.as_dict() for check in checks]},
                              ensure_ascii=False, indent=2))
    else:
        width = max(len(check.name) for check in checks)
        for check in checks:
            status = click.style(f"{check.status:<8}", fg=COLOURS[check.status])
            click.echo(f"{status}{check.name:<{width + 2}}{check.sentence}")
    raise SystemExit(EXIT_FAILURES if exit_code(checks) else EXIT_OK)
