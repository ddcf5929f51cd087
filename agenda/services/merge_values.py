"""Which copy of a merged event gives each field (pure).

The copies are ranked: the priority staff gave their source first, then the form (what an
organiser typed for us), then the organiser's own source (its name is the organiser's), then
the most complete copy, then the earliest.  Each group of fields (the place is one group, so
that an address never goes with another copy's town) comes from the best copy that has it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

# Groups of the columns a merged event takes from its copies, taken together
FIELD_GROUPS: tuple[tuple[str, ...], ...] = (
    ("title",),
    ("description_html", "description_text"),
    ("location_name", "address", "postcode", "city", "department", "commune_code",
     "commune_name", "lat", "lon"),
    ("online_url",),
    ("organizer",),
    ("url",),
    ("image_url",),
    ("categories",),
    ("themes",),
    ("status",),
    ("campaign_id",),
)
MERGED_COLUMNS: tuple[str, ...] = tuple(name for group in FIELD_GROUPS for name in group)
_COMPLETENESS = ("title", "description_text", "location_name", "address", "commune_code",
                 "lat", "organizer", "url", "image_url", "online_url")


@dataclass(frozen=True)
class Copy:
    """One copy of a merged event as the ranking needs it: its own values (MERGED_COLUMNS)."""

    event_id: str
    values: dict
    created_at: datetime
    source_priority: int = 0
    source_kind: str = ""
    source_name: str = ""


def rank(copies: list[Copy]) -> list[Copy]:
    """The copies, best first."""
    return sorted(copies, key=_rank_key)


def merged_values(copies: list[Copy]) -> dict:
    """The merged event's values: each group from the best copy that has it."""
    ranked = rank(copies)
    values: dict = {}
    for group in FIELD_GROUPS:
        giver = next((c for c in ranked if any(_present(c.values.get(n)) for n in group)),
                     ranked[0])
        values.update({name: giver.values.get(name) for name in group})
    return values


def _rank_key(copy: Copy):
    own = bool(copy.source_name) and _fold(copy.source_name) == _fold(copy.values.get("organizer"))
    complete = sum(1 for name in _COMPLETENESS if _present(copy.values.get(name)))
    return (-copy.source_priority, copy.source_kind != "form", not own, -complete,
            copy.created_at, copy.event_id)


def _present(value) -> bool:
    return value not in (None, "", [], ())


def _fold(text: str | None) -> str:
    bare = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(ch for ch in bare if not unicodedata.combining(ch)).casefold().split())
