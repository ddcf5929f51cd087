"""Clean text at the door (controls, bidi, invisible characters, NFC) and printable excerpts."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest

from agenda import text_clean
from agenda.errors import CollectError, FetchError, ParseError
from agenda.text_clean import (
    clean_line,
    clean_text,
    clean_url,
    clean_values,
    printable,
    safe_excerpt,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"


@pytest.mark.parametrize("dirty, clean", [
    ("Forum\x00 ESS", "Forum ESS"),
    ("a\x1b]0;title\x07b", "a]0;titleb"),
    ("back\x08space\x7f", "backspace"),
    ("c1\x85\x9b\x80end", "c1end"),
    ("\u202eCIGAM\u202c", "CIGAM"),
    ("\u2066iso\u2069 \u200eltr\u200f \u061carabic", "iso ltr arabic"),
    ("zero\u200bwidth\u2060word\ufeffjoiner\u00adsoft", "zerowidthwordjoinersoft"),
    ("lines\r\nwindows\rmac\nunix", "lines\nwindows\nmac\nunix"),
    ("tab\tkept", "tab\tkept"),
    ("para\u2028sep\u2029end", "para\nsep\nend"),
    ("cafe\u0301", "café"),  # NFD to NFC
    ("lone \ud800 surrogate", "lone  surrogate"),
    (FAMILY, FAMILY),  # a ZWJ between two visible characters draws one emoji: kept
    ("a \u200d b", "a  b"),  # a ZWJ beside a space joins nothing: removed
    ("\u200d" + FAMILY, FAMILY),
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),
    (SCOTLAND, SCOTLAND),  # tag characters of a flag sequence are kept...
    ("x\U000e0067\U000e0062", "x"),  # ...and removed anywhere else
    ("Réemploi à Orléans", "Réemploi à Orléans"),
    ("", ""),
    (None, ""),
])
def test_clean_text(dirty, clean):
    assert clean_text(dirty) == clean


def test_the_format_characters_removed_are_every_cf_character_of_this_python():
    """The class is written out (no 1.1 million-character scan at import): a Python whose
    Unicode adds Cf characters makes this fail, and the class is then brought up to date."""
    pattern = re.compile(f"[{text_clean._FORMAT}]")
    cf = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert {ch for ch in cf if pattern.fullmatch(ch)} == cf
    assert not any(pattern.fullmatch(chr(c)) for c in range(0x3000) if chr(c) not in cf)


def test_every_control_but_tab_and_newline_goes():
    controls = "".join(chr(c) for c in [*range(0x20), *range(0x7f, 0xa0)])
    assert clean_text(f"a{controls}b") == "a\t\n\nb"  # tab, LF, and CR as LF


def test_a_clean_string_is_returned_as_it_is():
    value = "Forum régional de l'ESS"
    assert clean_text(value) is value


def test_clean_line_makes_one_line():
    assert clean_line("  Repair\n\n café\t\x00 \u202e ") == "Repair café"


@pytest.mark.parametrize("dirty, clean", [
    (" https://exemple.org/a\x00\x1b\u202e?b=1 ", "https://exemple.org/a?b=1"),
    ("https://exemple.org/a b", "https://exemple.org/a%20b"),
    ("https://exemple.org/\n  a\tb", "https://exemple.org/%20%20ab"),
    ("https://exemple.org/a\u00a0b", "https://exemple.org/a%C2%A0b"),
    ("javascript:alert(1)", "javascript:alert(1)"),  # the scheme is the parsers' business
])
def test_clean_url(dirty, clean):
    assert clean_url(dirty) == clean


def test_clean_values_cleans_every_string_of_a_json_value():
    data = {"title": "A\x00 \u202eB\n", "url": " https://x.org/a b", "n": 3, "none": None,
            "description_html": "<p>a\r\nb\x07</p>", "themes": ["re\u200bemploi"],
            "new_actor": {"name": " Cress\x1b ", "website": "https://x.org/\x00"}}
    assert clean_values(data, urls=("url", "website"), multiline=("description_html",)) == {
        "title": "A B", "url": "https://x.org/a%20b", "n": 3, "none": None,
        "description_html": "<p>a\nb</p>", "themes": ["reemploi"],
        "new_actor": {"name": "Cress", "website": "https://x.org/"}}


def test_printable_escapes_what_a_terminal_would_obey():
    assert printable("a\x1b]0;t\x07\u202e\u00a0é\n\x9b") == "a\\x1b]0;t\\x07\\u202e\u00a0é\\n\\x9b"
    assert printable("Forum régional") == "Forum régional"
    assert printable(None) == "None"


@pytest.mark.parametrize("value, excerpt", [
    ("x" * 60, "x" * 60),
    ("x" * 61, "x" * 59 + "…"),
    ("\x1b" * 30, "\\x1b" * 14 + "…"),  # an escape is never cut in the middle
    ("ab\x1b]0;pwned\x07", "ab\\x1b]0;pwned\\x07"),
])
def test_safe_excerpt_is_short_and_printable(value, excerpt):
    assert safe_excerpt(value) == excerpt
    assert len(safe_excerpt(value)) <= 60 and safe_excerpt(value).isprintable()


@pytest.mark.parametrize("error_class", [CollectError, FetchError, ParseError])
def test_a_collect_error_sentence_is_printable_whatever_it_was_given(error_class):
    error = error_class("The server said \x1b]0;pwned\x07.", code="x.y")
    assert error.message == str(error) == "The server said \\x1b]0;pwned\\x07."
    assert error.code == "x.y"
