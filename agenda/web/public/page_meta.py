"""What a link preview shows (Open Graph and Twitter card tags), for an event page (pure).

``base.html`` writes the tags from a ``page_meta`` (and a default set on pages without one);
Jinja escapes every value, so a title from a source cannot leave its attribute.
"""

from __future__ import annotations

from dataclasses import dataclass

from agenda.models import Event
from agenda.web.shared.links import http_url

SUMMARY_LIMIT = 200  # characters: what previews show before cutting


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    url: str  # the page's own address: canonical link and og:url
    image: str | None = None
    type: str = "website"


def event_meta(event: Event, *, title: str, when: str, place: str, url: str) -> PageMeta:
    """The preview of an event page: its title (as the page words it: "Annulé : …"),
    "when · where" and the start of its description, its image (http(s) only), its address."""
    lead = " · ".join(part for part in (when, place) if part)
    text = " ".join((event.description_text or "").split())
    summary = f"{lead}. {text}" if lead and text else (lead or text)
    return PageMeta(title=title, description=cut(summary, SUMMARY_LIMIT), url=url,
                    image=http_url(event.image_url), type="event")


def cut(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters, "…" marking the cut."""
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
