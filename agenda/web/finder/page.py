"""What the search page shows: its cards, the kind, theme and department facets as links, the
filters that only concern some kinds, the pages and the downloads."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from flask import request, url_for

from agenda.finder import KINDS, FinderQuery
from agenda.finder.query import ACTOR_STATUSES, STATUSES
from agenda.finder.rows import load_hits
from agenda.listing.filters import BadFilter
from agenda.models.actor import STRUCTURES
from agenda.models.initiative import INITIATIVE_STATUSES
from agenda.web import db_session, state
from agenda.web.finder.results import args_of, current_finder, hit_url, window_of
from agenda.web.public.listing import FacetLink, commune_label, current_region
from agenda.web.public.pages import page_links
from agenda.web.shared.i18n import N_, theme_label

PER_PAGE = 20
MAX_PAGE = 500
KIND_LABELS = {"": N_("All"), "event": N_("Events"), "initiative": N_("Initiatives"),
               "actor": N_("Actors")}
KIND_NAMES = {"event": N_("Event"), "initiative": N_("Initiative"), "actor": N_("Actor")}
STRUCTURE_LABELS = {
    "association": N_("Association"), "cooperative": N_("Cooperative"),
    "mutual": N_("Mutual society"), "foundation": N_("Foundation"),
    "company": N_("ESS company"), "public": N_("Public body"), "other": N_("Other"),
}
EXCLUSION_NOTES = {
    ("event", "structure"): N_("Events are left out: the kind of structure concerns actors "
                               "only."),
    ("initiative", "structure"): N_("Initiatives are left out: the kind of structure concerns "
                                    "actors only."),
    ("event", "status"): N_("Events are left out: the chosen status does not concern them."),
    ("initiative", "status"): N_("Initiatives are left out: the chosen status does not concern "
                                 "them."),
    ("actor", "status"): N_("Actors are left out: the chosen status does not concern them."),
}
STATUS_LABELS = {"project": N_("Project"), "active": N_("Active"), "ended": N_("Ended"),
                 "confirmed": N_("Confirmed"), "to_check": N_("To check")}


@dataclass(frozen=True)
class KindLink:
    kind: str  # "" for every kind
    label: str  # msgid
    count: int
    url: str
    selected: bool
    excluded: tuple[str, ...]  # the filters that leave this kind out


@dataclass(frozen=True)
class Card:
    kind: str
    id: str
    url: str
    record: object  # Occurrence (event), Initiative or Actor
    actors: tuple[str, ...] = ()


def search_page_context(query: FinderQuery) -> dict:
    page = request_page()
    found = current_finder().find(db_session(), query, window=window_of(query),
                                  search=state().search, offset=(page - 1) * PER_PAGE,
                                  limit=PER_PAGE)
    pages = max(1, ceil(found.total / PER_PAGE))
    args = args_of(query)
    from agenda.web.finder.views import export_urls

    return {
        "query": query, "found": found, "cards": cards(found.hits, query), "page": page,
        "pages": pages, "page_urls": page_links(page, pages, lambda n: url_for(
            "finder.search", **args, **({"page": n} if n > 1 else {}))),
        "kind_links": kind_links(query, found), "facets": facet_links(query, found.facets),
        "structure_links": _choice_links(query, "structures", STRUCTURES, STRUCTURE_LABELS,
                                         found.choices.get("structure", {})),
        "status_links": _choice_links(query, "statuses", (*INITIATIVE_STATUSES,
                                                          *ACTOR_STATUSES), STATUS_LABELS,
                                      found.choices.get("status", {})),
        "kind_names": KIND_NAMES, "notes": [EXCLUSION_NOTES[(kind, reasons[0])] for kind, reasons
                                            in found.excluded.items()], "status_labels": STATUS_LABELS,
        "structure_labels": STRUCTURE_LABELS, "exports": export_urls(args),
        "clear_url": url_for("finder.search", **({"q": query.q} if query.q else {})),
        "past_url": url_for("finder.search", **args_of(
            query, when="" if query.when == "all" else "all")),
        "hidden": [(k, v) for k, v in query.to_query() if k != "q"],
    }


def request_page() -> int:
    value = request.args.get("page", "1").strip() or "1"
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise BadFilter(f"The page must be a whole number between 1 and {MAX_PAGE}.")
    return int(value)


def cards(hits, query: FinderQuery) -> list[Card]:
    loaded = load_hits(db_session(), hits, window=window_of(query))
    found = []
    for kind, record_id in hits:
        if kind == "event":
            record = loaded.events.get(record_id)
        elif kind == "initiative":
            record = loaded.initiatives.get(record_id)
        else:
            record = loaded.actors.get(int(record_id))
        if record is not None:
            found.append(Card(kind, record_id, hit_url(kind, record_id), record,
                              tuple(loaded.initiative_actors.get(record_id, ()))))
    return found


def kind_links(query: FinderQuery, found) -> list[KindLink]:
    counts = found.facets["kind"]
    links = [KindLink("", KIND_LABELS[""], sum(counts.values()),
                      url_for("finder.search", **args_of(query, kind=())), not query.kinds, ())]
    for kind in KINDS:
        links.append(KindLink(kind, KIND_LABELS[kind], counts.get(kind, 0),
                              url_for("finder.search", **args_of(query, kind=(kind,))),
                              query.kinds == (kind,), found.excluded.get(kind, ())))
    return links


def facet_links(query: FinderQuery, facets: dict) -> dict[str, list[FacetLink]]:
    region = current_region()
    filters = query.filters
    departments = [FacetLink(f"{region.department(code).name} ({code})", n,
                             _toggle(query, "dept", filters.departments, code),
                             code in filters.departments)
                   for code, n in facets["dept"].items() if region.department(code)]
    themes = [FacetLink(theme_label(region.theme(slug)), n,
                        _toggle(query, "theme", filters.themes, slug), slug in filters.themes)
              for slug, n in facets["theme"].items() if region.theme(slug)]
    communes = [FacetLink(commune_label(code), 0, _toggle(query, "commune", filters.communes,
                                                          code), True)
                for code in filters.communes]
    return {"departments": departments, "themes": themes, "communes": communes}


@dataclass(frozen=True)
class ChoiceLink:
    label: str  # msgid
    url: str
    selected: bool
    kind: str  # the kind it concerns
    count: int  # the results listed that have it


def _choice_links(query: FinderQuery, field: str, values, labels,
                  counts: dict[str, int]) -> list[ChoiceLink]:
    chosen = getattr(query, field)
    name = "structure" if field == "structures" else "status"
    return [ChoiceLink(labels[value], _toggle(query, name, chosen, value), value in chosen,
                       "actor" if name == "structure" else STATUSES[value],
                       counts.get(value, 0))
            for value in values]


def _toggle(query: FinderQuery, name: str, current: tuple, value: str) -> str:
    values = tuple(v for v in current if v != value) if value in current else (*current, value)
    return url_for("finder.search", **args_of(query, **{name: values}))
