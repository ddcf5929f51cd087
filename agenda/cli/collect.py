"""``agenda collect [ID...] [--all] [--due]``: collect sources now, one line per source."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from agenda.cli.runtime import EXIT_FAILURES, EXIT_OK, Runtime, pass_runtime, usage_error
from agenda.collectors.refresh import RefreshOutcome, refresh_source
from agenda.collectors.worker import collect_due_sources, worker_name
from agenda.db import transaction
from agenda.models import Source
from agenda.text_clean import printable


@click.command()
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "all_", is_flag=True, help="Collect every enabled source.")
@click.option("--due", is_flag=True, help="Collect the sources whose time has come.")
@pass_runtime
def collect(rt: Runtime, ids: tuple[int, ...], all_: bool, due: bool) -> None:
    """Collect sources now.  Exit 0 if all succeeded, 1 if any failed, 2 on usage errors."""
    if sum((bool(ids), all_, due)) != 1:
        usage_error("give source ids, or --all, or --due.")
    if due:
        outcomes = collect_due_sources(rt.factory, rt.settings, clock=rt.now)
        for outcome in outcomes:
            click.echo(outcome_line(outcome))
    else:
        outcomes = _collect_each(rt, _selected_ids(rt, ids))
    click.echo(summary_line(outcomes), err=True)
    sys.exit(EXIT_OK if all(o.ok for o in outcomes) else EXIT_FAILURES)


def _selected_ids(rt: Runtime, ids: tuple[int, ...]) -> list[int]:
    with transaction(rt.factory) as session:
        if not ids:
            return list(session.scalars(select(Source.id).where(Source.enabled.is_(True))
                                        .order_by(Source.id)))
        known = set(session.scalars(select(Source.id).where(Source.id.in_(ids))))
    missing = [str(i) for i in ids if i not in known]
    if missing:
        usage_error(f"no source with id {', '.join(missing)}.")
    return list(dict.fromkeys(ids))


def _collect_each(rt: Runtime, ids: list[int]) -> list[RefreshOutcome]:
    worker = worker_name()
    outcomes = []
    with click.progressbar(ids, label="Collecting", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as bar:
        for source_id in bar:
            outcome = _collect_one(rt, source_id, worker)
            outcomes.append(outcome)
            click.echo(("\r" if sys.stderr.isatty() else "") + outcome_line(outcome))
    return outcomes


def _collect_one(rt: Runtime, source_id: int, worker: str) -> RefreshOutcome:
    """Claims the source first (``collect.busy`` when a worker is collecting it)."""
    return refresh_source(rt.factory, source_id, now=rt.now(), settings=rt.settings,
                          worker=worker)


def outcome_line(outcome: RefreshOutcome) -> str:
    """One line per source; what comes from the database or the source is escaped."""
    head = f"[{outcome.source_id}] {printable(outcome.name)}:"
    if outcome.outcome == "error":
        return f"{head} ERROR {outcome.error_code}: {printable(outcome.error)}"
    if outcome.outcome in ("not_modified", "unchanged"):
        return f"{head} unchanged ({outcome.outcome.replace('_', ' ')})"
    warnings = f" ({len(outcome.warnings)} warnings)" if outcome.warnings else ""
    return (f"{head} {outcome.new} new, {outcome.updated} updated, "
            f"{outcome.removed} removed, {outcome.skipped} skipped{warnings}")


def summary_line(outcomes: list[RefreshOutcome]) -> str:
    failed = sum(1 for o in outcomes if not o.ok)
    return (f"{len(outcomes)} source(s) collected, {failed} failed; "
            f"{sum(o.new for o in outcomes)} new, {sum(o.updated for o in outcomes)} updated, "
            f"{sum(o.removed for o in outcomes)} removed events.")
