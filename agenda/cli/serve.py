"""``agenda serve``, ``agenda worker`` and ``agenda demo``: the long-running processes."""

from __future__ import annotations

import click

from agenda.cli.runtime import Runtime, pass_runtime, usage_error
from agenda.collectors.worker import build_scheduler, collect_due_sources
from agenda.db import transaction
from agenda.migrate import upgrade_database
from agenda.store.sources import register_sources


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="Serve pages only; collect nothing.")
@click.option("--demo", is_flag=True, help="Also serve the bundled offline demo feeds.")
@pass_runtime
def serve(rt: Runtime, host: str, port: int, no_scheduler: bool, demo: bool) -> None:
    """Run the web app, with the scheduler in the same process (the embedded default)."""
    from agenda.web import create_app

    if demo:
        _start_demo_server(rt)
    upgrade_database(rt.engine)
    app = create_app(rt.settings)
    scheduler = None
    if not no_scheduler:
        if demo:  # the demo page is full as soon as it opens
            collect_due_sources(rt.factory, rt.settings)
        scheduler = build_scheduler(rt.factory, rt.settings, background=True)
        scheduler.start()
    click.echo(f"Agenda commun on http://{host}:{port}/ "
               f"({'no scheduler' if no_scheduler else 'scheduler running'})")
    try:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)


@click.command()
@pass_runtime
def worker(rt: Runtime) -> None:
    """Run the scheduler alone (production: beside gunicorn, on one or several machines)."""
    upgrade_database(rt.engine)
    click.echo(f"Worker collecting due sources every {rt.settings.scheduler_tick_seconds} s")
    build_scheduler(rt.factory, rt.settings, background=False).start()


@click.command()
@pass_runtime
def demo(rt: Runtime) -> None:
    """Register the bundled demo sources, its directory of actors (a GoGoCarto export) and
    this year's Mois de l'ESS campaign (idempotent: an earlier year's is moved to this year's
    November);
    ``serve --demo`` serves the sources' feeds."""
    from agenda.demo import ensure_demo_campaign, load_demo_sources
    from agenda.demo_directory import import_demo_directory
    from agenda.imports.category_themes import category_table
    from agenda.region import cached_region

    now = rt.now()
    with transaction(rt.factory) as session:
        added = register_sources(session, load_demo_sources(rt.settings.config_dir),
                                 base_url=_demo_base_url(rt), now=now)
        campaign = ensure_demo_campaign(session, now.astimezone(rt.settings.tz).date(), now=now)
        name, slug = campaign.name, campaign.slug
        directory = import_demo_directory(session, rt.settings.config_dir, now=now,
                                          region=cached_region(rt.settings.region_file),
                                          categories=category_table(rt.settings.region_file))
    click.echo(f"{added} demo source(s) added; their feeds are served by `agenda serve --demo`.")
    click.echo(f"Demo directory: {directory.created} actor(s) added, {directory.updated} "
               f"completed, {directory.unchanged} unchanged.")
    click.echo(f"Campaign {name!r}: /campagnes/{slug}")


def _demo_base_url(rt: Runtime) -> str:
    return f"http://127.0.0.1:{rt.settings.demo_port}/"


def _start_demo_server(rt: Runtime) -> None:
    from agenda.demo_server import DemoFeedServer

    if not rt.settings.allow_private_urls:  # the demo feeds live on loopback
        rt.settings = rt.settings.with_overrides(allow_private_urls=True)
    server = DemoFeedServer(rt.settings.config_dir, port=rt.settings.demo_port)
    try:
        click.echo(f"Demo feeds served on {server.start()}")
    except OSError as error:
        usage_error(f"the demo feeds cannot be served on port {rt.settings.demo_port} "
                    f"({error.strerror}); set AGENDA_DEMO_PORT to a free port.")
