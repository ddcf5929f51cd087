"""``agenda source add|check|list``.

``add`` and ``check`` run discovery (``agenda/services/source_discovery.py``): what the address
returns, which collector reads it and why, then the feed doctor's diagnosis.  Their report goes
to standard error in the instance's language (``--lang``, French by default); ``add`` prints only
the new id on standard output, so that scripts can read it.  An API key is read from a file or
an environment variable, never from the command line (it would stay in the shell's history),
and is never printed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from agenda.cli.discovery_report import (
    Speaker,
    discovery_lines,
    echo_lines,
    refusal_lines,
)
from agenda.cli.runtime import EXIT_FAILURES, Runtime, pass_runtime, usage_error
from agenda.collectors.discovery import DiscoveryError, web_address
from agenda.db import transaction
from agenda.errors import AgendaError
from agenda.messages import N_
from agenda.serialize import source_dict
from agenda.services.accounts import check_email
from agenda.services.source_discovery import KINDS, Discovery, check_source, discover
from agenda.store.source_admin import create_source
from agenda.store.sources import find_source_by_url, list_sources
from agenda.text_clean import clean_line, printable

MAX_KEY_LENGTH = 500


@click.group()
def source() -> None:
    """Register, check and list the sources to collect."""


def _discovery_options(command):
    options = [
        click.option("--kind", type=click.Choice(KINDS), default="auto", show_default=True,
                     help="Collector; auto tells it from what the URL returns."),
        click.option("--api-key-file", type=click.Path(dir_okay=False, path_type=Path),
                     help="File holding the source's API key (OpenAgenda)."),
        click.option("--api-key-env", metavar="VAR",
                     help="Environment variable holding the source's API key (OpenAgenda)."),
        click.option("--lang", type=click.Choice(["fr", "en"]), default="fr",
                     show_default=True, help="Language of the report."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@source.command("add")
@click.argument("url")
@click.option("--name", required=True, help="Name shown for this source.")
@_discovery_options
@click.option("--every", "every", type=click.IntRange(5, 7 * 24 * 60), default=None,
              help="Minutes between two collections (default from the settings).")
@click.option("--actor", help="The organisation that publishes it (created if new).")
@click.option("--contact", metavar="EMAIL",
              help="Address told when the source breaks down and when it recovers.")
@pass_runtime
def add(rt: Runtime, url: str, name: str, kind: str, api_key_file: Path | None,
        api_key_env: str | None, lang: str, every: int | None, actor: str | None,
        contact: str | None):
    """Find how to collect URL, say why, diagnose it, register it; prints the new id.

    With --kind auto (the default) an address where nothing can be collected is refused.  A
    kind given by hand is registered even when it cannot be read now (said as a warning)."""
    speaker = Speaker(lang)
    address = _address(url)
    contact_email = _contact(contact)
    api_key = _api_key(api_key_file, api_key_env)
    _refuse_known(rt, address)
    found = _discover_for_add(rt, address, url, kind, api_key, speaker)
    stored_url = found.url if found else address
    stored_kind = found.kind if found else kind
    with transaction(rt.factory) as session:
        if stored_url != address and find_source_by_url(session, stored_url):
            usage_error(f"A source with this URL already exists: {printable(stored_url)}")
        created = create_source(session, name=clean_line(name), url=stored_url, kind=stored_kind,
                                interval_minutes=every or rt.settings.default_interval_minutes,
                                owner=actor, contact_email=contact_email, api_key=api_key,
                                diagnosis=found.diagnosis.to_json() if found else None,
                                now=rt.now())
        click.echo(created.id)


def _discover_for_add(rt: Runtime, address: str, typed: str, kind: str, api_key: str | None,
                      speaker: Speaker) -> Discovery | None:
    """The discovery (report on stderr); None for a kind given by hand that cannot be read
    now; leaves with exit 1 when auto finds nothing."""
    try:
        found = discover(typed, settings=rt.settings, now=rt.now(), api_key=api_key, kind=kind)
    except DiscoveryError as error:
        echo_lines(refusal_lines(error, speaker), err=True)
        if kind == "auto":
            raise SystemExit(EXIT_FAILURES) from None
        click.echo(speaker._(N_("It is registered as asked; it will be read at each "
                                "collection.")), err=True)
        return None
    echo_lines(discovery_lines(found, speaker), err=True)
    return found


@source.command("check")
@click.argument("url")
@_discovery_options
@pass_runtime
def check(rt: Runtime, url: str, kind: str, api_key_file: Path | None, api_key_env: str | None,
          lang: str) -> None:
    """Say how URL would be collected and diagnose it (read twice), storing nothing."""
    speaker = Speaker(lang)
    _address(url)
    api_key = _api_key(api_key_file, api_key_env)
    try:
        found = check_source(url, settings=rt.settings, now=rt.now(), api_key=api_key,
                             kind=kind)
    except DiscoveryError as error:
        echo_lines(refusal_lines(error, speaker))
        raise SystemExit(EXIT_FAILURES) from None
    echo_lines(discovery_lines(found, speaker))


def _address(url: str) -> str:
    try:
        return web_address(url)
    except DiscoveryError as error:
        usage_error(error.message)


def _refuse_known(rt: Runtime, address: str) -> None:
    with transaction(rt.factory) as session:
        if find_source_by_url(session, address):
            usage_error(f"A source with this URL already exists: {printable(address)}")


def _contact(contact: str | None) -> str | None:
    if contact is None:
        return None
    try:
        return check_email(contact)
    except AgendaError as error:
        usage_error(f"--contact: {error.message}")


def _api_key(path: Path | None, variable: str | None) -> str | None:
    """The key from a file or the environment; its value never appears in a message."""
    if path is not None and variable is not None:
        usage_error("Give the API key with --api-key-file or --api-key-env, not both.")
    if path is not None:
        try:
            key = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeError):
            usage_error(f"The API key file {printable(str(path))} cannot be read.")
    elif variable is not None:
        key = os.environ.get(variable, "").strip()
        if not key:
            usage_error(f"The environment variable {printable(variable)} is not set or empty.")
    else:
        return None
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or " " in key:
        usage_error("The API key must be one line of at most 500 characters, without spaces.")
    return key


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
