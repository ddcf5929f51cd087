"""``agenda reindex``: rebuild the search index from the database."""

from __future__ import annotations

import sys
import time

import click

from agenda.cli.runtime import EXIT_FAILURES, Runtime, pass_runtime
from agenda.db import transaction
from agenda.search import IndexBusy, SearchIndex, open_search
from agenda.search.rows import published_count


@click.command()
@pass_runtime
def reindex(rt: Runtime) -> None:
    """Rebuild the search index from the database; the web answers from the old one meanwhile."""
    search = open_search(rt.settings)
    try:
        seconds, indexed = rebuild_with_progress(rt, search)
    except IndexBusy as error:
        click.echo(f"Error: {error.message} Try again when it is done.", err=True)
        sys.exit(EXIT_FAILURES)
    click.echo(index_summary(search, indexed, seconds))


def rebuild_with_progress(rt: Runtime, search: SearchIndex) -> tuple[float, int]:
    """Rebuild the index with a progress bar on a terminal; (seconds, events indexed)."""
    began = time.perf_counter()
    with transaction(rt.factory) as session:
        total = published_count(session)
    with click.progressbar(length=max(total, 1), label="Indexing", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as bar:
        with transaction(rt.factory) as session:
            report = search.rebuild(session, progress=lambda done: bar.update(done - bar.pos))
    return time.perf_counter() - began, report.indexed


def index_summary(search: SearchIndex, indexed: int, seconds: float) -> str:
    status = search.status()
    folder = search.folder.root / str(status.get("live"))
    size = sum(f.stat().st_size for f in folder.glob("*") if f.is_file()) if folder.is_dir() else 0
    return (f"Search index rebuilt: {indexed} events in {seconds:.1f} s, "
            f"{size / 1e6:.1f} MB in {status.get('segments', 0)} segment(s), {folder}")
