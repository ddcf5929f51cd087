"""``agenda source add|list``."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import click

from agenda.cli.runtime import Runtime, pass_runtime, usage_error
from agenda.collectors.detect import detect_format
from agenda.collectors.fetcher import fetch
from agenda.collectors.refresh import fetch_policy
from agenda.db import transaction
from agenda.errors import AgendaError
from agenda.serialize import source_dict
from agenda.store.sources import add_source, find_source_by_url, list_sources
from agenda.text_clean import clean_line, printable


@click.group()
def source() -> None:
    """Register and list the sources to collect."""


@source.command("add")
@click.argument("url")
@click.option("--name", required=True, help="Name shown for this source.")
@click.option("--kind", type=click.Choice(["auto", "ics", "feed"]), default="auto",
              show_default=True, help="Format; auto tells it from what the URL returns.")
@click.option("--every", "every", type=click.IntRange(5, 7 * 24 * 60), default=None,
              help="Minutes between two collections (default from the settings).")
@click.option("--actor", help="The organisation that publishes it (created if new).")
@pass_runtime
def add(rt: Runtime, url: str, name: str, kind: str, every: int | None, actor: str | None):
    """Register URL; prints the new source id."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        usage_error(f"{printable(repr(url))} is not an http(s) address.")
    if kind == "auto":
        kind = _detect_kind(rt, url)
    with transaction(rt.factory) as session:
        if find_source_by_url(session, url):
            usage_error(f"A source with this URL already exists: {printable(url)}")
        created = add_source(session, name=clean_line(name), url=url, kind=kind,
                             actor_name=clean_line(actor) or None,
                             interval_minutes=every or rt.settings.default_interval_minutes,
                             now=rt.now())
        click.echo(created.id)


def _detect_kind(rt: Runtime, url: str) -> str:
    """Look at what the URL returns now; stay on auto (decided at each collection) if we can't."""
    try:
        fetched = fetch(url, policy=fetch_policy(rt.settings))
        return detect_format(fetched.body or b"", fetched.content_type)
    except AgendaError as error:
        click.echo(f"Warning: the format could not be told now ({error.message}); "
                   "it will be detected at each collection.", err=True)
        return "auto"


@source.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_runtime
def list_(rt: Runtime, as_json: bool) -> None:
    """List the sources with their health."""
    with transaction(rt.factory) as session:
        rows = list_sources(session)
        items = [source_dict(s, n) for s, n in rows]
    if as_json:
        click.echo(printable_json({"items": items}))
        return
    for item in items:
        error = f"  {printable(item['last_error'])}" if item["last_error"] else ""
        click.echo(f"{item['id']:>4}  {item['status']:<7} {item['event_count']:>6} events  "
                   f"{item['kind']:<5} {printable(item['name'])}  <{printable(item['url'])}>"
                   f"{error}")


def printable_json(value) -> str:
    """Indented JSON whose strings show every non-printable character as a ``\\uXXXX`` escape
    (``json`` escapes C0 controls only; C1 controls and bidi overrides would reach the
    terminal raw)."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n " else json.dumps(ch)[1:-1]
                   for ch in text)
