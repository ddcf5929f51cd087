"""One listing per real event: match the events a collection (or the form) wrote against the
listed ones, merge the sure pairs, queue the uncertain ones for staff, and keep every merged
event's values and head right.

A merge is soft: every copy keeps its row and points to its cluster's head, the listed event.
The head is the earliest copy (a series before a single event: the single is one of its
sessions), so the public id and the ICS UID stay the earliest; the head's columns hold the
merged values (``merge_values``), its own wait in ``own_values``.  A copy leaves the feeds as a
CANCELLED VEVENT, its page redirects to the head's.  Staff confirm or refuse the pairs of the
review queue and can split a copy out (audited); a "not the same" is never asked again.
Nothing here commits: the caller's transaction does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agenda.matching import AUTO_MERGE, REVIEW, find_matches
from agenda.services.merge_plan import Groups, arrange, best_score, by_event_pair, verdict
from agenda.store import match_pairs, merges
from agenda.store.audit import add_audit
from agenda.store.changes import bump_data_version
from agenda.store.match_candidates import candidates_around, candidates_of

log = logging.getLogger(__name__)

AUTO = "auto"  # decided_by of the pairs merged without staff


@dataclass
class MatchReport:
    merged: int = 0      # pairs merged automatically
    queued: int = 0      # pairs put in the review queue
    touched: set[str] = field(default_factory=set)  # events to re-index after the commit


def match_events(session: Session, changed_ids: Iterable[str], *, now: datetime, tz: ZoneInfo,
                 removed_ids: Iterable[str] = (), new_ids: Iterable[str] = ()) -> MatchReport:
    """After a collection or a publication wrote ``changed_ids`` and removed ``removed_ids``:
    keep their clusters right, then match the changed listed events against the listed ones
    of their days.  ``new_ids`` (among ``changed_ids``) were just inserted: in no cluster yet."""
    changed, removed = list(dict.fromkeys(changed_ids)), list(dict.fromkeys(removed_ids))
    report = MatchReport()
    if not changed and not removed:
        return report
    new = set(new_ids)
    known = [event_id for event_id in changed if event_id not in new]
    merges.write(session, merges.refreshed_own_values(session, known))
    clustered = merges.clustered(session, known + removed)
    report.touched |= refresh_clusters(session, clustered, now=now)
    if clustered:
        report.touched |= _recheck(session, known, now=now, tz=tz)
    heads = merges.heads_of(session, known)
    _match(session, [e for e in changed if e in new or heads.get(e) == e], report, now=now,
           tz=tz)
    if report.touched:
        bump_data_version(session)
    return report


def _recheck(session: Session, changed: list[str], *, now: datetime, tz: ZoneInfo) -> set[str]:
    """Merges made without staff whose changed side no longer looks the same (its source moved
    it to another day, renamed it...): that side leaves its cluster, and the pair goes back to
    the review queue (or is forgotten, when it no longer looks alike at all).  Merges staff
    confirmed stay."""
    wanted = set(changed)
    pairs = [pair for pair in match_pairs.pairs_touching(session, changed).values()
             if pair.state == "merged" and pair.decided_by == AUTO]
    if not pairs:
        return set()
    occurrences = candidates_of(session, sorted({e for p in pairs
                                                 for e in (p.first_id, p.second_id)}))
    touched: set[str] = set()
    for pair in pairs:
        score, parts = best_score(occurrences.get(pair.first_id, []),
                                   occurrences.get(pair.second_id, []), tz)
        if score >= AUTO_MERGE:
            continue
        touched |= _detach(session, pair.first_id if pair.first_id in wanted else pair.second_id,
                           now=now)
        if score >= REVIEW:
            pair.state, pair.decided_by, pair.decided_at = "pending", None, None
            pair.score, pair.reasons = round(score, 4), parts
        else:
            session.delete(pair)
    session.flush()
    return touched


def _detach(session: Session, event_id: str, *, now: datetime) -> set[str]:
    """Take an event out of its cluster without a staff decision."""
    head = merges.heads_of(session, [event_id]).get(event_id, event_id)
    members = merges.members_of(session, [head]).get(head, [])
    out = next((m for m in members if m.copy.event_id == event_id), None)
    if out is None or len(members) < 2:
        return set()
    merges.write(session, [v for v in [merges.alone_values(out, now=now)] if v])
    return _apply(session, [[m for m in members if m is not out]], now=now) | {event_id}


def settle_removed(session: Session, removed_ids: Iterable[str], *, now: datetime) -> set[str]:
    """Events just removed: their clusters get another head, or come apart."""
    touched = refresh_clusters(session, merges.clustered(session, list(removed_ids)), now=now)
    if touched:
        bump_data_version(session)
    return touched


def _match(session: Session, listed_ids: list[str], report: MatchReport, *, now: datetime,
           tz: ZoneInfo) -> None:
    if not listed_ids:
        return
    candidates = candidates_around(session, listed_ids, tz=tz)
    by_pair = by_event_pair(find_matches(candidates, tz=tz, changed=set(listed_ids)))
    known = match_pairs.pairs_touching(session, listed_ids)
    found = [(pair, *verdict(matches)) for pair, matches in by_pair.items() if pair not in known]
    found.sort(key=lambda item: (-item[2].score, item[0]))
    groups = Groups(merges.members_of(session, {e for pair, _, _ in found for e in pair}))
    groups.refused |= match_pairs.refused_pairs(session, groups.all_members())
    pairs = []
    for (a, b), decided, best in found:
        if decided == "merge" and groups.join(a, b):
            state, decided_by = "merged", AUTO
            report.merged += 1
        else:  # uncertain, or the clusters hold a "not the same" or two UIDs of one source
            state, decided_by = "pending", None
            report.queued += 1
        pairs.append({"a": a, "b": b, "score": best.score, "reasons": best.parts,
                      "state": state, "decided_by": decided_by})
    match_pairs.add_pairs(session, pairs, now=now)
    report.touched |= _apply(session, groups.joined(), now=now)
    session.flush()


def _may_join(session: Session, a: str, b: str) -> bool:
    """Whether the clusters of ``a`` and ``b`` may merge without staff: no pair across them
    was refused, and no source has an event on both sides (two UIDs of one source)."""
    heads = merges.heads_of(session, [a, b])
    groups = Groups(merges.members_of(session, set(heads.values())))
    groups.refused |= match_pairs.refused_pairs(session, groups.all_members())
    return groups.join(heads[a], heads[b])


def merge(session: Session, a: str, b: str, *, now: datetime) -> set[str]:
    """Put the clusters of ``a`` and ``b`` together (staff decided); returns the events
    touched."""
    heads = merges.heads_of(session, [a, b])
    first, second = heads.get(a, a), heads.get(b, b)
    if first == second:
        return set()
    clusters = merges.members_of(session, {first, second})
    return _apply(session, [clusters.get(first, []) + clusters.get(second, [])], now=now)


def refresh_clusters(session: Session, heads: set[str], *, now: datetime) -> set[str]:
    """Choose each cluster's head again (the old one may be removed) and rewrite the merged
    values; returns the events touched."""
    clusters = merges.members_of(session, heads)
    return _apply(session, list(clusters.values()), now=now)


def _apply(session: Session, clusters: list[list[merges.Member]], *, now: datetime) -> set[str]:
    writes, touched = [], set()
    for members in clusters:
        writes += arrange(members, now=now)
        touched |= {m.copy.event_id for m in members}
    merges.write(session, writes)
    session.flush()
    return touched


def confirm_pair(session: Session, pair_id: int, *, who: str, now: datetime,
                 user_id: int | None = None) -> set[str] | None:
    """Staff say the pair is one event: merge it (audited).  None: no such pending pair."""
    pair = match_pairs.get_pair(session, pair_id)
    if pair is None or pair.state != "pending":
        return None
    match_pairs.decide(pair, "merged", who=who, now=now)
    touched = merge(session, pair.first_id, pair.second_id, now=now)
    _audit(session, "match_confirm", pair.first_id, pair.second_id, who, user_id, now)
    bump_data_version(session)
    return touched


def refuse_pair(session: Session, pair_id: int, *, who: str, now: datetime,
                user_id: int | None = None) -> bool:
    """Staff say "not the same": remembered, never asked again (audited)."""
    pair = match_pairs.get_pair(session, pair_id)
    if pair is None or pair.state != "pending":
        return False
    match_pairs.decide(pair, "refused", who=who, now=now)
    _audit(session, "match_refuse", pair.first_id, pair.second_id, who, user_id, now)
    session.flush()
    return True


def split_copy(session: Session, event_id: str, *, who: str, now: datetime,
               user_id: int | None = None) -> set[str] | None:
    """Take one event out of its merged cluster (the head too: the next copy then heads the
    others); every pair between it and the rest becomes "not the same" (audited).  None: the
    event is not part of a merge."""
    head = merges.heads_of(session, [event_id]).get(event_id)
    if head is None:
        return None
    members = merges.members_of(session, [head]).get(head, [])
    if len(members) < 2:
        return None
    out = next(m for m in members if m.copy.event_id == event_id)
    rest = [m for m in members if m is not out]
    _refuse_all(session, event_id, [m.copy.event_id for m in rest], who=who, now=now)
    merges.write(session, [v for v in [merges.alone_values(out, now=now)] if v])
    touched = _apply(session, [rest], now=now) | {event_id}
    _audit(session, "match_split", event_id, head, who, user_id, now)
    bump_data_version(session)
    return touched


def _refuse_all(session: Session, event_id: str, others: list[str], *, who: str,
                now: datetime) -> None:
    known = match_pairs.pairs_touching(session, [event_id])
    for other in others:
        pair = known.get(match_pairs.ordered(event_id, other))
        if pair is None:
            match_pairs.save_pair(session, event_id, other, score=0.0, reasons={},
                                  state="refused", now=now, decided_by=who)
        else:
            match_pairs.decide(pair, "refused", who=who, now=now)


def _audit(session: Session, action: str, first: str, second: str, who: str,
           user_id: int | None, now: datetime) -> None:
    add_audit(session, action=action, who=who, user_id=user_id, now=now,
              detail={"first": first, "second": second})
