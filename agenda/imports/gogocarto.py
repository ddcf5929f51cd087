"""The JSON export of a GoGoCarto map (the format Carteco and Transiscope use) read into rows of
actors: bytes in, (rows, problems) out (pure).

The export is ``{"data": [element...], "ontology": ..., "licence": ...}``, or ``{"data":
[...]}``, or a bare list of elements.  An element (GoGoCartoJs's dataset format) has ``id``,
``name`` (or ``title``), ``geo: {latitude, longitude}`` (or ``lat``/``lng``/``long``),
``address: {streetAddress, addressLocality, postalCode, addressCountry}``, ``categories`` (names;
or ``categoriesFull``: objects with a ``name``; ``taxonomy`` ids are not names), ``description``
and ``descriptionMore``/``description_more``, ``website``, ``email``, ``telephone``; a map's own
fields for SIREN, SIRET, RNA and legal form are read by their usual names
(``CUSTOM_FIELDS``).  Other fields are ignored.  An element without a name is refused and
listed; odd coordinates are left empty and flagged.  Each row is keyed ``gogocarto:<map>:<id>``: importing the same map
again finds the same records.  Descriptions stay as given here (HTML is sanitised where they
are stored).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

from agenda.collectors.normalize import valid_point
from agenda.imports.directory_rows import DirectoryRow, RowProblem, field_value, number_of
from agenda.imports.problems import SpreadsheetError
from agenda.messages import N_

MAX_BYTES = 20 * 1024 * 1024
MAX_ELEMENTS = 20_000
_MAP_NAME = re.compile(r"[^a-z0-9.-]+")
# A map's own fields that say an actor's numbers and legal form, by their usual names
CUSTOM_FIELDS = {"siren": ("siren", "SIREN"), "siret": ("siret", "SIRET"),
                 "rna": ("rna", "RNA", "numero_rna"),
                 "structure": ("legalForm", "legal_form", "formeJuridique", "forme_juridique",
                               "statut_juridique", "statutJuridique")}


def read_gogocarto(content: bytes, *, map_name: str) -> tuple[list[DirectoryRow],
                                                               list[RowProblem]]:
    """The actors of a GoGoCarto export; ``SpreadsheetError`` when the file is not one (not
    JSON, no list of elements, too large)."""
    if len(content) > MAX_BYTES:
        raise SpreadsheetError(N_("This map export is larger than %(megabytes)s MB."),
                               code="gogocarto.too_large", megabytes=MAX_BYTES // 2**20)
    elements = _elements(content)
    if len(elements) > MAX_ELEMENTS:
        raise SpreadsheetError(N_("This map export holds more than %(limit)s elements: split "
                                  "it into smaller files."), code="gogocarto.too_many",
                               limit=MAX_ELEMENTS)
    name = map_key(map_name)
    rows, problems = [], []
    for index, element in enumerate(elements, start=1):
        row = element_row(element, index, name)
        if isinstance(row, RowProblem):
            problems.append(row)
        else:
            rows.append(row)
    return rows, problems


def looks_like_gogocarto(content: bytes, filename: str = "") -> bool:
    """A JSON file (by its name or its first character), rather than a spreadsheet."""
    head = content[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return filename.lower().endswith(".json") or head[:1] in (b"{", b"[")


def map_key(text: str) -> str:
    """The map's name in keys: a host ('https://carteco-ess.org/api' -> 'carteco-ess.org'),
    or a given name folded ('Carte ESS' -> 'carte-ess')."""
    text = (text or "").strip()
    host = urlparse(text).hostname if "//" in text else None
    folded = _MAP_NAME.sub("-", (host or text).lower()).strip("-.")
    return folded[:100] or "map"


def _elements(content: bytes) -> list:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise _not_export() from error
    if isinstance(data, dict):
        data = data.get("data")
    if not isinstance(data, list):
        raise _not_export()
    return data


def _not_export() -> SpreadsheetError:
    return SpreadsheetError(N_("This file is not a GoGoCarto map export (a JSON file with a "
                               "list of elements under “data”)."), code="gogocarto.not_export")


def element_row(element, index: int, map_name: str) -> DirectoryRow | RowProblem:
    """One element as a row of an actor, or why it is refused."""
    if not isinstance(element, dict):
        return RowProblem(str(index), "gogocarto.not_object")
    ident = _text(element.get("id")) or str(index)
    name = field_value("name", _text(element.get("name") or element.get("title")))
    if not name:
        return RowProblem(ident, "gogocarto.no_name")
    values = {"name": name, **_address(element.get("address")), **_contact(element),
              **_custom(element), "themes": _categories(element),
              "description": _description(element)}
    flags = []
    lat, lon = _point(element)
    if lat is not None or lon is not None:
        checked = valid_point(lat, lon)
        if checked[0] is None:
            flags.append(RowProblem(ident, "directory.bad_point", {"value": f"{lat}, {lon}"}))
        else:
            values["lat"], values["lon"] = checked
    values["origin_key"] = f"gogocarto:{map_name}:{ident}"[:500]
    values = {k: v for k, v in values.items() if v not in (None, "", [])}
    return DirectoryRow(ident, values, flags, name)


def _text(value) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    return ""


def _address(address) -> dict:
    if isinstance(address, str):
        return {"address": field_value("address", address)}
    if not isinstance(address, dict):
        return {}
    return {"address": field_value("address", _text(address.get("streetAddress"))),
            "postcode": field_value("postcode", _text(address.get("postalCode"))),
            "city": field_value("city", _text(address.get("addressLocality")))}


def _contact(element: dict) -> dict:
    website = field_value("website", _text(element.get("website")))
    return {"website": website if website.lower().startswith(("http://", "https://")) else "",
            "contact_email": field_value("contact_email", _text(element.get("email"))),
            "contact_phone": field_value("contact_phone", _text(element.get("telephone")))}


def _custom(element: dict) -> dict:
    """The numbers and the legal form a map may add in fields of its own (not GoGoCarto's:
    each map names them; the usual names are read)."""
    values = {}
    for field_name, keys in CUSTOM_FIELDS.items():
        found = next((_text(element.get(k)) for k in keys if _text(element.get(k))), "")
        values[field_name] = field_value(field_name, found)
    return values


def _categories(element: dict) -> list[str]:
    names = element.get("categories")
    if not isinstance(names, list) or not names:
        names = [c.get("name") for c in element.get("categoriesFull") or []
                 if isinstance(c, dict)]
    words = [field_value("name", _text(n)) for n in names if isinstance(n, str)]
    return list(dict.fromkeys(w for w in words if w))[:50]


def _description(element: dict) -> str:
    parts = [element.get(key) for key in ("description", "descriptionMore", "description_more")]
    return field_value("description", "\n\n".join(p.strip() for p in parts
                                                  if isinstance(p, str) and p.strip()))


def _point(element: dict) -> tuple[float | None, float | None]:
    geo = element.get("geo") if isinstance(element.get("geo"), dict) else {}
    lat = geo.get("latitude", element.get("lat", element.get("latitude")))
    lon = geo.get("longitude", element.get("lng", element.get("long", element.get("longitude"))))
    return (number_of(lat) if lat is not None else None,
            number_of(lon) if lon is not None else None)
