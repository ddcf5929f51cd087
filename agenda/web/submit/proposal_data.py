"""From a checked form to the proposal's data (``Submission.data``), and back to the form's
values when the submitter edits it (pure: plain values in, plain values out).

The data shape is described in ``agenda.services.proposals``.  A description typed as plain text
comes back as plain text (its paragraphs and line breaks); one with formatting comes back as its
HTML.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time

from agenda.services.proposals import sanitize_description
from agenda.text_clean import clean_values

_PLAIN_TAGS = re.compile(r"</?(p|br)\s*/?>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")


def event_data(values: dict, *, campaign_id: int | None) -> dict:
    """The data of an event proposal from the form's values (``form.data``), cleaned."""
    all_day = bool(values.get("all_day"))
    repeats = values.get("recurrence") or ""
    return clean_proposal({
        "title": values["title"],
        "all_day": all_day,
        "start": _moment(values["start_date"], values.get("start_time"), all_day),
        "end": _moment(values.get("end_date") or values["start_date"], values.get("end_time"),
                       all_day),
        "recurrence": repeats,
        "until": values["until"].isoformat() if repeats and values.get("until") else "",
        **{key: values.get(key) or "" for key in
           ("location_name", "address", "postcode", "city", "online_url")},
        "description_html": sanitize_description(values.get("description")),
        "themes": _unique(values.get("themes")),
        **organiser_data(values),
        "public_contact": values.get("public_contact") or "",
        "image_url": values.get("image_url") or "",
        "url": values.get("url") or "",
        "campaign_id": campaign_id,
    })


def initiative_data(values: dict) -> dict:
    """The data of an initiative proposal from the form's values, cleaned."""
    return clean_proposal({
        "title": values["title"],
        "description_html": sanitize_description(values.get("description")),
        **organiser_data(values),
        "themes": _unique(values.get("themes")),
        "department": values.get("department") or "",
        "territory": values.get("territory") or "",
        "url": values.get("url") or "",
        "status": values.get("status") or "active",
    })


def clean_proposal(data: dict) -> dict:
    """The one cleaning of a proposal before it is stored: every text without control or
    invisible characters, in NFC (``agenda.text_clean``); the description keeps its lines."""
    return clean_values(data, urls=_URL_KEYS, multiline=("description_html",))


_URL_KEYS = ("online_url", "image_url", "url", "website")


def organiser_data(values: dict) -> dict:
    """``actor_id`` (an actor of the list) or ``new_actor`` (the one described)."""
    chosen = values.get("actor_id") or ""
    if chosen:
        return {"actor_id": int(chosen), "new_actor": None}
    return {"actor_id": None, "new_actor": {
        "name": " ".join((values.get("new_actor_name") or "").split()),
        "kind": values.get("new_actor_kind") or "",
        "website": values.get("new_actor_website") or "",
    }}


def event_defaults(data: dict) -> dict:
    """The event form's values for a stored proposal (to edit it)."""
    all_day = bool(data.get("all_day"))
    start_date, start_time = _parse_moment(data.get("start"))
    end_date, end_time = _parse_moment(data.get("end"))
    campaign = data.get("campaign_id")
    return {
        **_common_defaults(data),
        "all_day": all_day,
        "start_date": start_date, "start_time": None if all_day else start_time,
        "end_date": end_date, "end_time": None if all_day else end_time,
        "recurrence": data.get("recurrence") or "",
        "until": date.fromisoformat(data["until"]) if data.get("until") else None,
        **{key: data.get(key) or "" for key in ("location_name", "address", "postcode", "city",
                                                "online_url", "public_contact", "image_url",
                                                "url")},
        "campaign": str(campaign) if campaign else "",
    }


def initiative_defaults(data: dict) -> dict:
    """The initiative form's values for a stored proposal."""
    return {**_common_defaults(data), "department": data.get("department") or "",
            "territory": data.get("territory") or "", "url": data.get("url") or "",
            "status": data.get("status") or "active"}


def description_source(description_html: str) -> str:
    """What the submitter would type to get this description again: plain text with blank
    lines between paragraphs when it only has paragraphs and line breaks, else its HTML."""
    if not description_html:
        return ""
    if not all(_PLAIN_TAGS.fullmatch(tag) for tag in _ANY_TAG.findall(description_html)):
        return description_html
    text = re.sub(r"</p>\s*", "\n\n", description_html, flags=re.IGNORECASE)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    return html.unescape(_ANY_TAG.sub("", text)).strip()


def _common_defaults(data: dict) -> dict:
    new_actor = data.get("new_actor") or {}
    return {
        "title": data.get("title") or "",
        "description": description_source(data.get("description_html") or ""),
        "themes": list(data.get("themes") or []),
        "actor_id": str(data["actor_id"]) if data.get("actor_id") else "",
        "new_actor_name": new_actor.get("name") or "",
        "new_actor_kind": new_actor.get("kind") or "",
        "new_actor_website": new_actor.get("website") or "",
    }


def _moment(day: date, at: time | None, all_day: bool) -> str:
    if all_day or at is None:
        return day.isoformat()
    return f"{day.isoformat()}T{at:%H:%M}"


def _parse_moment(value: str | None) -> tuple[date | None, time | None]:
    if not value:
        return None, None
    if "T" not in value:
        return date.fromisoformat(value), None
    moment = datetime.fromisoformat(value)
    return moment.date(), moment.time().replace(second=0, microsecond=0)


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values or []))
