"""Clean text at the door, and print it safely at the other end (pure, standard library only).

Every text and URL from a source or a form goes through :func:`clean_text` (or its one-line and
URL forms) before it is stored:

- control characters go: C0 except tab and newline (CR and CR LF become a newline), DEL, C1;
  NUL therefore never reaches the database;
- invisible formatting characters go: every character of Unicode category Cf, among them the
  bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the marks U+200E,
  U+200F, U+061C, U+200B, U+2060, U+FEFF and the soft hyphen; lone surrogates go too.
  Two uses of Cf characters that draw something are kept: U+200D (zero-width joiner) and U+200C
  (non-joiner) *between two visible characters* (emoji sequences such as the family emoji, and
  the scripts that need them), and the tag characters of an emoji flag sequence (U+1F3F4
  followed by tags and CANCEL TAG, e.g. the flag of Scotland);
- the line and paragraph separators U+2028/U+2029 become newlines;
- the result is in Unicode NFC.

:func:`printable` and :func:`safe_excerpt` are for the other end: what goes to a terminal or a
log shows its non-printable characters as escapes (ESC as ``\\x1b``), never raw.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Every Cf character of Unicode 14 (Python 3.11); tests/test_text_clean.py checks it against
# unicodedata, so that a newer Python's new Cf characters are noticed.
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_SURROGATE = "\ud800-\udfff"
_UNWANTED = re.compile(f"[{_CONTROL}{_FORMAT}{_SURROGATE}\u2028\u2029]")
# What survives: a flag's tag sequence, and a joiner between two visible characters.
_KEPT = re.compile(
    "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    f"|(?<=[^\\s{_CONTROL}{_FORMAT}])[\u200c\u200d](?=[^\\s{_CONTROL}{_FORMAT}])"
)
_LINE_ENDS = re.compile("\r\n?|[\u2028\u2029]")
_URL_SPACE = re.compile(r"\s")


def clean_text(value: str | None) -> str:
    """``value`` without control and invisible formatting characters, in NFC; tabs and line
    breaks are kept (CR LF and CR become LF), nothing else about spacing changes."""
    if not value:
        return ""
    text = str(value)
    if _may_have_unwanted(text) and _UNWANTED.search(text) is not None:
        text = _LINE_ENDS.sub("\n", text)
        text = "".join(_without_unwanted(text))
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def is_clean_text(text: str) -> bool:
    """True when :func:`clean_text` would give ``text`` back unchanged (one regex search)."""
    if _may_have_unwanted(text) and _UNWANTED.search(text) is not None:
        return False
    return text.isascii() or unicodedata.is_normalized("NFC", text)


def _may_have_unwanted(text: str) -> bool:
    """False when ``text`` surely has no unwanted character: every one of them is
    non-printable, and ``str.isprintable`` runs about five times faster than the regex (the
    usual spaces, which are not "printable", are set aside first)."""
    return not (text.replace("\n", " ").replace("\t", " ").replace("\xa0", " ")
                .replace("\u202f", " ").isprintable())


def _without_unwanted(text: str):
    """Pieces of ``text`` with the unwanted characters left out (kept sequences kept)."""
    position = 0
    for kept in _KEPT.finditer(text):
        yield _UNWANTED.sub("", text[position:kept.start()])
        yield kept.group()
        position = kept.end()
    yield _UNWANTED.sub("", text[position:])


def clean_line(value: str | None) -> str:
    """:func:`clean_text` on one line: every run of white space (line breaks included) becomes
    one space, and the ends are stripped."""
    return " ".join(clean_text(value).split())


def clean_url(value: str | None) -> str:
    """:func:`clean_text` for a web address: the ends stripped, tabs and line breaks inside
    removed (as browsers do), any other white space percent-encoded.  The scheme is not
    checked here (the parsers and the forms keep http(s) only)."""
    text = clean_text(value).strip()
    text = text.replace("\t", "").replace("\n", "")
    return _URL_SPACE.sub(lambda match: quote(match.group()), text)


def clean_values(data, *, urls=(), multiline=()):
    """A copy of a JSON-like value (dicts, lists, strings...) with every string cleaned: the
    strings under a key of ``urls`` by :func:`clean_url`, of ``multiline`` by
    :func:`clean_text`, every other one by :func:`clean_line`."""
    return _clean_value(data, None, frozenset(urls), frozenset(multiline))


def _clean_value(value, key, urls, multiline):
    if isinstance(value, str):
        if key in urls:
            return clean_url(value)
        return clean_text(value) if key in multiline else clean_line(value)
    if isinstance(value, dict):
        return {k: _clean_value(v, k, urls, multiline) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_clean_value(v, key, urls, multiline) for v in value)
    return value


def printable(value) -> str:
    """``value`` as text with every non-printable character escaped (``\\x1b``, ``\\u202e``,
    ``\\n``...): safe on a terminal and in a log line.  Spaces of every kind are kept."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(_printable_char(ch) for ch in text)


def _printable_char(ch: str) -> str:
    if ch.isprintable() or unicodedata.category(ch) == "Zs":
        return ch
    if ch in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def safe_excerpt(value, limit: int = 60) -> str:
    """A short, printable excerpt of ``value`` for an error sentence: escaped like
    :func:`printable`, at most ``limit`` characters, with an ellipsis when it was cut."""
    pieces, length = [], 0
    for ch in str(value):
        pieces.append(_printable_char(ch))
        length += len(pieces[-1])
        if length > limit:
            break
    else:
        return "".join(pieces)
    kept, length = [], 0
    for piece in pieces:
        if length + len(piece) > limit - 1:
            break
        kept.append(piece)
        length += len(piece)
    return "".join(kept) + "…"
