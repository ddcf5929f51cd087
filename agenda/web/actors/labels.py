"""An actor's fields, kinds of structure, statuses and links in words (msgids, translated
where they are shown)."""

from __future__ import annotations

from flask_babel import gettext

from agenda.web.shared.i18n import N_

STRUCTURE_LABELS = {
    "association": N_("Association"), "cooperative": N_("Cooperative"),
    "mutual": N_("Mutual society"), "foundation": N_("Foundation"),
    "company": N_("ESS company"), "public": N_("Public body"), "other": N_("Other"),
}
STATUS_LABELS = {"confirmed": N_("Confirmed"), "to_check": N_("To check"),
                 "proposed": N_("Proposed")}
ORIGIN_LABELS = {"staff": N_("Staff"), "proposal": N_("Public proposal"),
                 "organizer": N_("Organiser of a source's event"), "source": N_("Source"),
                 "import": N_("Spreadsheet import"), "gogocarto": N_("GoGoCarto map")}
ACTOR_FIELDS = {
    "name": N_("Name"), "structure": N_("Kind of structure"), "kind": N_("Kind, in its own words"),
    "approvals": N_("Approvals"), "siren": N_("SIREN number"), "siret": N_("SIRET number"),
    "rna": N_("RNA number"), "website": N_("Website"), "themes": N_("Themes"),
    "description": N_("Description"), "description_html": N_("Description"),
    "description_text": N_("Description"), "contact_email": N_("Public contact e-mail"),
    "contact_phone": N_("Public phone"), "address": N_("Address"), "postcode": N_("Postcode"),
    "city": N_("Town"), "department": N_("Department"), "lat": N_("Latitude"),
    "lon": N_("Longitude"), "relation": N_("Link"),
}
# How a linked actor is named on an actor's page: (relation, direction) -> label.
LINK_LABELS = {("member", "of"): N_("Member of"), ("member", "has"): N_("Its members"),
               ("partner", "of"): N_("Partners"), ("partner", "has"): N_("Partners")}
RELATION_LABELS = {"member": N_("is a member of the network"), "partner": N_("is a partner of")}


def label(table: dict[str, str], key: str | None) -> str:
    """``key`` in words from ``table`` (the key itself when unknown, '' for none)."""
    if not key:
        return ""
    return gettext(table[key]) if key in table else key


def own_words(kind: str | None, structure: str | None) -> str:
    """The actor's own words for its kind, unless they only repeat its kind of structure
    ("association" beside « Association »): '' then."""
    if not kind:
        return ""
    from agenda.matching.folding import fold

    said = {fold(structure or ""), fold(label(STRUCTURE_LABELS, structure))}
    return "" if fold(kind) in said else kind
