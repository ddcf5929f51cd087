"""Reading JSON-LD values as CMS plugins write them: a string, a number, an object with
``@value``, or a list of these (the first one that reads is taken)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from agenda.collectors.normalize import clean_text


def as_list(value) -> list:
    """``value`` as a list: a list as it is, None as [], anything else alone in a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_of(value) -> str | None:
    """The text of a value: a string, a number, ``{"@value": ...}``, or a list's first text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return text_of(value.get("@value"))
    if isinstance(value, list):
        return next((text for text in map(text_of, value[:20]) if text), None)
    return None


def type_names(value) -> list[str]:
    """The local names of ``@type`` (or of an enumeration value): "https://schema.org/Event",
    "schema:Event" and "Event" all give "Event"."""
    names = []
    for item in as_list(value)[:20]:
        if isinstance(item, str) and item.strip():
            names.append(item.strip().rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    return names


def safe_excerpt(value: str) -> str:
    """A short, one-line piece of a source's value, to quote in a warning."""
    return clean_text(value, 40)


def absolute_url(value: str | None, page_url: str) -> str | None:
    """``value`` made absolute against the page; None unless it is an http(s) address."""
    if not value:
        return None
    url = value.strip()
    try:
        if not url.lower().startswith(("http://", "https://")):  # urljoin costs; most are absolute
            url = urljoin(page_url or "", url)
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None
