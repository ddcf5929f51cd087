"""Compare forms of titles, places, organisers and links (pure; cached, as a collection asks the
same titles again and again).

A title is folded to its meaningful words: no accents, case or punctuation, the usual
abbreviations of the field written one way ("assemblée générale" -> "ag", "économie sociale et
solidaire" -> "ess"; a film shown, "projection" or "ciné-débat", is one word), small words,
numbers (years, dates), words that only say how it is held ("webinaire", "en ligne",
"gratuit") and the name of its own town set aside, a final plural "s" dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_ACCENTS = re.compile("[\u0300-\u036f]+")   # combining marks left by NFKD

# Written one way: (folded phrase, its short form).  Longest phrases first.
ABBREVIATIONS = [
    ("economie sociale et solidaire", "ess"),
    ("economie sociale solidaire", "ess"),
    ("insertion par l activite economique", "iae"),
    ("insertion par activite economique", "iae"),
    ("societes cooperatives et participatives", "scop"),
    ("societe cooperative et participative", "scop"),
    ("societes cooperatives d interet collectif", "scic"),
    ("societe cooperative d interet collectif", "scic"),
    ("assemblees generales", "ag"),
    ("assemblee generale", "ag"),
    ("repair cafe", "repaircafe"),
    ("repar cafe", "repaircafe"),
    ("reparcafe", "repaircafe"),
    ("petit dejeuner", "petitdej"),
    ("petit dej", "petitdej"),
    ("tiers lieux", "tierslieu"),
    ("tiers lieu", "tierslieu"),
    ("cine debat", "cinedebat"),        # a film shown, whatever the source calls it
    ("cine rencontre", "cinedebat"),
    ("cine discussion", "cinedebat"),
    ("projection debat", "cinedebat"),
    ("projection rencontre", "cinedebat"),
    ("projection", "cinedebat"),
    ("cafe debat", "cafedebat"),
]
_ABBREVIATION = re.compile(
    r"\b(" + "|".join(re.escape(long) for long, _ in ABBREVIATIONS) + r")\b")
_SHORT = dict(ABBREVIATIONS)

SMALL_WORDS = frozenset(
    "a au aux avec ce ces cet cette chez d dans de des du en et l la le les leur ou par pour "
    "qu que sa se ses son sur un une vos votre nos notre "
    "an and at for in of on the to with".split())
MODE_WORDS = frozenset("webinaire webinaires webinar visio visioconference ligne distanciel "
                       "gratuit gratuite".split())
ORGANIZER_WORDS = frozenset("association asso assoc collectif".split())


def fold(text: str | None) -> str:
    """Lower case, without accents or punctuation: "Répar’Café !" -> "repar cafe"."""
    if not text:
        return ""
    folded = text.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded.translate(_LIGATURES))
        folded = _ACCENTS.sub("", folded)
    return " ".join(_NOT_WORD.sub(" ", folded).split())


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


@lru_cache(maxsize=65536)
def town_words(city: str | None) -> frozenset[str]:
    return frozenset(_singular(w) for w in fold(city).split() if w not in SMALL_WORDS)


@lru_cache(maxsize=262144)
def fold_title(title: str, city: str | None = None) -> str:
    """The title's meaningful words, in order, joined by spaces."""
    words = _meaningful(_ABBREVIATION.sub(lambda m: _SHORT[m.group(1)], fold(title)),
                        MODE_WORDS, town_words(city))
    return " ".join(words)


@lru_cache(maxsize=65536)
def fold_place(name: str | None, city: str | None = None) -> str:
    return " ".join(_meaningful(fold(name), frozenset(), town_words(city), numbers=True))


@lru_cache(maxsize=65536)
def fold_organizer(name: str | None, city: str | None = None) -> str:
    return " ".join(_meaningful(fold(name), ORGANIZER_WORDS, town_words(city)))


def _meaningful(folded: str, noise: frozenset[str], town: frozenset[str],
                numbers: bool = False) -> list[str]:
    words = [_singular(w) for w in folded.split()
             if w not in SMALL_WORDS and w not in noise and (numbers or not w.isdigit())]
    without_town = [w for w in words if w not in town]
    return without_town or words


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


_TRACKING = ("utm_", "fbclid", "gclid", "mc_", "xtor")


@lru_cache(maxsize=65536)
def normalize_url(url: str | None) -> str:
    """Compare form of a link ("" when it says nothing of one event: none, or a site's home):
    no scheme, "www.", fragment, tracking parameters or final slash."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query)
                             if not k.lower().startswith(_TRACKING)))
    if not host or (not path and not query):
        return ""
    return f"{host}{path}" + (f"?{query}" if query else "")
