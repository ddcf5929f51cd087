"""The shape of a proposal (what the forms produce, what moderation shows), pure.

A proposal's ``data`` is a plain dict (stored as JSON on the submission).  Its keys, in the
order people read them, are ``EVENT_FIELDS``, ``INITIATIVE_FIELDS`` or ``ACTOR_FIELDS``; the
private contact e-mail is not part of it (it is a column of its own, never published).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3

from agenda.collectors.sanitize import looks_like_html, text_to_html

EVENT_FIELDS = (
    "title", "all_day", "start", "end", "recurrence", "until", "location_name", "address",
    "postcode", "city", "online_url", "description_html", "themes", "actor_id", "new_actor",
    "public_contact", "image_url", "url", "campaign_id",
)
INITIATIVE_FIELDS = (
    "title", "description_html", "actor_id", "new_actor", "themes", "department", "territory",
    "url", "status",
)
# An actor proposed by the public (the actor's name is the title; its public contact is
# public_email/public_phone; actor_id: the actor it made, once approved).
ACTOR_FIELDS = (
    "title", "structure", "kind", "approvals", "siren", "siret", "rna", "themes",
    "description_html", "website", "public_email", "public_phone", "address", "postcode",
    "city", "actor_id",
)
FIELDS = {"event": EVENT_FIELDS, "initiative": INITIATIVE_FIELDS, "actor": ACTOR_FIELDS}

# The small formatting a proposal's description may keep.
DESCRIPTION_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a"}
DESCRIPTION_ATTRIBUTES = {"a": {"href"}}
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")


@dataclass(frozen=True)
class Change:
    field: str
    old: object
    new: object


def sanitize_description(value: str | None) -> str:
    """The description as safe HTML: the small subset above kept (links http(s)/mailto only);
    plain text gets its paragraphs and line breaks."""
    value = (value or "").strip()
    if not value:
        return ""
    html = value if looks_like_html(value) else text_to_html(value)
    cleaned = nh3.clean(html, tags=DESCRIPTION_TAGS, attributes=DESCRIPTION_ATTRIBUTES,
                        url_schemes={"http", "https", "mailto"},
                        link_rel="noopener nofollow ugc")
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()


def diff_proposals(old: dict | None, new: dict) -> list[Change]:
    """What changed between two versions of a proposal, field by field, in reading order."""
    if old is None:
        return []
    keys = [k for k in _ordered_keys(old, new) if old.get(k) != new.get(k)]
    return [Change(k, old.get(k), new.get(k)) for k in keys]


def _ordered_keys(old: dict, new: dict) -> list[str]:
    known = EVENT_FIELDS + tuple(k for k in INITIATIVE_FIELDS if k not in EVENT_FIELDS)
    extra = sorted((old.keys() | new.keys()) - set(known))
    return [k for k in known if k in old or k in new] + extra
