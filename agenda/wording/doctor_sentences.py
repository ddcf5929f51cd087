"""The feed doctor and discovery said in one language (no Flask): each finding's problem and
its fix, why discovery chose a collector, and why it refused an address.

The catalogues give each code its English msgid (``%(name)s`` for its values); the functions
say a :class:`~agenda.collectors.doctor.Diagnosis` in a :class:`Language`, with ``date_text``
writing a date the way the reader expects.  Pages use Flask-Babel's language
(``agenda/web/shared/doctor_sentences.py``), the command line the compiled catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from agenda.collectors.doctor import Diagnosis, Finding
from agenda.collectors.notice import json_params
from agenda.errors import AgendaError
from agenda.messages import N_
from agenda.wording import source_errors
from agenda.wording.language import Language

DateText = Callable[[date], str]

FORMATS = {
    "ics": N_("iCalendar calendar"),
    "feed": N_("RSS or Atom feed"),
    "jsonld": N_("schema.org events in a web page (JSON-LD)"),
    "openagenda": N_("OpenAgenda API"),
    "tribe": N_("The Events Calendar REST API (WordPress)"),
    "html": N_("web page"),
}

SEVERITIES = {"problem": N_("Problem"), "warning": N_("Warning"), "tip": N_("Tip")}

# code: (the problem, its fix)
FINDINGS = {
    "doctor.floating_times": (
        N_("Events whose times have no time zone: %(count)s of %(total)s. They are read in the "
           "%(zone)s time zone."),
        N_("In your calendar software, choose the %(zone)s time zone for this calendar.")),
    "doctor.missing_uids": (
        N_("Events without an identifier: %(count)s of %(total)s. One is made from the title "
           "and the date, so changing either makes the event look new."),
        N_("Have your software give each event a permanent identifier (UID in iCalendar, guid "
           "in RSS, @id or url in JSON-LD).")),
    "doctor.unstable_uids": (
        N_("The identifiers of the events change from one download to the next (%(count)s of "
           "%(total)s changed): every collection would remove the events and add them again."),
        N_("Give each event an identifier that never changes: the export must not make a new "
           "one each time.")),
    "doctor.html_titles": (
        N_("Titles containing HTML code: %(count)s. The tags are removed, but the titles may "
           "read oddly."),
        N_("Write the titles as plain text, without formatting.")),
    "doctor.no_events": (
        N_("The document holds no event."),
        N_("Check that the agenda has public events to come and that this is the export of the "
           "whole agenda.")),
    "doctor.no_end": (
        N_("Events without an end time: %(count)s of %(total)s. They are shown as ending when "
           "they start."),
        N_("Give each event an end time or a duration in your software.")),
    "doctor.duplicates": (
        N_("Events given twice in the document: %(count)s. Only one of each is kept."),
        N_("Remove the duplicates in your software; check that the same event is not "
           "published twice.")),
    "doctor.undated_items": (
        N_("Items without event dates (news or blog posts): %(count)s. They are not events and "
           "are left out."),
        N_("If this feed should list your events, have your software publish their dates (the "
           "RSS event module), or give the address of your agenda's iCal export.")),
    "doctor.skipped": (
        N_("Events that could not be read: %(count)s. They are left out."),
        N_("Check that each event has a title and a start date.")),
    "doctor.all_past": (
        N_("Every event is in the past (the last one on %(last)s): nothing new will appear."),
        N_("Add the coming events, or check that the export is not limited to past events.")),
    "doctor.no_cache_headers": (
        N_("The server sends neither ETag nor Last-Modified: the whole document is downloaded "
           "again at each collection."),
        N_("Ask your web host to turn on the HTTP caching headers (ETag or Last-Modified); "
           "nothing to change in the agenda itself.")),
    "doctor.no_machine_data": (
        N_("This page embeds no machine-readable events: no schema.org data (JSON-LD), no link "
           "to a calendar or a feed."),
        N_("Give the address of your agenda's iCal or RSS export, or install an events plugin "
           "that publishes schema.org data.")),
}

# Why discovery chose what it chose (code, or code:variant)
REASONS = {
    "discovery.ics": N_("This address is an iCalendar calendar: it will be collected as it is."),
    "discovery.ics:webcal": N_("This webcal:// address is an iCalendar calendar: it will be "
                               "collected over https://."),
    "discovery.feed": N_("This address is an RSS or Atom feed of events: it will be collected "
                         "as it is."),
    "discovery.jsonld": N_("This page embeds schema.org events (JSON-LD): the page itself will "
                           "be collected."),
    "discovery.openagenda": N_("This is an OpenAgenda agenda: its events will be read through "
                               "the OpenAgenda API."),
    "discovery.tribe": N_("This is The Events Calendar's REST API: it will be collected as it "
                          "is."),
    "discovery.tribe:site": N_("This WordPress site runs The Events Calendar: its events will be "
                               "read through its REST API, which gives stable identifiers and "
                               "places with coordinates."),
    "discovery.linked_ics:alternate": N_("This page announces an iCalendar calendar in its "
                                         "header: that calendar will be collected."),
    "discovery.linked_ics:visible": N_("This page offers an iCalendar calendar in a "
                                       "“%(label)s” link: that calendar will be collected."),
    "discovery.linked_feed:alternate": N_("This page announces an RSS or Atom feed of events in "
                                          "its header: that feed will be collected."),
    "discovery.linked_feed:visible": N_("This page offers an RSS or Atom feed of events in a "
                                        "“%(label)s” link: that feed will be collected."),
    "discovery.declared": N_("The address is read as asked: %(format)s."),
    "discovery.also": N_("Also found, not used: %(others)s. A calendar or an events API is "
                         "preferred to a feed, and a feed to the page's own data: they carry "
                         "time zones, ends and stable identifiers more often."),
}

# Why discovery refused an address
REFUSALS = {
    "discovery.nothing_found": N_("This address returns a web page that holds neither readable "
                                  "events nor a link to a calendar or a feed."),
    "discovery.nothing_found:linked": N_("This page links a calendar or a feed (%(url)s), but "
                                         "none of them could be read."),
    "discovery.unknown_document": N_("This address returns neither a calendar, a feed, a web "
                                     "page nor an events API."),
    "discovery.not_web_address": N_("%(url)s is not a web address: it must start with "
                                    "http://, https:// or webcal://."),
}

REFUSAL_HINTS = {
    "discovery.nothing_found": FINDINGS["doctor.no_machine_data"][1],
    "discovery.unknown_document": N_("On your agenda, look for the “iCal”, “ICS” or “RSS” "
                                     "export link and give that address."),
    "discovery.not_web_address": N_("Give a full web address, starting with https://."),
}


@dataclass(frozen=True)
class SaidFinding:
    severity: str  # problem | warning | tip (for styles; the label says it in words)
    label: str
    problem: str
    fix: str


@dataclass(frozen=True)
class SaidDiagnosis:
    format: str
    generator: str | None
    events: str  # "Events: 12, from ... to ..."
    upcoming: str | None
    findings: list[SaidFinding]


def say_diagnosis(diagnosis: Diagnosis, language: Language, date_text: DateText) -> SaidDiagnosis:
    _ = language.gettext
    return SaidDiagnosis(
        format=_(N_("Format: %(format)s"), format=format_label(diagnosis.format, language)),
        generator=_(N_("Made by: %(generator)s"), generator=diagnosis.generator)
        if diagnosis.generator else None,
        events=_events_line(diagnosis, language, date_text),
        upcoming=_(N_("Events to come: %(count)s."), count=language.number(diagnosis.upcoming))
        if diagnosis.events else None,
        findings=[say_finding(f, language, date_text) for f in diagnosis.findings
                  if f.code in FINDINGS])


def _events_line(diagnosis: Diagnosis, language: Language, date_text: DateText) -> str:
    count = language.number(diagnosis.events)
    first, last = _date(diagnosis.first), _date(diagnosis.last)
    if first is None or last is None:
        return language.gettext(N_("Events: %(count)s."), count=count)
    if first == last:
        return language.gettext(N_("Events: %(count)s, on %(day)s."), count=count,
                                day=date_text(first))
    return language.gettext(N_("Events: %(count)s, from %(first)s to %(last)s."), count=count,
                            first=date_text(first), last=date_text(last))


def say_finding(finding: Finding, language: Language, date_text: DateText) -> SaidFinding:
    problem, fix = FINDINGS[finding.code]
    values = _values(finding.params, language, date_text)
    return SaidFinding(severity=finding.severity,
                       label=language.gettext(SEVERITIES.get(finding.severity, SEVERITIES["tip"])),
                       problem=_fill(problem, values, language), fix=_fill(fix, values, language))


def format_label(fmt: str, language: Language) -> str:
    return language.gettext(FORMATS[fmt]) if fmt in FORMATS else fmt


def say_reason(code: str, params: dict, language: Language) -> str:
    """Why discovery chose this collector (and what else it found)."""
    variant = params.get("variant")
    msgid = REASONS.get(f"{code}:{variant}" if variant else code) or REASONS.get(code, "")
    values = {key: str(value) for key, value in params.items() if key != "variant"}
    if "format" in params:
        values["format"] = format_label(params["format"], language)
    if "others" in params:
        values["others"] = ", ".join(format_label(kind, language) for kind in params["others"])
    return _fill(msgid, values, language)


def say_refusal(error: AgendaError, language: Language) -> tuple[str, str | None]:
    """(the sentence, what to do) for a refused address: discovery's own, else a collector's."""
    data = dict(error.data)
    variant = data.get("variant")
    msgid = REFUSALS.get(f"{error.code}:{variant}" if variant else error.code) or REFUSALS.get(
        error.code)
    if msgid is not None:
        values = {key: str(value) for key, value in data.items() if key != "variant"}
        hint = REFUSAL_HINTS.get(error.code)
        return _fill(msgid, values, language), language.gettext(hint) if hint else None
    params = json_params(data)
    said = source_errors.say(error.code, params, error.message, language)
    return said, source_errors.hint(error.code, params, language)


def _values(params: dict, language: Language, date_text: DateText) -> dict[str, str]:
    values = {}
    for key, value in params.items():
        if isinstance(value, int) and not isinstance(value, bool):
            values[key] = language.number(value)
        elif key in ("last", "first") and (day := _date(value)) is not None:
            values[key] = date_text(day)
        else:
            values[key] = str(value)
    return values


def _fill(msgid: str, values: dict[str, str], language: Language) -> str:
    try:
        return language.gettext(msgid, **values) if "%(" in msgid else language.gettext(msgid)
    except (KeyError, ValueError, TypeError):  # a stored finding whose values went missing
        return language.gettext(msgid.split("%(")[0]).strip()


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
