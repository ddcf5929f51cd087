"""What a visitor does on the web machines of ``cluster``: read pages and feeds, sign in with
the form (its CSRF token), find an event in a page, a feed or the API."""

from __future__ import annotations

import re

import requests

TIMEOUT = 30  # seconds per request: a safety net for a loaded machine
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def visitor() -> requests.Session:
    """A browser of its own (cookies), reading English pages."""
    browser = requests.Session()
    browser.headers["Accept-Language"] = "en"
    return browser


def carrying(session_cookie: str) -> requests.Session:
    """Another browser holding only a copy of this session cookie (for every loopback port:
    cookies do not tell ports apart, as browsers do not)."""
    browser = visitor()
    browser.cookies.set("session", session_cookie, domain="127.0.0.1", path="/")
    return browser


def get(base: str, path: str, browser: requests.Session | None = None,
        **kwargs) -> requests.Response:
    return (browser or requests).get(base + path, timeout=TIMEOUT, allow_redirects=False,
                                     **kwargs)


def csrf_token(browser: requests.Session, base: str, path: str) -> str:
    page = get(base, path, browser)
    found = _TOKEN.search(page.text)
    assert found, f"no CSRF token on {base}{path} ({page.status_code})"
    return found[1]


def sign_in(browser: requests.Session, base: str, email: str,
            password: str) -> requests.Response:
    token = csrf_token(browser, base, "/admin/login")
    return browser.post(f"{base}/admin/login", data={"csrf_token": token, "email": email,
                                                     "password": password},
                        timeout=TIMEOUT, allow_redirects=False)


def unfolded(ics: bytes) -> str:
    """An iCalendar body with its folded lines joined again."""
    return ics.replace(b"\r\n ", b"").decode("utf-8")


def vevent_of(ics: bytes, uid_part: str) -> str | None:
    """The VEVENT block whose UID contains ``uid_part`` (None: not in the calendar)."""
    for block in unfolded(ics).split("BEGIN:VEVENT")[1:]:
        uid = re.search(r"^UID:(.*)$", block, re.M)
        if uid and uid_part in uid[1]:
            return block.split("END:VEVENT")[0]
    return None


def listed_in_page(base: str, path: str, event_id: str) -> bool:
    """Whether the page links to the event's page."""
    page = get(base, path)
    assert page.status_code == 200, f"{base}{path}: {page.status_code}"
    return f"/evenements/{event_id}" in page.text


def listed_in_api(base: str, query: str, event_id: str) -> bool:
    answer = get(base, "/api/events" + query)
    assert answer.status_code == 200, f"{base}/api/events{query}: {answer.status_code}"
    return any(item["event_id"] == event_id for item in answer.json()["items"])
