"""The proposal form opened from a campaign's page (``/submit?campagne=<slug>``) has that
campaign chosen."""

from __future__ import annotations

from flask import request


def preselect_campaign(form) -> None:
    """Before the first send, choose the campaign named by ``campagne`` in the query string,
    when it is one the form offers (still running); otherwise leave the form as it is."""
    if form.is_submitted():
        return
    slug = request.args.get("campagne", "").strip()
    chosen = next((c for c in form.context.campaigns if c.slug == slug), None) if slug else None
    if chosen is not None:
        form.campaign.data = str(chosen.id)
