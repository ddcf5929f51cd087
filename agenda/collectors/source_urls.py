"""What a source's address says about it, before any download (pure).

- ``<root>/v2/agendas/<uid>/events`` (any host: tests and the demo serve it on loopback) is an
  OpenAgenda API events address; ``https://openagenda.com/<slug>`` (also ``/fr/<slug>``,
  ``/agendas/<uid>``) is an agenda's page on OpenAgenda, whose uid the API gives
  (``GET https://api.openagenda.com/v2/agendas?slug=<slug>``).
- ``.../wp-json/tribe/events/v1/events`` is The Events Calendar's REST API (WordPress).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from agenda.collectors.openagenda import API_ROOT
from agenda.collectors.tribe_events import API_PATH as TRIBE_PATH

OPENAGENDA_HOSTS = frozenset({"openagenda.com", "www.openagenda.com"})
_OA_EVENTS = re.compile(r"^(?P<root>.*/v2)/agendas/(?P<uid>[^/]+)/events/?$")
_OA_PAGE = re.compile(r"^/(?:[a-z]{2}/)?(?P<kind>agendas/)?(?P<name>[A-Za-z0-9_.-]+)/?$")
_OA_NOT_AGENDAS = frozenset({"fr", "en", "agendas", "events", "login", "signin", "settings",
                             "search", "home", "pro"})


@dataclass(frozen=True)
class OpenAgendaAddress:
    """An agenda on OpenAgenda: the API root, and its uid or (to be resolved) its slug."""

    api_root: str
    uid: str | None = None
    slug: str | None = None


def kind_of_url(url: str) -> str | None:
    """``"openagenda"`` or ``"tribe"`` when the address says so, else None (ask the content)."""
    if openagenda_address(url) is not None:
        return "openagenda"
    if _path(url).rstrip("/").endswith(TRIBE_PATH):
        return "tribe"
    return None


def openagenda_address(url: str) -> OpenAgendaAddress | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if match := _OA_EVENTS.match(parts.path):
        root = urlunsplit((parts.scheme, parts.netloc, match["root"], "", ""))
        return OpenAgendaAddress(api_root=root, uid=match["uid"])
    if parts.hostname.lower() in OPENAGENDA_HOSTS and (match := _OA_PAGE.match(parts.path)):
        if match["kind"] and match["name"].isdigit():
            return OpenAgendaAddress(api_root=API_ROOT, uid=match["name"])
        if not match["kind"] and match["name"].lower() not in _OA_NOT_AGENDAS:
            return OpenAgendaAddress(api_root=API_ROOT, slug=match["name"])
    return None


def openagenda_slug_request(api_root: str, slug: str, key: str | None) -> tuple[str, dict]:
    """The URL and headers that ask the API for the agenda of ``slug`` (the key in a header)."""
    url = f"{api_root.rstrip('/')}/agendas?{urlencode({'slug': slug})}"
    return url, _key_headers(key)


def _key_headers(key: str | None) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if key:
        headers["key"] = key
    return headers


def tribe_first_page(url: str, *, start_date: str, per_page: int = 50) -> str:
    """The first page to ask of a The Events Calendar site: the source's address when it is the
    API's (its own parameters kept), else the API of the same site; events from
    ``start_date`` on, unless the address already says from when."""
    parts = urlsplit(url.strip())
    is_api = parts.path.rstrip("/").endswith(TRIBE_PATH)
    query = dict(parse_qsl(parts.query, keep_blank_values=True)) if is_api else {}
    query.setdefault("start_date", start_date)
    query.setdefault("per_page", str(per_page))
    path = parts.path if is_api else TRIBE_PATH
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def _path(url: str) -> str:
    try:
        return urlsplit(url.strip()).path
    except ValueError:
        return ""
