"""How matches become merges (pure): the verdict on a pair of events from the matches of their
occurrences, the clusters joined in memory, and the rows of a cluster once arranged (the
orchestration and the SQL are in ``agenda.services.merging``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from agenda.matching import score_pair
from agenda.services.merge_values import merged_values
from agenda.store import merges
from agenda.store.match_pairs import ordered


class Groups:
    """The clusters being joined, in memory (a union-find over the heads), refusing a join
    that would put two events of one source together, or a pair staff said are not the same."""

    def __init__(self, clusters: dict[str, list[merges.Member]]):
        self.clusters = clusters
        self.parent = {head: head for head in clusters}
        self.sources = {h: {m.source_id for m in ms} for h, ms in clusters.items()}
        self.ids = {h: {m.copy.event_id for m in ms} for h, ms in clusters.items()}
        self.refused: set[tuple[str, str]] = set()

    def all_members(self) -> list[str]:
        return [event_id for ids in self.ids.values() for event_id in ids]

    def root(self, head: str) -> str:
        while self.parent[head] != head:
            self.parent[head] = self.parent[self.parent[head]]
            head = self.parent[head]
        return head

    def join(self, a: str, b: str) -> bool:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return True
        if self.sources[ra] & self.sources[rb] or self._refused(self.ids[ra], self.ids[rb]):
            return False
        self.parent[rb] = ra
        self.sources[ra] |= self.sources.pop(rb)
        self.ids[ra] |= self.ids.pop(rb)
        return True

    def _refused(self, first: set[str], second: set[str]) -> bool:
        return any((x in first and y in second) or (x in second and y in first)
                   for x, y in self.refused)

    def joined(self) -> list[list[merges.Member]]:
        """The members of each cluster that grew."""
        grown: dict[str, list[merges.Member]] = defaultdict(list)
        for head, members in self.clusters.items():
            grown[self.root(head)].append(members)
        return [[m for ms in parts for m in ms] for parts in grown.values() if len(parts) > 1]


def by_event_pair(matches: list) -> dict[tuple[str, str], list]:
    """Matches of occurrences, gathered by pair of events (a series is matched occurrence by
    occurrence)."""
    found: dict[tuple[str, str], list] = defaultdict(list)
    for match in matches:
        found[ordered(match.first.event_id, match.second.event_id)].append(match)
    return found


def verdict(found: list) -> tuple[str, object]:
    """A pair of events merges when one of their occurrences does, unless both are series
    that share only a few sessions (then staff decide)."""
    best = max(found, key=lambda m: m.score)
    if best.verdict != "merge":
        return "review", best
    merged = {m.first.key for m in found if m.verdict == "merge"}
    if len(merged) < 2 and both_series(found):
        return "review", best
    return "merge", best


def both_series(found: list) -> bool:
    firsts = {m.first.key for m in found}
    seconds = {m.second.key for m in found}
    return len(firsts) > 1 and len(seconds) > 1


def best_score(first: list, second: list, tz: ZoneInfo) -> tuple[float, dict]:
    """The best score between two events' occurrences of the same local day."""
    days = {}
    for candidate in second:
        days.setdefault(candidate.start.astimezone(tz).date(), []).append(candidate)
    best: tuple[float, dict] = (0.0, {})
    for a in first:
        for b in days.get(a.start.astimezone(tz).date(), []):
            best = max(best, score_pair(a, b, tz=tz), key=lambda found: found[0])
    return best


def arrange(members: list[merges.Member], *, now: datetime) -> list[dict]:
    """Choose the head among the live members and point every other member to it (a removed
    one too: its old page still leads to the event); alone, a head shows its own values."""
    live = [m for m in members if not m.removed]
    if not live:
        return [v for m in members if (v := merges.alone_values(m, now=now))]
    head = min(live, key=lambda m: (not m.series, m.copy.created_at, m.copy.event_id))
    if len(live) == 1:
        writes = [merges.alone_values(head, now=now)]
    else:
        writes = [merges.head_values(head, merged_values([m.copy for m in live]), now=now)]
    writes += [merges.copy_values(m, head.copy.event_id, now=now) for m in members
               if m is not head]
    return [values for values in writes if values]
