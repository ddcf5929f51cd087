"""Who organises an event: its links to actors (``EventActor``), recomputed from what is known.

An event is linked to:

* its source's owner (``Source.actor_id``), how="source" (not for the "form" and "import"
  sources, which hold everybody's events);
* the actor its ``organizer`` field names, how="organizer": by a valid SIREN, SIRET or RNA
  number written in it (``agenda.records.identifiers.numbers_in``), else by its name folded
  (accents, case and punctuation set aside: ``agenda.matching.folding.fold``).  A plausible
  name that matches no actor makes one, « à vérifier » (status "to_check", origin
  "organizer"): at most ``max_new`` per call;
* the actor of the proposal it was published from (``Submission.actor_id``), how="form".

Links made by staff (how="staff") are never touched here; the others are made again for the
given events, so an organiser field that changed moves its link.  Everything is read and
written in batches of events (a few queries per thousand events), inside the caller's
transaction; the data version is bumped when a link changed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from agenda.matching.folding import fold
from agenda.models import Actor, Event, EventActor, Source, Submission
from agenda.records.identifiers import numbers_in
from agenda.store.changes import bump_data_version
from agenda.text_clean import clean_line

CHUNK = 1000
MAX_NEW_ACTORS = 50
SHARED_SOURCE_KINDS = ("form", "import")  # sources holding everybody's events: no owner link
# When one actor is linked several ways, the link says the strongest.
HOW_RANK = {"form": 0, "source": 1, "organizer": 2}
_NOT_A_NAME = re.compile(r"(https?://|www\.|@|\.(?:fr|org|com|net|eu)\b)", re.IGNORECASE)
_NUMBER_WORDS = re.compile(r"(?:\bn°|\bno\b|\bnum[ée]ro\b|\bsiren\b|\bsiret\b|\brna\b)\s*:?",
                           re.IGNORECASE)
_DIGITS = re.compile(r"(?<![0-9])[0-9](?:[ .]?[0-9]){8,13}(?![0-9])")  # as numbers_in reads them
_RNA = re.compile(r"\bW[0-9][0-9AB][0-9A-Z][0-9]{6}\b", re.IGNORECASE)
_SEMICOLONS = re.compile(r"\s*[;|]\s*")


@dataclass
class LinkCounts:
    events: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0
    new_actors: int = 0

    @property
    def touched(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.new_actors)

    def __str__(self) -> str:
        return (f"{self.events} events: {self.added} links added, {self.removed} removed, "
                f"{self.changed} changed; {self.new_actors} actors to check made")


@dataclass(frozen=True)
class _Row:
    event_id: str
    organizer: str | None
    source_kind: str
    owner_id: int | None
    owner_name: str
    source_name: str


def link_event_actors(session: Session, event_ids: Iterable[str], *,
                      max_new: int = MAX_NEW_ACTORS) -> LinkCounts:
    """Recompute the "source", "organizer" and "form" links of these events (staff links
    kept); flushes, and bumps the data version when something changed."""
    ids = sorted(set(event_ids))
    counts = LinkCounts(events=len(ids))
    directory: _Directory | None = None
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = _event_rows(session, chunk)
        if directory is None and any(row.organizer for row in rows):
            directory = _Directory.load(session)
        wanted = _wanted_links(session, rows, directory, counts, max_new)
        _write(session, chunk, wanted, counts)
    if counts.touched:
        session.flush()
        bump_data_version(session)
    return counts


def _event_rows(session: Session, chunk: list[str]) -> list[_Row]:
    owner = select(Actor.name).where(Actor.id == Source.actor_id).scalar_subquery()
    result = session.execute(
        select(Event.id, Event.organizer, Source.kind, Source.actor_id, owner, Source.name)
        .join(Source, Source.id == Event.source_id).where(Event.id.in_(chunk)))
    return [_Row(event_id, organizer, kind, actor_id, owner_name or "", source_name or "")
            for event_id, organizer, kind, actor_id, owner_name, source_name in result]


def _wanted_links(session: Session, rows: list[_Row], directory: _Directory | None,
                  counts: LinkCounts, max_new: int) -> dict[str, dict[int, str]]:
    """{event id: {actor id: how}} as they should be (staff links aside)."""
    wanted: dict[str, dict[int, str]] = {row.event_id: {} for row in rows}

    def add(event_id: str, actor_id: int, how: str) -> None:
        links = wanted[event_id]
        if actor_id not in links or HOW_RANK[how] < HOW_RANK[links[actor_id]]:
            links[actor_id] = how

    for row in rows:
        if row.owner_id is not None and row.source_kind not in SHARED_SOURCE_KINDS:
            add(row.event_id, row.owner_id, "source")
        if row.organizer and directory is not None:
            for name in organizer_names(row.organizer, directory.find):
                actor_id = directory.find(name)
                if actor_id is None and counts.new_actors < max_new \
                        and _plausible(row, name):
                    actor_id = directory.create(session, name)
                    counts.new_actors += actor_id is not None
                if actor_id is not None:
                    add(row.event_id, actor_id, "organizer")
    forms = session.execute(select(Submission.event_id, Submission.actor_id).where(
        Submission.event_id.in_(list(wanted)), Submission.actor_id.is_not(None)))
    for event_id, actor_id in forms:
        add(event_id, actor_id, "form")
    return wanted


def organizer_names(organizer: str, find) -> list[str]:
    """The organisers an organiser field names: itself when it is a known actor, else its
    parts when it lists several ("A (démo), B" as The Events Calendar joins them; "A ; B").
    A comma splits only when every part is a known actor or a name of two words or more:
    "Emmaüs, Tours" stays one organiser."""
    if find(organizer) is not None:
        return [organizer]
    parts = [p.strip() for p in _SEMICOLONS.split(organizer) if p.strip()]
    names: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 1 and all(find(p) is not None or len(p.split()) >= 2 for p in pieces):
            names += pieces
        else:
            names.append(part)
    return names or [organizer]


def _plausible(row: _Row, organizer: str | None = None) -> bool:
    """A name worth an actor of its own: 3 to 120 characters, not an address, not the
    source's or its owner's own name."""
    name = _name_without_numbers(organizer if organizer is not None else row.organizer or "")
    if not 3 <= len(name) <= 120 or _NOT_A_NAME.search(name):
        return False
    folded = fold(name)
    return len(folded) >= 2 and folded not in {fold(row.owner_name), fold(row.source_name)}


def _name_without_numbers(text: str) -> str:
    """The organiser's name with the numbers written in it (and their labels) taken out."""
    name = clean_line(text)
    if numbers_in(name):
        name = _NUMBER_WORDS.sub(" ", _RNA.sub(" ", _DIGITS.sub(" ", name)))
    return _balanced(" ".join(name.split()).strip(" -–—,;:"))


def _balanced(name: str) -> str:
    """Brackets left alone at either end taken off ("(démo)" keeps its own)."""
    while name and name[-1] in ")]" and name.count("(") + name.count("[") \
            < name.count(")") + name.count("]"):
        name = name[:-1].rstrip(" -–—,;:")
    while name and name[0] in "([" and name.count("(") + name.count("[") \
            > name.count(")") + name.count("]"):
        name = name[1:].lstrip(" -–—,;:")
    return name


class _Directory:
    """The actors an organiser field can name, by number and by folded name (removed ones
    too: a name whose actor was removed links nothing and makes nothing)."""

    def __init__(self, by_number: dict[tuple[str, str], int], by_name: dict[str, int | None]):
        self.by_number = by_number
        self.by_name = by_name

    @classmethod
    def load(cls, session: Session) -> _Directory:
        by_number: dict[tuple[str, str], int] = {}
        by_name: dict[str, int | None] = {}
        rows = session.execute(select(Actor.id, Actor.name, Actor.siren, Actor.rna,
                                      Actor.removed_at).order_by(Actor.id))
        for actor_id, name, siren, rna, removed_at in rows:
            live = actor_id if removed_at is None else None
            if siren:
                by_number[("siren", siren)] = live
            if rna:
                by_number[("rna", rna)] = live
            key = fold(name)
            if key and (key not in by_name or by_name[key] is None):
                by_name[key] = live
        return cls(by_number, by_name)

    def find(self, organizer: str) -> int | None:
        for kind, number in numbers_in(organizer).items():
            if (kind, number) in self.by_number:
                return self.by_number[(kind, number)]
        return (self.by_name.get(fold(organizer))
                or self.by_name.get(fold(_name_without_numbers(organizer))))

    def create(self, session: Session, organizer: str) -> int | None:
        """A new actor to check named after the organiser (its numbers kept), or None when
        its folded name is already taken (by a removed actor)."""
        name = _name_without_numbers(organizer)
        key = fold(name)
        if key in self.by_name or fold(organizer) in self.by_name:
            return self.by_name.get(key)
        numbers = numbers_in(organizer)
        numbers = {k: v for k, v in numbers.items() if (k, v) not in self.by_number}
        actor_id = _insert_actor(session, {"name": name, "status": "to_check",
                                           "origin": "organizer", **numbers})
        self.by_name[key] = self.by_name[fold(organizer)] = actor_id
        for kind, number in numbers.items():
            self.by_number[(kind, number)] = actor_id
        return actor_id


def _insert_actor(session: Session, values: dict) -> int | None:
    """Insert the actor unless another transaction has just made one of that name or number
    (then nothing, and the id of the one of that name if there is one)."""
    session.execute(_dialect(session).insert(Actor.__table__).values(**values)
                    .on_conflict_do_nothing())
    return session.scalar(select(Actor.id).where(Actor.name == values["name"]))


def _dialect(session: Session):
    """The dialect's own ``insert`` (ON CONFLICT DO NOTHING: SQLite and PostgreSQL alike)."""
    return postgresql if session.get_bind().dialect.name == "postgresql" else sqlite


def _write(session: Session, chunk: list[str], wanted: dict[str, dict[int, str]],
           counts: LinkCounts) -> None:
    """Bring the chunk's links in line with ``wanted``: a few statements per actor."""
    existing = session.execute(select(EventActor.event_id, EventActor.actor_id, EventActor.how)
                               .where(EventActor.event_id.in_(chunk)))
    have = {(event_id, actor_id): how for event_id, actor_id, how in existing}
    gone, moved, new = defaultdict(list), defaultdict(list), []
    for (event_id, actor_id), how in have.items():
        target = wanted.get(event_id, {}).get(actor_id)
        if how == "staff":
            continue
        if target is None:
            gone[actor_id].append(event_id)
        elif target != how:
            moved[(actor_id, target)].append(event_id)
    for event_id, links in wanted.items():
        new += [{"event_id": event_id, "actor_id": actor_id, "how": how}
                for actor_id, how in links.items() if (event_id, actor_id) not in have]
    for actor_id, event_ids in gone.items():
        session.execute(delete(EventActor).where(EventActor.actor_id == actor_id,
                                                 EventActor.event_id.in_(event_ids))
                        .execution_options(synchronize_session=False))
    for (actor_id, how), event_ids in moved.items():
        session.execute(update(EventActor).where(EventActor.actor_id == actor_id,
                                                 EventActor.event_id.in_(event_ids))
                        .values(how=how).execution_options(synchronize_session=False))
    if new:  # a link made meanwhile by another transaction (staff's) is kept as it is
        session.execute(_dialect(session).insert(EventActor.__table__).on_conflict_do_nothing(), new)
    counts.removed += sum(map(len, gone.values()))
    counts.changed += sum(map(len, moved.values()))
    counts.added += len(new)
