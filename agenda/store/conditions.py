"""SQL conditions shared by several queries."""

from __future__ import annotations

from sqlalchemy import String, cast, or_


def has_any_theme(themes_column, slugs):
    """The JSON list of theme slugs in ``themes_column`` holds one of ``slugs`` (slugs are
    checked against the region's, so they hold no quote or wildcard)."""
    text = cast(themes_column, String)
    return or_(*(text.like(f'%"{slug}"%') for slug in slugs))
