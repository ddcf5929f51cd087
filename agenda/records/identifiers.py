"""The numbers that identify a French organisation, read and checked (pure).

    siren("732 829 320")  -> "732829320"     (None: not a valid SIREN)
    siret("73282932000074") -> "73282932000074"
    rna("w372001234")     -> "W372001234"
    check_numbers(siren=..., siret=..., rna=...) -> (clean values, problems)

SIREN (9 digits) and SIRET (14 digits: the SIREN and a 5-digit establishment number) carry a
Luhn check digit.  La Poste's establishments are the documented exception: SIREN 356000000,
whose establishments' SIRETs have a sum of digits divisible by 5 instead (its head office,
356 000 000 00048, has a Luhn check digit as every other SIRET).  An RNA number (the register of
associations) is "W" and nine characters: the department's code (two characters, "2A"/"2B" in
Corsica), then a digit or a sub-prefecture's letter, then six digits.  Spaces,
dots and dashes people type are removed before checking.
"""

from __future__ import annotations

import re

LA_POSTE_SIREN = "356000000"
_RNA = re.compile(r"W[0-9][0-9AB][0-9A-Z][0-9]{6}")
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f]+")


def _digits(value: str | None) -> str:
    return _SEPARATORS.sub("", str(value or "")).upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = int(char)
        if position % 2:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def siren(value: str | None) -> str | None:
    """The SIREN, cleaned, when it is nine digits with a valid check digit; else None."""
    text = _digits(value)
    if len(text) == 9 and text.isascii() and text.isdigit() and luhn_valid(text):
        return text
    return None


def siret(value: str | None) -> str | None:
    """The SIRET, cleaned, when it is 14 digits that check (Luhn, or La Poste's rule)."""
    text = _digits(value)
    if not (len(text) == 14 and text.isascii() and text.isdigit()):
        return None
    if luhn_valid(text):  # La Poste's head office too: 356 000 000 00048
        return text
    if text.startswith(LA_POSTE_SIREN):
        return text if sum(int(c) for c in text) % 5 == 0 else None
    return None


def rna(value: str | None) -> str | None:
    """The RNA number, cleaned and upper-cased, when it has the register's shape; else None."""
    text = _digits(value)
    return text if _RNA.fullmatch(text) else None


def check_numbers(*, siren_value: str | None = None, siret_value: str | None = None,
                  rna_value: str | None = None) -> tuple[dict[str, str | None], list[dict]]:
    """The numbers cleaned, and a problem for each one given but invalid.

    The SIREN is taken from a valid SIRET when it is not given; a SIRET whose first nine
    digits are not the given SIREN is a problem.  Problems are ``{"field", "value", "code"}``
    (codes ``siren.invalid``, ``siret.invalid``, ``rna.invalid``, ``siret.other_siren``)."""
    problems: list[dict] = []
    clean = {"siren": siren(siren_value), "siret": siret(siret_value), "rna": rna(rna_value)}
    for field, raw in (("siren", siren_value), ("siret", siret_value), ("rna", rna_value)):
        if _digits(raw) and clean[field] is None:
            problems.append({"field": field, "value": str(raw)[:40], "code": f"{field}.invalid"})
    if clean["siret"]:
        if clean["siren"] is None and not _digits(siren_value):
            clean["siren"] = clean["siret"][:9] if siren(clean["siret"][:9]) else None
        elif clean["siren"] and clean["siret"][:9] != clean["siren"]:
            problems.append({"field": "siret", "value": clean["siret"],
                             "code": "siret.other_siren"})
    return clean, problems


def numbers_in(text: str | None) -> dict[str, str]:
    """The valid SIRET, SIREN or RNA numbers written in a free text (an organiser field):
    ``{"siren": ..., "rna": ...}`` with what was found."""
    found: dict[str, str] = {}
    for match in re.finditer(r"\bW[0-9][0-9AB][0-9A-Z][0-9]{6}\b", str(text or "").upper()):
        found.setdefault("rna", match.group(0))
    for match in re.finditer(r"(?<![0-9])[0-9](?:[ .]?[0-9]){8,13}(?![0-9])", str(text or "")):
        digits = _digits(match.group(0))
        if len(digits) == 14 and siret(digits):
            found.setdefault("siren", digits[:9])
        elif len(digits) == 9 and siren(digits):
            found.setdefault("siren", digits)
    return found
