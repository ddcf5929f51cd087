"""SQL conditions shared by several queries."""

from __future__ import annotations

from sqlalchemy import String, and_, cast, or_


def has_any_theme(themes_column, slugs):
    """The JSON list of theme slugs in ``themes_column`` holds one of ``slugs`` (slugs are
    checked against the region's, so they hold no quote or wildcard)."""
    text = cast(themes_column, String)
    return or_(*(text.like(f'%"{slug}"%') for slug in slugs))


def listed(event=None):
    """The events shown, counted and exported: published (not removed from their source) and
    not a copy merged into another event (``agenda.services.merging``)."""
    from agenda.models import Event  # the models import this module's siblings

    event = event if event is not None else Event
    return and_(event.removed_at.is_(None), event.duplicate_of.is_(None))
