"""The links of a listing page to follow one level, for a site whose listing carries no
JSON-LD events but whose event pages do (pure: fetching them is the caller's business).

Kept: links on the same site (``www.`` aside), over http(s), not to the page itself, not to
files (images, PDF, calendars), not to the CMS's machinery (feeds, log in, search, pages of
the listing itself). Links that look like event pages come first: under the listing's own
path (``/agenda/`` -> ``/agenda/repair-cafe``) or with an event word in the path
(``/evenement/``, ``/event/``, ``/manifestation/``...); the others follow, each group in the
page's order, up to ``cap`` links.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from agenda.collectors.jsonld import page_text

_EVENT_WORDS = frozenset({
    "agenda", "event", "events", "evenement", "evenements", "événement", "événements",
    "évènement", "évènements", "manifestation", "manifestations", "rendez-vous", "atelier",
    "ateliers", "sortie", "sorties",
})
_NOT_PAGES = re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|odt|ods|zip|ics|ical|xml|"
                        r"rss|css|js|mp3|mp4)$|/(feed|wp-admin|wp-login\.php|wp-json|login|"
                        r"connexion|search|recherche|page/\d+)(/|$)", re.IGNORECASE)
# Exports and feeds given as a query on a page: ?ical=1, ?feed=rss2, ?format=json...
_NOT_PAGE_QUERIES = re.compile(r"(^|&)(ical|ics|feed|format|output|outlook-ical)=", re.IGNORECASE)


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_to_event_pages(body: bytes, page_url: str, cap: int) -> list[str]:
    """At most ``cap`` same-site page addresses linked from ``body``, event-like ones first."""
    parser = _Anchors()
    parser.feed(page_text(body))
    parser.close()
    page = _canonical(page_url)
    if page is None or cap <= 0:
        return []
    likely, others, seen = [], [], {page}
    for href in parser.hrefs:
        url = _canonical(urljoin(page_url, href.strip()))
        if url is None or url in seen or not _same_site(url, page) or not _is_page(url):
            continue
        seen.add(url)
        (likely if _looks_like_event(url, page) else others).append(url)
    return (likely + others)[:cap]


def _canonical(url: str) -> str | None:
    """The http(s) address without its fragment; None for anything else."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


def _same_site(url: str, page: str) -> bool:
    return _host(url) == _host(page)


def _is_page(url: str) -> bool:
    parts = urlsplit(url)
    return not _NOT_PAGES.search(parts.path) and not _NOT_PAGE_QUERIES.search(parts.query)


def _looks_like_event(url: str, page: str) -> bool:
    """Under the listing's path, or one level below a folder named like an agenda."""
    path, listing = urlsplit(url).path, urlsplit(page).path.rstrip("/") + "/"
    if listing != "/" and path.startswith(listing) and len(path.rstrip("/")) > len(listing):
        return True
    folders = [unquote(part).lower() for part in path.split("/") if part][:-1]
    return any(folder in _EVENT_WORDS for folder in folders)
