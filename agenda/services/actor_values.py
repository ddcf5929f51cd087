"""An actor's values checked and cleaned before they are stored (pure).

``checked_values(values, region=...)`` -> (clean values, problems).  Every text is cleaned as
all text from outside (``agenda.text_clean``); the SIREN, SIRET and RNA numbers are checked
(``agenda.records.identifiers``); the structure must be one of ``STRUCTURES`` (the French words
people write, "coopérative", "mutuelle", "SCIC"..., are recognised); themes are the region's
slugs (a theme's label or keyword is recognised too); the description is sanitised HTML (plain
text gets its paragraphs) with its text beside it.  A value that cannot be accepted is left out
and named in a problem ``{"field", "value", "code"}``; what the caller does with problems is
its choice (a form refuses, an import keeps them as flags).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from agenda.collectors.sanitize import html_to_text
from agenda.models.actor import STRUCTURES
from agenda.records.identifiers import check_numbers
from agenda.region import Region
from agenda.services.proposals import sanitize_description
from agenda.text_clean import clean_line, clean_url

# The values an actor is saved from (Actor's columns, and "city" and "description" as given).
FIELDS = ("name", "structure", "kind", "approvals", "siren", "siret", "rna", "website",
          "themes", "description", "contact_email", "contact_phone", "address", "postcode",
          "city", "department", "lat", "lon")
LIMITS = {"name": 200, "kind": 50, "website": 2000, "contact_email": 254, "contact_phone": 40,
          "address": 500, "postcode": 10, "city": 200, "department": 3}
APPROVAL_MAX, APPROVALS_MAX = 100, 20
_EMAIL = re.compile(r"[^@\s\"'<>(),;:\\\[\]]{1,64}@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
                    r"[a-z]{2,63}", re.IGNORECASE)
# French words for the kinds of structure, as imports and people write them (accents removed).
STRUCTURE_WORDS = {
    "association": "association", "asso": "association", "loi 1901": "association",
    "cooperative": "cooperative", "scop": "cooperative", "scic": "cooperative",
    "cae": "cooperative", "coop": "cooperative",
    "mutual": "mutual", "mutuelle": "mutual",
    "foundation": "foundation", "fondation": "foundation", "fonds de dotation": "foundation",
    "company": "company", "entreprise": "company", "esus": "company", "sas": "company",
    "sarl": "company", "entreprise de l'ess": "company",
    "public": "public", "collectivite": "public", "collectivite territoriale": "public",
    "etablissement public": "public", "commune": "public",
    "other": "other", "autre": "other",
}
_ACCENTS = str.maketrans("àâäéèêëîïôöùûüç", "aaaeeeeiioouuuc")


def checked_values(values: dict, *, region: Region) -> tuple[dict, list[dict]]:
    """The values given (only the keys present), cleaned; the problems of those refused."""
    clean: dict = {}
    problems: list[dict] = []
    for key in ("name", "kind", "contact_phone", "address", "postcode", "city", "department"):
        if key in values:
            clean[key] = _line(values[key], LIMITS[key])
    _numbers(values, clean, problems)
    if "structure" in values:
        clean["structure"] = _structure(values["structure"], problems)
    if "themes" in values:
        clean["themes"] = _themes(values["themes"], region, problems)
    if "approvals" in values:
        clean["approvals"] = _approvals(values["approvals"])
    if "website" in values:
        clean["website"] = _website(values["website"], problems)
    if "contact_email" in values:
        clean["contact_email"] = _email(values["contact_email"], problems)
    if "description" in values:
        html = sanitize_description(values["description"])
        clean["description_html"], clean["description_text"] = html, html_to_text(html)
    for key in ("lat", "lon"):
        if key in values:
            clean[key] = _coordinate(values[key], 90 if key == "lat" else 180, key, problems)
    return clean, problems


def structure_of(value) -> str | None:
    """The kind of structure these words say (None: none that is known)."""
    words = clean_line(str(value or "")).lower().translate(_ACCENTS)
    return STRUCTURE_WORDS.get(words) or (words if words in STRUCTURES else None)


def _line(value, limit: int) -> str | None:
    text = clean_line(str(value)) if value is not None else ""
    return text[:limit] or None


def _numbers(values: dict, clean: dict, problems: list[dict]) -> None:
    given = {key: values[key] for key in ("siren", "siret", "rna") if key in values}
    if not given:
        return
    numbers, found = check_numbers(siren_value=values.get("siren"),
                                   siret_value=values.get("siret"),
                                   rna_value=values.get("rna"))
    problems += found
    refused = {p["field"] for p in found}
    for key in ("siren", "siret", "rna"):
        if key in given or numbers[key]:
            clean[key] = None if key in refused else numbers[key]


def _structure(value, problems: list[dict]) -> str | None:
    if value is None or not str(value).strip():
        return None
    found = structure_of(value)
    if found is None:
        problems.append({"field": "structure", "value": str(value)[:40],
                         "code": "structure.unknown"})
    return found


def _themes(value, region: Region, problems: list[dict]) -> list[str]:
    items = [value] if isinstance(value, str) else list(value or [])
    slugs: list[str] = []
    for item in items:
        text = clean_line(str(item))
        if not text:
            continue
        found = [text] if region.theme(text) else region.themes_for([text])
        if not found:
            problems.append({"field": "themes", "value": text[:40], "code": "theme.unknown"})
        slugs += [slug for slug in found if slug not in slugs]
    return slugs


def _approvals(value) -> list[str]:
    items = [value] if isinstance(value, str) else list(value or [])
    found: list[str] = []
    for item in items:
        text = clean_line(str(item))[:APPROVAL_MAX]
        if text and text not in found:
            found.append(text)
    return found[:APPROVALS_MAX]


def _website(value, problems: list[dict]) -> str | None:
    text = clean_url(str(value or ""))
    if not text:
        return None
    if "://" not in text and re.fullmatch(r"[\w.-]+\.[a-z]{2,63}(/\S*)?", text, re.IGNORECASE):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or len(text) > LIMITS["website"]:
        problems.append({"field": "website", "value": text[:80], "code": "website.invalid"})
        return None
    return text


def _email(value, problems: list[dict]) -> str | None:
    text = clean_line(str(value or ""))
    if not text:
        return None
    if len(text) > LIMITS["contact_email"] or not _EMAIL.fullmatch(text):
        problems.append({"field": "contact_email", "value": text[:80],
                         "code": "contact_email.invalid"})
        return None
    return text


def _coordinate(value, bound: int, key: str, problems: list[dict]) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        number = None
    if number is None or number != number or not -bound <= number <= bound:
        problems.append({"field": key, "value": str(value)[:40], "code": f"{key}.invalid"})
        return None
    return number
