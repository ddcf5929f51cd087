"""What an actor or an initiative gives to the search across kinds (pure).

The same four word fields and weights as an event (``agenda.search.documents.FIELD_WEIGHTS``):
the name or title above the themes and kinds of structure (their French labels, so that
« coopérative » finds the cooperatives), above the place (commune, territory, department, the
initiative's actors), above the description.  Beside the words, what the filters and facets use:
themes, department, commune, structure and status.
"""

from __future__ import annotations

from dataclasses import dataclass

from agenda.region import Region
from agenda.search.analysis import fold
from agenda.search.documents import FIELD_WEIGHTS, MAX_DESCRIPTION

__all__ = ["FIELD_WEIGHTS", "Record", "actor_record", "initiative_record", "name_key"]

# The words a kind of structure is also found by (``Actor.structure``), in French.
STRUCTURE_WORDS = {
    "association": "association", "cooperative": "coopérative", "mutual": "mutuelle",
    "foundation": "fondation", "company": "entreprise", "public": "organisme public",
    "other": "",
}


@dataclass(frozen=True)
class Record:
    """One actor or initiative as the search sees it."""

    kind: str  # "actor" | "initiative"
    id: str  # an actor's number as text, an initiative's id
    title: str
    tags: str = ""
    place: str = ""
    description: str = ""
    themes: tuple[str, ...] = ()
    department: str = ""  # "" : none (an initiative of the whole region)
    commune: str = ""  # INSEE code
    structure: str = ""  # actors only
    status: str = ""

    def text(self, field: str) -> str:
        return getattr(self, field)


def actor_record(actor, region: Region) -> Record:
    """An :class:`agenda.models.Actor` (or anything with its attributes)."""
    themes = tuple(actor.themes or ())
    tags = [*_theme_labels(themes, region), STRUCTURE_WORDS.get(actor.structure or "", ""),
            actor.kind or "", *[str(a) for a in actor.approvals or ()]]
    place = [actor.commune_name, _department_name(actor.department, region), actor.address]
    return Record(
        kind="actor", id=str(actor.id), title=actor.name, tags=_joined(tags),
        place=_joined(place), description=(actor.description_text or "")[:MAX_DESCRIPTION],
        themes=themes, department=actor.department or "", commune=actor.commune_code or "",
        structure=actor.structure or "", status=actor.status or "")


def initiative_record(initiative, region: Region, actor_names: tuple[str, ...] = ()) -> Record:
    """An :class:`agenda.models.Initiative`; ``actor_names``: its actors (the main one first)."""
    themes = tuple(initiative.themes or ())
    place = [initiative.territory, initiative.commune_name,
             _department_name(initiative.department, region), *actor_names]
    return Record(
        kind="initiative", id=initiative.id, title=initiative.title,
        tags=_joined(_theme_labels(themes, region)), place=_joined(place),
        description=(initiative.description_text or "")[:MAX_DESCRIPTION], themes=themes,
        department=initiative.department or "", commune=initiative.commune_code or "",
        status=initiative.status or "")


def name_key(title: str) -> tuple[str, str]:
    """The order of names: case and accents aside ('Écolieu' between 'Eco' and 'Ed')."""
    return (" ".join(fold(title).casefold().split()), title)


def _theme_labels(themes, region: Region) -> list[str]:
    return [theme.label_fr for slug in themes if (theme := region.theme(slug))]


def _department_name(code: str | None, region: Region) -> str:
    department = region.department(code) if code else None
    return department.name if department else ""


def _joined(parts) -> str:
    return " ".join(part for part in parts if part)
