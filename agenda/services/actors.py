"""Writing actors: the one door through which an actor is created or changed, confirmed,
removed, or linked to another (staff forms, approved proposals, imports all come here).

    save_actor(session, values, *, origin, status, by=None, origin_key=None,
               flag_invalid=False, actor=None, region=None, now=None) -> (Actor, problems)

``values``: a dict whose keys are among ``agenda.services.actor_values.FIELDS`` (Actor's column
names: name, structure, kind, approvals, siren, siret, rna, website, themes, description (HTML
or plain text), contact_email, contact_phone, address, postcode, city, department, lat, lon).
A key that is absent is left as it is; ``city`` only serves to place the actor in its commune.

Steps: the values are checked and cleaned (``actor_values.checked_values``: numbers, structure,
themes, website, e-mail, description sanitised with its text beside it); then

- from a form (``flag_invalid=False``): any problem refuses the whole save with
  :class:`ActorRefused` (``error.problems`` names the fields; the form shows them);
- from an import (``flag_invalid=True``): the record is kept, the refused values left out and
  the problems stored in ``Actor.flags`` for staff to fix.

The actor is then the one given (``actor=``: a staff edit, whose values replace the record's,
an empty one clearing it), or the existing one these values identify (``store.actors.
find_actor``: same SIREN or RNA number, then the origin's key, then the exact name) -- updated
rather than doubled: its empty fields are filled, never is a value erased by an empty one, and
a value set by staff or a confirmed actor is not overwritten by an import (a record an import
made, still "to_check", is refreshed by the next import).  A removed actor found by an import
stays removed and unchanged.  A new actor is created otherwise.  The actor is placed in its
commune (``records.placing.place_values``), the data version is bumped when anything changed
(the same values again change nothing), and an audit entry is written when ``by`` (a staff
account) did it.

Statuses only go up (proposed < to_check < confirmed); ``origin`` is one of ACTOR_ORIGINS.

The importers call, and may rely on this staying stable:

    upsert_imported_actor(session, values, origin="import"|"gogocarto", origin_key=...)
    == save_actor(session, values, origin=..., status="to_check", origin_key=...,
                  flag_invalid=True)

Services flush, never commit: the request or the command commits.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from agenda.errors import AgendaError
from agenda.messages import N_
from agenda.models import Actor, ActorLink, User
from agenda.models.actor import ACTOR_ORIGINS, ACTOR_RELATIONS
from agenda.records.placing import place_values
from agenda.region import Region, cached_region
from agenda.services.actor_values import checked_values
from agenda.store.actors import find_actor, get_actor
from agenda.store.audit import add_audit
from agenda.store.changes import bump_data_version

DEFAULT_REGION_FILE = Path(__file__).resolve().parents[2] / "config" / "region.toml"
STATUS_RANK = {"proposed": 0, "to_check": 1, "confirmed": 2}
PLACE_KEYS = ("postcode", "city", "department", "lat", "lon")
# Columns an import may refresh on a record it made itself (never on a confirmed one).
COLUMNS = ("name", "structure", "kind", "approvals", "siren", "siret", "rna", "website",
           "themes", "description_html", "description_text", "contact_email", "contact_phone",
           "address", "postcode", "department", "lat", "lon")
PROBLEM_SENTENCES = {
    "siren.invalid": N_("This SIREN number is not valid: nine digits whose check digit is "
                        "right (see the INSEE's directory)."),
    "siret.invalid": N_("This SIRET number is not valid: fourteen digits whose check digit is "
                        "right."),
    "siret.other_siren": N_("This SIRET number does not start with the SIREN number given."),
    "rna.invalid": N_("This RNA number is not valid: W, then nine characters (such as "
                      "W372001234)."),
    "structure.unknown": N_("Unknown kind of structure."),
    "theme.unknown": N_("Unknown theme."),
    "website.invalid": N_("Give a full web address, starting with https:// or http://."),
    "contact_email.invalid": N_("Give a valid e-mail address, such as name@example.org."),
    "lat.invalid": N_("A latitude is a number between -90 and 90."),
    "lon.invalid": N_("A longitude is a number between -180 and 180."),
    "name.missing": N_("Give the actor's name."),
    "name.taken": N_("Another actor already has this name."),
    "siren.taken": N_("Another actor already has this SIREN number."),
    "rna.taken": N_("Another actor already has this RNA number."),
}


class ActorRefused(AgendaError):
    """The values cannot be saved as they are: ``problems`` say which field and why (each
    ``{"field", "value", "code"}``, the code's sentence in ``PROBLEM_SENTENCES``)."""

    code = "actor.refused"

    def __init__(self, problems: list[dict]):
        super().__init__("The actor cannot be saved: " + ", ".join(
            p["code"] for p in problems), problems=problems)
        self.problems = problems


def save_actor(session: Session, values: dict, *, origin: str, status: str,
               by: User | None = None, origin_key: str | None = None,
               flag_invalid: bool = False, actor: Actor | None = None,
               region: Region | None = None, now: datetime | None = None
               ) -> tuple[Actor, list[dict]]:
    """Create or update one actor (see the module's docstring); returns it and the problems
    of the values left out (always empty from a form, which raises instead)."""
    if origin not in ACTOR_ORIGINS or status not in STATUS_RANK:
        raise ValueError((origin, status))  # a programming error, never shown to people
    now = now or datetime.now(timezone.utc)
    clean, problems = checked_values(values, region=region or default_region())
    if problems and not flag_invalid:
        raise ActorRefused(problems)
    replacing = actor is not None
    if actor is None:
        actor = find_actor(session, siren=clean.get("siren"), rna=clean.get("rna"),
                           origin_key=origin_key, name=clean.get("name"))
        if actor is not None and _other_organisation(actor, clean):
            actor, clean = None, _renamed(clean)
    if actor is not None and actor.removed_at is not None and by is None:
        return actor, problems  # removed by staff: an import does not bring it back
    created = actor is None
    if (created or (replacing and "name" in clean)) and not clean.get("name"):
        raise ActorRefused([{"field": "name", "value": "", "code": "name.missing"}])
    if created:
        actor = Actor(name=clean["name"], origin=origin, status=status, origin_key=origin_key,
                      created_at=now, flags=[], approvals=[], themes=[])
    taken = _taken(session, actor, clean)
    if taken and not flag_invalid:
        raise ActorRefused(taken)
    clean = {k: v for k, v in clean.items()
             if k not in {p["field"] for p in taken} and not (k == "name" and not v)}
    problems += taken
    changed = _apply(actor, clean, replace=replacing or created,
                     refresh=_import_refreshes(actor, origin) and not created)
    session.add(actor)
    if created or replacing or any(k in changed for k in PLACE_KEYS) or not actor.department:
        _place(actor, clean)
    _settle(actor, status=status, origin_key=origin_key, problems=problems,
            restore=by is not None)
    if created or session.is_modified(actor):  # the same values again change nothing
        actor.updated_at = now
        session.flush()
        bump_data_version(session)
    if by is not None:
        _audit(session, "actor_create" if created else "actor_edit", actor, by, now,
               {} if created else {"changed": changed})
    return actor, problems


def upsert_imported_actor(session: Session, values: dict, *, origin: str, origin_key: str,
                          region: Region | None = None,
                          now: datetime | None = None) -> tuple[Actor, list[dict]]:
    """An actor from an import (a spreadsheet, a GoGoCarto map): kept even with invalid
    values (flagged), "to_check" until staff confirm it; found again by ``origin_key``."""
    return save_actor(session, values, origin=origin, status="to_check", origin_key=origin_key,
                      flag_invalid=True, region=region, now=now)


def confirm_actor(session: Session, actor: Actor, *, by: User,
                  now: datetime | None = None) -> bool:
    """Staff confirm a "to_check" or "proposed" actor; False when it already was."""
    if actor.status == "confirmed":
        return False
    now = now or datetime.now(timezone.utc)
    actor.status, actor.updated_at = "confirmed", now
    bump_data_version(session)
    _audit(session, "actor_confirm", actor, by, now)
    return True


def remove_actor(session: Session, actor: Actor, *, by: User,
                 now: datetime | None = None) -> bool:
    """Staff remove an actor from the directory (kept, for its links and its history)."""
    if actor.removed_at is not None:
        return False
    now = now or datetime.now(timezone.utc)
    actor.removed_at = actor.updated_at = now
    bump_data_version(session)
    _audit(session, "actor_remove", actor, by, now)
    return True


def link_actors(session: Session, actor_id: int, other_id: int, relation: str, *, by: User,
                now: datetime | None = None) -> bool:
    """``actor`` is a member of the network ``other`` (relation "member"), or they are partners
    ("partner", one link for both directions).  False when the link already exists."""
    actor, other = _actor(session, actor_id), _actor(session, other_id)
    if relation not in ACTOR_RELATIONS or actor.id == other.id:
        raise ActorRefused([{"field": "relation", "value": relation, "code": "link.invalid"}])
    if _link(session, actor.id, other.id, relation) is not None:
        return False
    session.add(ActorLink(actor_id=actor.id, other_id=other.id, relation=relation))
    session.flush()
    bump_data_version(session)
    _audit(session, "actor_link", actor, by, now, {"other": other.name, "other_id": other.id,
                                                   "relation": relation})
    return True


def unlink_actors(session: Session, actor_id: int, other_id: int, relation: str, *, by: User,
                  now: datetime | None = None) -> bool:
    """Take a link away; False when there was none."""
    actor, other = _actor(session, actor_id), _actor(session, other_id)
    link = _link(session, actor.id, other.id, relation)
    if link is None:
        return False
    session.execute(delete(ActorLink).where(ActorLink.id == link.id))
    bump_data_version(session)
    _audit(session, "actor_unlink", actor, by, now, {"other": other.name, "other_id": other.id,
                                                     "relation": relation})
    return True


def values_of_proposal(data: dict) -> dict:
    """An actor proposal's data (``agenda.services.proposals.ACTOR_FIELDS``: the name is its
    title) as ``save_actor``'s values."""
    keys = ("structure", "kind", "siren", "siret", "rna", "website", "address", "postcode",
            "city")
    return {"name": data.get("title") or "", **{key: data.get(key) or None for key in keys},
            "approvals": list(data.get("approvals") or []),
            "themes": list(data.get("themes") or []),
            "description": data.get("description_html") or "",
            "contact_email": data.get("public_email") or None,
            "contact_phone": data.get("public_phone") or None}


def problem_sentence(problem: dict) -> str:
    """The msgid of a problem's sentence (translate it with gettext where it is shown)."""
    return PROBLEM_SENTENCES.get(problem.get("code", ""), N_("This value is not valid."))


def default_region() -> Region:
    return cached_region(DEFAULT_REGION_FILE)


# --- Steps ---------------------------------------------------------------------------------

def _other_organisation(actor: Actor, clean: dict) -> bool:
    """Found by its name only, but its numbers say it is another organisation."""
    return any(clean.get(key) and getattr(actor, key) and clean[key] != getattr(actor, key)
               for key in ("siren", "rna"))


def _renamed(clean: dict) -> dict:
    """Two organisations of one name: the newcomer's name gets its number (names are unique)."""
    number = clean.get("siren") or clean.get("rna")
    return {**clean, "name": f"{clean['name']} ({number})"[:200]}


def _taken(session: Session, actor: Actor, clean: dict) -> list[dict]:
    """The names and numbers given that another actor holds (this one cannot have them)."""
    problems = []
    for key, column in (("name", Actor.name), ("siren", Actor.siren), ("rna", Actor.rna)):
        value = clean.get(key)
        if value and value != getattr(actor, key):
            holder = session.scalar(select(Actor.id).where(column == value))
            if holder is not None and holder != actor.id:
                problems.append({"field": key, "value": value, "code": f"{key}.taken"})
    return problems


def _import_refreshes(actor: Actor, origin: str) -> bool:
    """An import refreshes a record an import of the same kind made, not yet confirmed."""
    return (origin in ("import", "gogocarto") and actor.origin == origin
            and actor.status != "confirmed")


def _apply(actor: Actor, clean: dict, *, replace: bool, refresh: bool) -> list[str]:
    """Write the values; returns the names of the columns changed."""
    changed = []
    for key in COLUMNS:
        if key not in clean:
            continue
        new, old = clean[key], getattr(actor, key)
        empty_new = new in (None, "", [])
        if new == old or (empty_new and not replace):
            continue
        if not (replace or refresh) and old not in (None, "", []):
            continue  # fill empty fields only: what staff or a confirmed record set stays
        setattr(actor, key, new)
        changed.append(key)
    return changed


def _place(actor: Actor, clean: dict) -> None:
    place = place_values(postcode=actor.postcode, city=clean.get("city") or actor.commune_name,
                         lat=actor.lat, lon=actor.lon, department=actor.department)
    actor.commune_code, actor.commune_name = place["commune_code"], place["commune_name"]
    actor.department = place["department"]


def _settle(actor: Actor, *, status: str, origin_key: str | None, problems: list[dict],
            restore: bool) -> None:
    if STATUS_RANK[status] > STATUS_RANK.get(actor.status, 0):
        actor.status = status
    if origin_key and not actor.origin_key:
        actor.origin_key = origin_key
    if restore and not problems:
        actor.flags = []  # staff saved it as it is now: nothing is left to point out
    elif problems or actor.flags:
        fixed = {p["field"] for p in problems}
        kept = [f for f in actor.flags or [] if f.get("field") not in fixed
                and not getattr(actor, f.get("field", ""), None)]
        actor.flags = kept + problems
    if restore and actor.removed_at is not None:
        actor.removed_at = None


def _actor(session: Session, actor_id: int) -> Actor:
    return get_actor(session, actor_id)


def _link(session: Session, actor_id: int, other_id: int, relation: str) -> ActorLink | None:
    """The link, either way round for partners."""
    pairs = [(actor_id, other_id)] + ([(other_id, actor_id)] if relation == "partner" else [])
    for first, second in pairs:
        link = session.scalar(select(ActorLink).where(
            ActorLink.actor_id == first, ActorLink.other_id == second,
            ActorLink.relation == relation))
        if link is not None:
            return link
    return None


def _audit(session: Session, action: str, actor: Actor, by: User, now: datetime | None,
           detail: dict | None = None) -> None:
    add_audit(session, action=action, who=by.email, user_id=by.id,
              now=now or datetime.now(timezone.utc),
              detail={"actor": actor.name, "actor_id": actor.id, **(detail or {})})
