"""``agenda reindex``: rebuild the search index from the database (the Whoosh index of the
instance folder, or PostgreSQL's text vectors); and the vectors ``agenda init`` fills."""

from __future__ import annotations

import sys
import time

import click

from agenda.cli.runtime import EXIT_FAILURES, Runtime, pass_runtime
from agenda.cli.startup import checked_settings, reachable_database
from agenda.db import transaction
from agenda.region import cached_region
from agenda.search import IndexBusy, SearchIndex, open_search
from agenda.search.rows import published_count


@click.command()
@pass_runtime
def reindex(rt: Runtime) -> None:
    """Rebuild the search index from the database; the web answers from the old one meanwhile
    (PostgreSQL: every text vector written again, each row keeping its old one until then)."""
    if checked_settings(rt).search_backend == "postgresql":
        with reachable_database(rt):
            click.echo(rewrite_vectors(rt))
        return
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


def rewrite_vectors(rt: Runtime) -> str:
    """Every event's, actor's and initiative's text vector written again, with a progress bar
    on a terminal; the summary line."""
    from agenda.search.pg.rebuild import fill_all_missing, rewrite_all, row_counts

    began = time.perf_counter()
    region = cached_region(rt.settings.region_file)
    with transaction(rt.factory) as session:
        total = sum(row_counts(session).values())
    with _progress(total, "Search vectors") as bar:
        done = rewrite_all(rt.factory, region, progress=lambda n: bar.update(n - bar.pos))
    fill_all_missing(rt.factory, region)  # rows added meanwhile by a raw connection
    counts = ", ".join(f"{n} {table}" for table, n in done.items())
    return (f"Search vectors rewritten in PostgreSQL: {counts} in "
            f"{time.perf_counter() - began:.1f} s")


def fill_search_vectors(rt: Runtime) -> str | None:
    """On PostgreSQL: the rows without a text vector get theirs (an instance upgraded from
    before the vectors is searchable at once), with a progress bar; the summary line, None
    when there was nothing to fill or the database is SQLite."""
    if rt.engine.dialect.name != "postgresql":
        return None
    from agenda.search.pg.rebuild import fill_all_missing, missing_counts

    began = time.perf_counter()
    with transaction(rt.factory) as session:
        total = sum(missing_counts(session).values())
    if not total:
        return None
    with _progress(total, "Search vectors") as bar:
        done = fill_all_missing(rt.factory, cached_region(rt.settings.region_file),
                                progress=lambda n: bar.update(n - bar.pos))
    return (f"Search vectors filled: {done} rows (events, actors, initiatives) in "
            f"{time.perf_counter() - began:.1f} s")


def _progress(total: int, label: str):
    return click.progressbar(length=max(total, 1), label=label, file=sys.stderr,
                             hidden=not sys.stderr.isatty())
