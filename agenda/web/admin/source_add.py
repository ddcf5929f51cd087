"""Adding a source from an address (``/admin/sources/new``), in two steps.

"Look at this address" runs discovery: the page then says what was found, why, and the feed
doctor's diagnosis, and offers "Save this source" (the kind and address found travel in the
form and are checked again here: a kind we collect, a web address, not already a source).  When
nothing fits, the refusal is said with what to do, and the fields are kept.  The API key is
never sent back to the browser: it is typed again to save."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext

from agenda.collectors.discovery import web_address
from agenda.collectors.doctor import Diagnosis
from agenda.errors import AgendaError
from agenda.services.source_discovery import KINDS as DISCOVERED_KINDS
from agenda.services.source_discovery import Discovery, discover
from agenda.store.source_admin import create_source
from agenda.store.sources import find_source_by_url
from agenda.web import db_session, state
from agenda.web.admin.source_audit import audit_source
from agenda.web.admin.source_forms import AddSourceForm
from agenda.web.admin.source_page import KINDS
from agenda.web.shared.dates import now_utc
from agenda.web.shared.doctor_sentences import said_reasons, said_refusal

DIAGNOSIS_MAX = 50_000  # characters of the diagnosis carried by the confirmation


def source_new():
    form = AddSourceForm()
    if request.method == "GET":
        form.interval_minutes.data = state().settings.default_interval_minutes
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, status=400)
    if request.form.get("step") == "save" and form.found_kind.data:
        return _save(form)
    if form.as_initiatives.data:  # a feed of projects: read as such, not discovered
        return _look_initiatives(form)
    return _look(form)


def _look_initiatives(form: AddSourceForm):
    from agenda.web.admin.source_initiatives import found_sentence, look_initiatives

    form.found_kind.data = form.found_url.data = form.found_diagnosis.data = ""
    found, said = look_initiatives(form.url.data)
    if found is None:
        return _page(form, **said)
    form.found_kind.data, form.found_url.data = found.kind, found.url
    return _page(form, found=found, reasons=[found_sentence(found)])


def _look(form: AddSourceForm):
    """Discovery: what the address returns, and which collector reads it."""
    form.found_kind.data = form.found_url.data = form.found_diagnosis.data = ""
    try:
        found = discover(form.url.data, settings=state().settings, now=now_utc(),
                         api_key=form.api_key.data or None)
    except AgendaError as error:
        refusal, hint = said_refusal(error)
        return _page(form, refusal=refusal, refusal_hint=hint)
    form.found_kind.data, form.found_url.data = found.kind, found.url
    form.key_needed.data = "1" if form.api_key.data else ""
    form.found_diagnosis.data = json.dumps(found.diagnosis.to_json(), ensure_ascii=False)
    return _page(form, found=found)


def _save(form: AddSourceForm):
    kind, url = form.found_kind.data, form.found_url.data
    try:
        url = web_address(url)
    except AgendaError:
        url = None
    if kind not in (*DISCOVERED_KINDS, "initiatives") or not url:
        return _look(form)  # not what discovery said: look again
    if find_source_by_url(db_session(), url):
        form.url.errors = [gettext("A source already collects this address.")]
        return _page(form, status=400)
    if kind == "openagenda" and form.key_needed.data and not form.api_key.data:
        form.api_key.errors = [gettext("Type the API key again to save: it is never sent back "
                                       "to your browser.")]
        return _look(form)  # found again, read without the key: the field says why
    source = create_source(db_session(), name=form.name.data, url=url, kind=kind,
                           interval_minutes=form.interval_minutes.data, owner=form.owner.data,
                           contact_email=form.contact_email.data,
                           api_key=form.api_key.data or None,
                           diagnosis=_carried_diagnosis(form.found_diagnosis.data), now=now_utc())
    audit_source(source, "source_add", kind=kind, url=url)
    db_session().commit()
    flash(gettext("The source was added: it will be collected in a moment."), "success")
    return redirect(url_for("admin.source", source_id=source.id))


def _carried_diagnosis(text: str | None) -> dict | None:
    """The diagnosis shown before saving, read back (what cannot be read is dropped)."""
    if not text or len(text) > DIAGNOSIS_MAX:
        return None
    try:
        diagnosis = Diagnosis.from_json(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return diagnosis.to_json() if diagnosis else None


def _page(form: AddSourceForm, *, status: int = 200, found: Discovery | None = None, **said):
    form.api_key.data = ""  # never sent back to the browser
    return render_template(
        "admin/source_form.html", form=form, source=None, kinds=KINDS, found=found,
        found_reasons=said.pop("reasons", None) or (said_reasons(found) if found else []),
        diagnosis=found.diagnosis if found else None,
        key_given=bool(request.form.get("api_key")), **said), status
