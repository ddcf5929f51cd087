"""HTML from sources is reduced to a safe subset with nh3 before it is stored."""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h3", "h4", "h5", "h6", "i", "li",
    "ol", "p", "pre", "s", "strong", "sub", "sup", "u", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre|div)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def sanitize_html(value: str | None) -> str:
    """Keep only harmless formatting; scripts, styles, handlers and javascript: URLs go."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow ugc",
    ).strip()


def html_to_text(value: str | None) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, blank runs squeezed."""
    if not value:
        return ""
    with_breaks = _BLOCK_END.sub("\n", value) if "<" in value else value
    cleaned = nh3.clean(with_breaks, tags=set(), attributes={})
    text = html.unescape(_TAG.sub("", cleaned))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def text_to_html(value: str | None) -> str:
    """HTML for a plain-text description: escaped, paragraphs and line breaks kept."""
    if not value:
        return ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value.strip()) if p.strip()]
    return "".join(
        "<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs
    )


def looks_like_html(value: str) -> bool:
    return bool(re.search(r"<(p|br|a|b|i|em|strong|ul|ol|li|div|span|h\d)\b[^>]*>", value, re.I))
