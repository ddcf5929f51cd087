"""The optional ``[gogocarto.categories]`` table of the region file: what a map's categories
that the themes' keywords do not recognise mean here (``"Se nourrir" = "alimentation"``).
Categories are compared in the themes' compare form (``region.normalize_keyword``).  Pure,
read once per file."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from agenda.region import Region, normalize_keyword


@lru_cache(maxsize=8)
def category_table(path: Path) -> dict[str, tuple[str, ...]]:
    """{folded category: theme slugs} from the region file (empty when there is none)."""
    try:
        with Path(path).open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    table = (data.get("gogocarto") or {}).get("categories") or {}
    found = {}
    for category, slugs in table.items() if isinstance(table, dict) else ():
        slugs = [slugs] if isinstance(slugs, str) else slugs
        if isinstance(slugs, list):
            found[normalize_keyword(str(category))] = tuple(s for s in slugs if isinstance(s, str))
    return found


def mapped_themes(words: list[str], table: dict[str, tuple[str, ...]], region: Region) -> set:
    """The slugs the table gives these categories (only the region's own slugs)."""
    slugs = {slug for word in words for slug in table.get(normalize_keyword(word), ())}
    return {slug for slug in slugs if region.theme(slug)}
