"""The filterable side of the index, in memory, one Whoosh segment at a time.

For each segment: the events' ids, sets (bitsets) of its events per department, commune, theme,
source and mode, and its occurrences sorted by start then event id.  Read once from the ``facts``
column: a segment never changes (only its deletions do, and they are applied per generation),
so after a collection a process reads only the new small segment.  The queries over these
facts are in :mod:`agenda.search.selection`.
"""

from __future__ import annotations

import gc
import threading
from array import array
from bisect import bisect_left
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field

from agenda.search import bitsets
from agenda.search.documents import IN_PERSON, ONLINE, unpack_dates

DAY = 86400
LONG = 2 * DAY  # occurrences lasting longer are kept apart and checked one by one
MEMO_SIZE = 32  # windows and cities remembered per segment
_SEP = "\x1f"


@dataclass(frozen=True)
class Window:
    """What a segment knows of one date window: its events, and the extra occurrences of those
    that occur more than once in it (so that counting occurrences needs no loop)."""

    events: int
    extra: dict[int, int]


@dataclass(eq=False)
class SegmentFacts:
    """One segment's events by local document number, and its occurrences by (start, id)."""

    size: int
    ids: tuple[str, ...]
    dates: list[bytes]
    cities: tuple[str, ...]
    departments: dict[str, int]
    communes: dict[str, int]
    themes: dict[str, int]
    sources: dict[int, int]
    flags: dict[int, int]
    starts: array
    ends: array
    docs: array
    long: list[tuple[int, int, int]]
    key: tuple = ()  # (index folder, segment id): names its cached term bitsets
    memo: OrderedDict = field(default_factory=OrderedDict, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def window(self, first: int, last: int) -> Window:
        """The events with an occurrence overlapping [first, last) (UTC seconds).

        Worked out once for the window widened to whole UTC days (so a window starting "now"
        reuses it all day), then narrowed by the occurrences of the two edge days only."""
        day_first, day_last = first - first % DAY, last + (-last) % DAY
        days = self._remember(("window", day_first, day_last),
                              lambda: self._window(day_first, day_last))
        if (day_first, day_last) == (first, last):
            return days
        return self._remember(("window", first, last), lambda: self._narrow(
            days, (day_first, day_last), (first, last)))

    def city_bits(self, city: str) -> int:
        return self._remember(("city", city), lambda: bitsets.from_positions(
            (doc for doc, name in enumerate(self.cities) if name == city), self.size))

    def span(self, first: int, last: int) -> tuple[int, int, int]:
        """Positions of the short occurrences that may overlap: [low, middle) start before
        ``first`` (their end decides), [middle, high) start inside."""
        starts = self.starts
        return (bisect_left(starts, first - LONG), bisect_left(starts, first),
                bisect_left(starts, last))

    def _window(self, first: int, last: int) -> Window:
        ends, docs = self.ends, self.docs
        low, middle, high = self.span(first, last)
        found = [docs[i] for i in range(low, middle) if ends[i] > first]
        found.extend(docs[middle:high])
        found.extend(doc for start, end, doc in self.long
                     if start < last and (end > first or start >= first))
        repeated = {doc: n - 1 for doc, n in Counter(found).items() if n > 1}
        return Window(bitsets.from_positions(found, self.size), repeated)

    def _narrow(self, days: Window, wide: tuple[int, int], window: tuple[int, int]) -> Window:
        """``days`` without the occurrences in ``wide`` but not in ``window``."""
        outside = Counter(self._edge_docs(wide, window))
        extra = {doc: n - outside[doc] for doc, n in days.extra.items() if n - outside[doc] > 0}
        gone = [doc for doc, n in outside.items() if n > days.extra.get(doc, 0)]
        return Window(days.events & ~bitsets.from_positions(gone, self.size), extra)

    def _edge_docs(self, wide: tuple[int, int], window: tuple[int, int]):
        """The document of each occurrence overlapping ``wide`` but not ``window``."""
        (wide_first, wide_last), (first, last) = wide, window
        starts, ends, docs = self.starts, self.ends, self.docs
        yield from docs[bisect_left(starts, last):bisect_left(starts, wide_last)]
        for i in range(bisect_left(starts, wide_first - LONG), bisect_left(starts, first)):
            if ends[i] <= first and (ends[i] > wide_first or starts[i] >= wide_first):
                yield docs[i]
        for start, end, doc in self.long:
            if (start < wide_last and (end > wide_first or start >= wide_first)
                    and not (start < last and (end > first or start >= first))):
                yield doc

    def _remember(self, key, compute):
        with self.lock:
            value = self.memo.get(key)
        if value is None:
            value = compute()  # two threads may both compute it: same result
            with self.lock:
                self.memo[key] = value
                if len(self.memo) > MEMO_SIZE:
                    self.memo.popitem(last=False)
        return value


@dataclass(frozen=True, eq=False)
class Leaf:
    """A segment as one generation of the index sees it: its facts, first docnum, live docs,
    and its Whoosh segment reader (for the posting lists of words)."""

    facts: SegmentFacts
    base: int
    live: int
    reader: object = None


def read_segment(reader, key: tuple = ()) -> SegmentFacts:
    """The facts of one Whoosh segment reader (deleted documents included)."""
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of new objects: no collection passes meanwhile (half)
    try:
        return _read_segment(reader, key)
    finally:
        if collecting:
            gc.enable()


def _read_segment(reader, key: tuple) -> SegmentFacts:
    texts, dates = [], []
    for raw in reader.column_reader("facts", translate=False):
        length = raw[0] | raw[1] << 8
        texts.append(raw[2:2 + length].decode("utf-8").split(_SEP))
        dates.append(raw[2 + length:])
    ids, departments, sources, flags, themes, cities, _, communes = (zip(*texts) if texts
                                                                     else ((),) * 8)
    size = len(ids)
    groups = _groups(zip(departments, sources, flags, themes, communes), size)
    return SegmentFacts(size=size, ids=ids, dates=dates, cities=cities, key=key, **groups,
                        **_sorted_occurrences(ids, dates))


def _groups(values, size: int) -> dict[str, dict]:
    """Department, theme, source, mode and commune -> bitset of the documents that have it."""
    by_value: dict[tuple, list[int]] = defaultdict(list)
    for doc, value in enumerate(values):
        by_value[value].append(doc)
    groups: dict[str, dict] = {name: defaultdict(list) for name in
                               ("departments", "communes", "sources", "flags", "themes")}
    for (department, source, flags, themes, commune), docs in by_value.items():
        if department:
            groups["departments"][department].extend(docs)
        if commune:
            groups["communes"][commune].extend(docs)
        groups["sources"][int(source)].extend(docs)
        for flag in (ONLINE, IN_PERSON):
            if int(flags) & flag:
                groups["flags"][flag].extend(docs)
        for slug in themes.split(",") if themes else ():
            groups["themes"][slug].extend(docs)
    return {name: {key: bitsets.from_positions(docs, size) for key, docs in group.items()}
            for name, group in groups.items()}


def _sorted_occurrences(ids: tuple[str, ...], dates: list[bytes]) -> dict:
    """Occurrences by (start, event id), the short ones in three arrays, the long ones apart."""
    values = unpack_dates(b"".join(dates))
    starts, ends = values[::2], values[1::2]
    docs = array("l", [doc for doc, raw in enumerate(dates) for _ in range(len(raw) >> 4)])
    rank = [0] * len(ids)
    for position, doc in enumerate(sorted(range(len(ids)), key=ids.__getitem__)):
        rank[doc] = position
    size = len(ids)
    keys = [start * size + rank[doc] for start, doc in zip(starts, docs)]
    order = sorted(range(len(starts)), key=keys.__getitem__)
    short = [i for i in order if ends[i] - starts[i] <= LONG]
    return {"starts": array("q", [starts[i] for i in short]),
            "ends": array("q", [ends[i] for i in short]),
            "docs": array("l", [docs[i] for i in short]),
            "long": [(starts[i], ends[i], docs[i]) for i in order if ends[i] - starts[i] > LONG]}
