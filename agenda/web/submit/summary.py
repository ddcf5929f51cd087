"""A proposal as its submitter reads it back on the secret page: one labelled line per field
that has a value, in the page's language (the dates written out, themes and kinds named)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext
from markupsafe import Markup

from agenda.models import Submission
from agenda.region import Region
from agenda.services.proposals import sanitize_description
from agenda.web.shared.dates import clock_label, date_label, day_label, span_label
from agenda.web.shared.i18n import theme_label
from agenda.web.shared.links import http_url
from agenda.web.submit.fields import INITIATIVE_STATUSES, STRUCTURE_KINDS


@dataclass(frozen=True)
class Line:
    label: str
    text: str
    url: str | None = None  # shown as a link when it is a safe http(s) address


@dataclass(frozen=True)
class Summary:
    lines: list[Line]
    description: Markup


def summary(submission: Submission, region: Region) -> Summary:
    data = submission.data or {}
    if submission.kind == "actor":
        from agenda.web.actors.proposal_summary import actor_lines

        return Summary(actor_lines(data, region), Markup(sanitize_description(
            data.get("description_html") or "")))
    if submission.kind == "event":
        lines = _when(data) + _where(data)
    else:
        lines = _territory(data, region)
    lines += _organiser(submission, data) + _themes(data, region)
    if submission.kind == "event":
        lines += _event_extras(submission, data)
    lines += _links(data)
    description = Markup(sanitize_description(data.get("description_html") or ""))
    return Summary([line for line in lines if line.text], description)


def _when(data: dict) -> list[Line]:
    start, end = data.get("start") or "", data.get("end") or data.get("start") or ""
    if not start:
        return []
    if data.get("all_day"):
        first, last = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
        text = day_label(first) if first == last else span_label(first, last)
    else:
        text = _timed(datetime.fromisoformat(start), datetime.fromisoformat(end))
    lines = [Line(gettext("When"), text)]
    if data.get("recurrence") and data.get("until"):
        until = date_label(date.fromisoformat(data["until"]), "long")
        repeat = (gettext("Every week until %(day)s", day=until) if data["recurrence"] == "weekly"
                  else gettext("Every month until %(day)s", day=until))
        lines.append(Line(gettext("Repeats"), repeat))
    return lines


def _timed(start: datetime, end: datetime) -> str:
    def hour(moment: datetime) -> str:
        return clock_label(moment.time())

    if start.date() == end.date():
        return gettext("%(day)s, %(start)s – %(end)s", day=day_label(start.date()),
                       start=hour(start), end=hour(end))
    return gettext("From %(first)s at %(start)s to %(last)s at %(end)s",
                   first=day_label(start.date()), start=hour(start),
                   last=day_label(end.date()), end=hour(end))


def _where(data: dict) -> list[Line]:
    town = " ".join(p for p in (data.get("postcode"), data.get("city")) if p)
    place = ", ".join(p for p in (data.get("location_name"), data.get("address"), town) if p)
    online = data.get("online_url") or ""
    return [Line(gettext("Where"), place), Line(gettext("Online"), online, http_url(online))]


def _territory(data: dict, region: Region) -> list[Line]:
    department = region.department(data["department"]) if data.get("department") else None
    area = f"{department.name} ({department.code})" if department else gettext("The whole region")
    status = dict(INITIATIVE_STATUSES).get(data.get("status") or "", "")
    return [Line(gettext("Department"), area),
            Line(gettext("Territory"), data.get("territory") or ""),
            Line(gettext("Status"), str(status))]


def _organiser(submission: Submission, data: dict) -> list[Line]:
    if submission.actor is not None:
        return [Line(gettext("Organisation"), submission.actor.name)]
    described = data.get("new_actor") or {}
    kind = dict(STRUCTURE_KINDS).get(described.get("kind") or "", "")
    name = described.get("name") or ""
    text = f"{name} ({kind})" if name and kind else name
    website = described.get("website") or ""
    return [Line(gettext("Organisation"), text),
            Line(gettext("Its website"), website, http_url(website))]


def _themes(data: dict, region: Region) -> list[Line]:
    themes = [region.theme(slug) for slug in data.get("themes") or []]
    return [Line(gettext("Themes"), ", ".join(theme_label(t) for t in themes if t))]


def _event_extras(submission: Submission, data: dict) -> list[Line]:
    campaign = submission.campaign.name if submission.campaign is not None else ""
    return [Line(gettext("Public contact"), data.get("public_contact") or ""),
            Line(gettext("Campaign"), campaign)]


def _links(data: dict) -> list[Line]:
    image, more = data.get("image_url") or "", data.get("url") or ""
    return [Line(gettext("Image address"), image, http_url(image)),
            Line(gettext("Link for more information"), more, http_url(more))]
