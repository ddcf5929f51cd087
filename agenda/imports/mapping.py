"""Which column holds which field: guessed from the headers (French and English, accents, case
and punctuation ignored), changed by staff on the page, or given as a small JSON or TOML file
(``agenda import FILE --mapping FILE``).

A mapping is ``{field: column index}`` (0-based) for the fields found; a field absent from it
is not imported.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata

from agenda.imports.problems import SpreadsheetError
from agenda.messages import N_

# The fields, in the order the pages show them, with what they are called in a sheet.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("titre", "title", "intitule", "nom de l evenement", "nom de l evenement",
              "evenement", "event", "event name", "name", "nom", "libelle", "summary"),
    "start_date": ("date de debut", "debut", "date debut", "date", "start", "start date",
                   "starts", "date de l evenement", "jour", "day", "begin", "du", "date start"),
    "start_time": ("heure de debut", "heure debut", "heure", "horaire", "horaires",
                   "start time", "time", "hour", "a partir de"),
    "end_date": ("date de fin", "date fin", "fin", "end", "end date", "ends", "au",
                 "jusqu au"),
    "end_time": ("heure de fin", "heure fin", "end time", "finish time"),
    "place": ("lieu", "nom du lieu", "salle", "venue", "place", "location", "location name",
              "etablissement", "site"),
    "address": ("adresse", "address", "rue", "street", "adresse postale", "street address"),
    "postcode": ("code postal", "cp", "postcode", "postal code", "zip", "zip code", "zipcode"),
    "city": ("ville", "commune", "city", "town", "localite", "locality"),
    "organizer": ("organisateur", "organisatrice", "organisateur rice", "organisateur ice",
                  "organisateurs", "structure", "structure organisatrice", "organizer",
                  "organiser", "porteur", "porteur du projet", "association", "host"),
    "description": ("description", "descriptif", "resume", "presentation", "details",
                    "texte", "programme", "about", "summary text"),
    "url": ("lien", "url", "site web", "site internet", "link", "website", "page",
            "plus d infos", "plus d informations", "more info", "web"),
    "categories": ("categories", "categorie", "themes", "theme", "type", "types", "mots cles",
                   "mot cle", "tags", "tag", "keywords", "category", "thematique",
                   "thematiques"),
    "uid": ("identifiant", "id", "uid", "reference", "ref", "identifier", "code",
            "numero", "n"),
    "image": ("image", "photo", "visuel", "image url", "url de l image", "affiche", "picture",
              "illustration"),
    "online_url": ("en ligne", "lien en ligne", "lien de connexion", "visio",
                   "visioconference", "lien visio", "online", "online link", "online url",
                   "webinaire", "webinar", "meeting link"),
}
FIELDS = tuple(SYNONYMS)
REQUIRED = ("title", "start_date")
LABELS = {  # what the pages call each field
    "title": N_("Title"), "start_date": N_("Start date"), "start_time": N_("Start time"),
    "end_date": N_("End date"), "end_time": N_("End time"), "place": N_("Place"),
    "address": N_("Address"), "postcode": N_("Postcode"), "city": N_("Town"),
    "organizer": N_("Organiser"), "description": N_("Description"), "url": N_("Link"),
    "categories": N_("Categories or themes"), "uid": N_("Identifier"), "image": N_("Image"),
    "online_url": N_("Online link"),
}

Mapping = dict[str, int]


def header_key(text: str) -> str:
    """'Date de début (JJ/MM/AAAA)' -> 'date de debut': no accents, case, brackets, signs."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(text))
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def guess_mapping(headers: list[str]) -> Mapping:
    """Each field to the column whose header names it: exact names first, then headers that
    start with a name ('Lieu de l'événement'), the longer name first; a column serves once."""
    keys = [header_key(h) for h in headers]
    candidates = []
    for field_name, names in SYNONYMS.items():
        for rank, name in enumerate(names):
            for column, key in enumerate(keys):
                score = _score(key, name)
                if score:
                    candidates.append((score, len(name), -rank, -column, field_name, column))
    mapping: Mapping = {}
    used: set[int] = set()
    for *_, field_name, column in sorted(candidates, reverse=True):
        if field_name not in mapping and column not in used:
            mapping[field_name] = column
            used.add(column)
    return {f: mapping[f] for f in FIELDS if f in mapping}


def _score(key: str, name: str) -> int:
    if not key:
        return 0
    if key == name:
        return 2
    if len(name) > 2 and key.startswith(name + " "):
        return 1
    return 0


def missing_required(mapping: Mapping) -> list[str]:
    return [f for f in REQUIRED if f not in mapping]


def require_fields(mapping: Mapping) -> None:
    """A mapping without a title or a start column cannot import anything: a file error."""
    missing = missing_required(mapping)
    if "title" in missing:
        raise SpreadsheetError(N_("No column holds the title of the events (a header such as "
                                  "“Titre” or “Title”): choose it in the mapping."),
                               code="import.no_title_column")
    if missing:
        raise SpreadsheetError(N_("No column holds the start date of the events (a header "
                                  "such as “Date de début”, “Date” or “Start”): choose it in "
                                  "the mapping."), code="import.no_start_column")


# --- Mapping files ---------------------------------------------------------------------------

def read_mapping_file(text: str, filename: str, headers: list[str]) -> Mapping:
    """A mapping written as JSON or TOML: ``{"title": "Intitulé", "start_date": 3}`` (a header,
    or a column number from 1; "" or false: not imported).  Fields it leaves out are guessed."""
    data = _load(text, filename)
    columns = data.get("columns", data) if isinstance(data, dict) else None
    if not isinstance(columns, dict):
        raise _bad_mapping("it is not a table of field = column")
    mapping = guess_mapping(headers)
    for field_name, column in columns.items():
        if field_name not in SYNONYMS:
            raise _bad_mapping(f"“{field_name}” is not a field ({', '.join(FIELDS)})")
        mapping.pop(field_name, None)
        if column not in ("", False, None):
            index = _column_index(column, headers, field_name)
            mapping = {f: c for f, c in mapping.items() if c != index}
            mapping[field_name] = index
    return {f: mapping[f] for f in FIELDS if f in mapping}


def _load(text: str, filename: str):
    try:
        if filename.lower().endswith(".toml"):
            return tomllib.loads(text)
        return json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise _bad_mapping(f"it is not valid {'TOML' if filename.endswith('.toml') else 'JSON'}"
                           f" ({error})") from error


def _column_index(column, headers: list[str], field_name: str) -> int:
    if isinstance(column, int) and not isinstance(column, bool):
        if 1 <= column <= len(headers):
            return column - 1
        raise _bad_mapping(f"column {column} of “{field_name}” is not in the table "
                           f"(it has {len(headers)})")
    wanted = header_key(str(column))
    for index, header in enumerate(headers):
        if header_key(header) == wanted and wanted:
            return index
    raise _bad_mapping(f"no column is headed “{column}” (for “{field_name}”)")


def _bad_mapping(reason: str) -> SpreadsheetError:
    return SpreadsheetError(N_("The mapping file cannot be used: %(reason)s."),
                            code="import.bad_mapping", reason=reason)
