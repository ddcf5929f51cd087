"""The one-click subscription links of a calendar feed (pure): the https address to copy, its
webcal:// twin (Apple Calendar, Thunderbird), Google Agenda's and Outlook's "add by URL" pages.

webcal:// does nothing on Android: Google Agenda is given the webcal URL (its ``cid`` accepts it
and then refreshes the calendar by itself), Outlook the https one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from agenda.web.shared.links import webcal_url

GOOGLE = "https://calendar.google.com/calendar/render?cid="
OUTLOOK = "https://outlook.live.com/calendar/0/addfromweb?url="
DEFAULT_NAME = "Agenda commun"


@dataclass(frozen=True)
class SubscribeLinks:
    https: str
    webcal: str
    google: str
    outlook: str


def subscribe_links(ics_url: str, name: str | None = None) -> SubscribeLinks:
    """The links that subscribe a calendar application to ``ics_url`` (absolute http(s))."""
    webcal = webcal_url(ics_url)
    return SubscribeLinks(
        https=ics_url, webcal=webcal,
        google=GOOGLE + quote(webcal, safe=""),
        outlook=f"{OUTLOOK}{quote(ics_url, safe='')}&name={quote(name or DEFAULT_NAME, safe='')}")
