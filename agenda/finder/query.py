"""What a search across kinds asks for, read from a query string (pure).

    q          words (as the events' search: French analysis, every word must match)
    kind       event | initiative | actor, repeatable (none: every kind)
    theme, dept, commune   as every listing (``agenda.listing.filters.parse_filters``)
    structure  an actor's kind of structure, repeatable (``agenda.models.actor.STRUCTURES``)
    status     project | active | ended (initiatives), confirmed | to_check (actors), repeatable
    when       upcoming (default: events from today) | all (past events too)

``structure`` concerns actors only and each ``status`` one kind only: a kind a filter cannot
concern is left out of the results (asking for cooperatives lists no events), and the page says
so.  An impossible value is a :class:`~agenda.listing.filters.BadFilter` with its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from agenda import geography
from agenda.finder.index import Criteria
from agenda.listing.filters import BadFilter, Filters, parse_filters
from agenda.models.actor import STRUCTURES
from agenda.models.initiative import INITIATIVE_STATUSES
from agenda.region import Region

KINDS = ("event", "initiative", "actor")
ACTOR_STATUSES = ("confirmed", "to_check")
STATUSES = {**{s: "initiative" for s in INITIATIVE_STATUSES},
            **{s: "actor" for s in ACTOR_STATUSES}}
WHENS = ("upcoming", "all")
_EVENT_ARGS = ("q", "theme", "dept", "commune")


@dataclass(frozen=True)
class FinderQuery:
    filters: Filters  # words, themes, departments and communes (the events' own filters)
    kinds: tuple[str, ...] = ()  # none: every kind
    structures: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    when: str = "upcoming"

    @property
    def q(self) -> str:
        return self.filters.q

    @property
    def asked_kinds(self) -> tuple[str, ...]:
        return self.kinds or KINDS

    def excluded_by(self, kind: str) -> tuple[str, ...]:
        """The filters that leave ``kind`` out ("structure", "status"): empty when none."""
        reasons = []
        if self.structures and kind != "actor":
            reasons.append("structure")
        if self.statuses and kind not in {STATUSES[s] for s in self.statuses}:
            reasons.append("status")
        return tuple(reasons)

    def criteria(self, kind: str) -> Criteria:
        """The filters of ``kind`` (its own statuses only)."""
        return Criteria(
            themes=frozenset(self.filters.themes),
            departments=frozenset(self.filters.departments),
            communes=frozenset((code, _department_of(code)) for code in self.filters.communes),
            structures=frozenset(self.structures) if kind == "actor" else frozenset(),
            statuses=frozenset(s for s in self.statuses if STATUSES[s] == kind))

    def to_query(self, **overrides) -> list[tuple[str, str]]:
        """The query-string pairs (defaults left out), for links and exports."""
        values = {"q": self.q, "kind": self.kinds, "theme": self.filters.themes,
                  "dept": self.filters.departments, "commune": self.filters.communes,
                  "structure": self.structures, "status": self.statuses,
                  "when": self.when if self.when != "upcoming" else "", **overrides}
        pairs = []
        for name, value in values.items():
            for item in (value if isinstance(value, (tuple, list)) else [value]):
                if item:
                    pairs.append((name, str(item)))
        return pairs


def parse_query(args: Mapping, *, region: Region) -> FinderQuery:
    """Read and check a search's parameters (a Werkzeug MultiDict or a plain dict)."""
    getlist = args.getlist if hasattr(args, "getlist") else (lambda k: _as_list(args.get(k)))
    filters = parse_filters({name: getlist(name) for name in _EVENT_ARGS if getlist(name)},
                            region=region)
    filters = Filters(q=filters.q, departments=filters.departments, communes=filters.communes,
                      themes=filters.themes, sort="relevance" if filters.q else "date")
    when = _single(getlist("when"), "when") or "upcoming"
    if when not in WHENS:
        raise BadFilter(f"'when' must be one of: {', '.join(WHENS)}.")
    return FinderQuery(filters=filters, kinds=_choices(getlist("kind"), KINDS, "kind"),
                       structures=_choices(getlist("structure"), STRUCTURES, "structure"),
                       statuses=_choices(getlist("status"), tuple(STATUSES), "status"),
                       when=when)


def _choices(values: list, allowed: tuple[str, ...], name: str) -> tuple[str, ...]:
    found = tuple(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
    for value in found:
        if value not in allowed:
            raise BadFilter(f"'{name}' must be one of: {', '.join(allowed)}.")
    return tuple(value for value in allowed if value in found)


def _single(values: list, name: str) -> str:
    found = [str(v).strip() for v in values if str(v).strip()]
    return found[0] if found else ""


def _department_of(code: str) -> str:
    found = geography.commune(code)
    return found.department if found else ""


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
