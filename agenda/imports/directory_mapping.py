"""Which column of a directory (the CRESS's lists of actors or of initiatives, CSV or XLSX)
holds which field: guessed from the headers in French or English (accents, case and
punctuation ignored, as :func:`agenda.imports.mapping.header_key` does), changed by staff on
the page.  A table with a title or porteur column and no name column is a list of initiatives;
else it is a list of actors.  Pure.
"""

from __future__ import annotations

from agenda.imports.mapping import _score, header_key
from agenda.messages import N_

ACTOR_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("nom", "raison sociale", "denomination", "nom de la structure", "structure",
             "nom structure", "organisation", "organisme", "name", "organization",
             "organisation name", "nom de l organisation", "enseigne", "sigle et nom"),
    "siren": ("siren", "n siren", "numero siren", "siren number"),
    "siret": ("siret", "n siret", "numero siret", "siret number"),
    "rna": ("rna", "n rna", "numero rna", "numero waldec", "waldec", "rna number"),
    "structure": ("forme juridique", "statut juridique", "statut", "forme", "categorie juridique",
                  "famille", "famille ess", "legal form", "legal status", "status",
                  "type de structure", "type"),
    "approvals": ("agrements", "agrement", "labels", "label", "approvals", "accreditations",
                  "agrement esus"),
    "website": ("site", "site web", "site internet", "url", "web", "website", "lien"),
    "themes": ("themes", "theme", "thematiques", "thematique", "secteur", "secteurs",
               "secteur d activite", "activite", "domaine", "domaines", "categories",
               "categorie", "topics", "sector", "activity"),
    "postcode": ("code postal", "cp", "postcode", "postal code", "zip", "zip code"),
    "city": ("commune", "ville", "localite", "city", "town"),
    "address": ("adresse", "adresse postale", "rue", "address", "street address", "voie"),
    "contact_email": ("email", "e mail", "courriel", "mail", "adresse mail",
                      "adresse electronique", "contact", "email address"),
    "contact_phone": ("telephone", "tel", "phone", "numero de telephone", "telephone fixe",
                      "portable", "phone number"),
    "description": ("description", "presentation", "activites", "objet", "objet social",
                    "descriptif", "about", "resume"),
    "lat": ("latitude", "lat", "y"),
    "lon": ("longitude", "lon", "lng", "long", "x"),
}
INITIATIVE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("titre", "intitule", "nom du projet", "nom de l initiative", "projet",
              "initiative", "title", "project", "project name", "nom"),
    "porteur": ("porteur", "porteur du projet", "porteuse", "structure porteuse", "structure",
                "acteur", "actrice", "organisation", "lead", "actor", "organisation porteuse"),
    "porteur_siren": ("siren", "siren du porteur", "siren porteur", "n siren"),
    "territory": ("territoire", "commune", "ville", "lieu", "territory", "place", "city"),
    "postcode": ("code postal", "cp", "postcode", "postal code"),
    "status": ("statut", "etat", "avancement", "status", "state"),
    "starts_on": ("date de debut", "debut", "date debut", "depuis", "start", "start date",
                  "date"),
    "ends_on": ("date de fin", "fin", "date fin", "jusqu au", "end", "end date"),
    "themes": ("themes", "theme", "thematiques", "thematique", "secteur", "categories",
               "categorie", "topics"),
    "description": ("description", "presentation", "resume", "descriptif", "about"),
    "url": ("lien", "site", "site web", "url", "website", "link", "page"),
    "identifier": ("identifiant", "id", "reference", "ref", "code", "identifier"),
}
SYNONYMS = {"actors": ACTOR_SYNONYMS, "initiatives": INITIATIVE_SYNONYMS}
REQUIRED = {"actors": "name", "initiatives": "title"}
LABELS = {  # what the pages call each field
    "name": N_("Name"), "siren": N_("SIREN"), "siret": N_("SIRET"), "rna": N_("RNA number"),
    "structure": N_("Kind of structure"), "approvals": N_("Approvals"),
    "website": N_("Website"), "themes": N_("Themes"), "postcode": N_("Postcode"),
    "city": N_("Town"), "address": N_("Address"), "contact_email": N_("E-mail address"),
    "contact_phone": N_("Telephone"), "description": N_("Description"),
    "lat": N_("Latitude"), "lon": N_("Longitude"), "title": N_("Title"),
    "porteur": N_("Lead actor"), "porteur_siren": N_("Lead actor's SIREN"),
    "territory": N_("Territory"), "status": N_("Status"), "starts_on": N_("Start date"),
    "ends_on": N_("End date"), "url": N_("Link"), "identifier": N_("Identifier"),
}

DirectoryMapping = dict[str, int]


def fields_of(kind: str) -> tuple[str, ...]:
    return tuple(SYNONYMS[kind])


def guess_kind(headers: list[str]) -> str:
    """"initiatives" when the headers name a project's title or its lead actor and no actor
    name column; else "actors"."""
    actors = guess_columns(headers, "actors")
    initiatives = guess_columns(headers, "initiatives")
    if "name" not in actors or ("title" in initiatives and "porteur" in initiatives):
        if "title" in initiatives:
            return "initiatives"
    return "actors"


def guess_columns(headers: list[str], kind: str) -> DirectoryMapping:
    """Each field of ``kind`` to the column whose header names it: exact names first, then
    headers that start with a name, the longer name first; a column serves once."""
    keys = [header_key(h) for h in headers]
    candidates = []
    for field_name, names in SYNONYMS[kind].items():
        for rank, name in enumerate(names):
            for column, key in enumerate(keys):
                score = _score(key, name)
                if score:
                    candidates.append((score, len(name), -rank, -column, field_name, column))
    mapping: DirectoryMapping = {}
    used: set[int] = set()
    for *_, field_name, column in sorted(candidates, reverse=True):
        if field_name not in mapping and column not in used:
            mapping[field_name] = column
            used.add(column)
    return {f: mapping[f] for f in fields_of(kind) if f in mapping}


def mapping_from_choices(choices: dict[str, str], kind: str, columns: int) -> DirectoryMapping:
    """The mapping staff chose on the page: ``{field: "3" or ""}`` (a column number from 0;
    a column outside the table, or one chosen twice after its first field, is ignored)."""
    mapping: DirectoryMapping = {}
    for field_name in fields_of(kind):
        value = str(choices.get(field_name, "")).strip()
        if value.isdigit() and int(value) < columns and int(value) not in mapping.values():
            mapping[field_name] = int(value)
    return mapping


# --- The words of a structure ----------------------------------------------------------------

_STRUCTURE_WORDS = (  # (start of a word, structure); the first that matches wins
    ("association", "association"), ("asso", "association"), ("loi 1901", "association"),
    ("scop", "cooperative"), ("scic", "cooperative"), ("cooperati", "cooperative"),
    ("coop", "cooperative"), ("cae", "cooperative"), ("sca", "cooperative"),
    ("mutuel", "mutual"), ("fondation", "foundation"), ("foundation", "foundation"),
    ("fonds de dotation", "foundation"), ("sas", "company"), ("sarl", "company"),
    ("eurl", "company"), ("entreprise", "company"), ("company", "company"), ("esus", "company"),
    ("societe", "company"), ("sa", "company"), ("collectivite", "public"),
    ("etablissement public", "public"), ("commune", "public"), ("public", "public"),
    ("epci", "public"), ("communaute de commune", "public"),
)


def structure_of(text: str | None) -> str | None:
    """'SCOP SARL' -> 'cooperative', 'Association loi 1901' -> 'association'; a word that
    says nothing known -> 'other'; nothing -> None."""
    key = header_key(text or "")
    if not key:
        return None
    padded = f" {key} "
    for start, structure in _STRUCTURE_WORDS:
        # short words are whole words ("sa", "cae"); longer ones start a word ("mutu...")
        if f" {start} " in padded or (len(start) > 4 and f" {start}" in padded):
            return structure
    return "other"


_INITIATIVE_STATUS = (("projet", "project"), ("en projet", "project"), ("a venir", "project"),
                      ("planned", "project"), ("project", "project"), ("termine", "ended"),
                      ("fini", "ended"), ("clos", "ended"), ("ended", "ended"),
                      ("finished", "ended"), ("arrete", "ended"))


def initiative_status(text: str | None) -> str:
    """'En projet' -> 'project', 'Terminé' -> 'ended'; else (en cours, actif...) 'active'."""
    key = header_key(text or "")
    for start, status in _INITIATIVE_STATUS:
        if key == start or key.startswith(start + " ") or key.startswith(start):
            return status
    return "active"
