"""What the staff page tests share: accounts, signing in, CSRF tokens from the pages, proposals.

Import the fixtures into a test module (``from tests.web.staff import accounts``)."""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser

import pytest
from argon2 import PasswordHasher

from agenda.db import transaction
from agenda.models import Submission
from agenda.services import accounts as accounts_service
from agenda.services.accounts import create_user
from agenda.services.submissions import submit
from tests.services.proposals import event_data
from tests.web.pages import NOW

PASSWORD = "correct horse battery"
STAFF = "moderatrice@region.example"
ADMIN = "admin@region.example"
CONTACT = "benevole.prive@example.org"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def accounts(factory, monkeypatch):
    """A staff and an admin account (hashed with cheap parameters: the tests sign in often)."""
    monkeypatch.setattr(accounts_service, "HASHER",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    with transaction(factory) as session:
        for email, role in ((STAFF, "staff"), (ADMIN, "admin")):
            create_user(session, email=email, password=PASSWORD, role=role, now=NOW)
    return {"staff": STAFF, "admin": ADMIN}


def csrf_token(client, path: str = "/admin/login") -> str:
    page = client.get(path)
    match = _TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def sign_in(client, email: str = STAFF, password: str = PASSWORD, **extra):
    token = csrf_token(client)
    return client.post("/admin/login?lang=en", data={"csrf_token": token, "email": email,
                                                     "password": password, **extra})


def post(client, path: str, data: dict | None = None, *, token_from: str = "/admin/"):
    """POST ``data`` with a CSRF token taken from a staff page, as a browser would."""
    token = csrf_token(client, token_from)
    return client.post(path, data={"csrf_token": token, **(data or {})})


def propose(factory, settings, *, kind: str = "event", when: datetime = NOW,
            data: dict | None = None, **overrides) -> Submission:
    """A pending proposal (an event unless told), as the public form stores it."""
    with transaction(factory) as session:
        received = submit(session, kind=kind, data=data or event_data(**overrides),
                          contact_email=CONTACT, now=when, settings=settings)
        return received.submission


def form_values(html: str, action: str) -> dict[str, str | list[str]]:
    """What a browser would send for the form posting to ``action``, as it is filled."""
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.found, f"no form posting to {action}"
    return {k: v[0] if len(v) == 1 and k not in reader.multiple else v
            for k, v in reader.values.items()}


class _FormReader(HTMLParser):
    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action, self.found, self.inside = action, False, False
        self.values: dict[str, list[str]] = {}
        self.multiple: set[str] = set()
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
            self.found |= self.inside
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            checkable = a.get("type") in ("checkbox", "radio")
            if not checkable or "checked" in a:
                value = a.get("value") or ("on" if checkable else "")
                self.values.setdefault(a["name"], []).append(value)
        elif tag == "select":
            self.select, self.first_option = a.get("name"), None
            self.values.setdefault(self.select, [])
            if "multiple" in a:
                self.multiple.add(self.select)
        elif tag == "option" and self.select:
            self.first_option = a.get("value", "") if self.first_option is None \
                else self.first_option
            if "selected" in a:
                self.values[self.select].append(a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.values[self.textarea] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            chosen = self.values[self.select]
            if not chosen and self.select not in self.multiple and self.first_option is not None:
                chosen.append(self.first_option)  # a browser sends the first option
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.inside and self.textarea:
            first = not self.values[self.textarea][0]  # a browser drops the first newline
            self.values[self.textarea][0] += re.sub(r"^\r?\n", "", data) if first else data
