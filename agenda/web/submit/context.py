"""What the proposal forms are given besides the request (``ProposalContext``): the actors and
the campaigns to choose from, the region, the clock, and where an image sent with them goes."""

from __future__ import annotations

from agenda.store.actors import list_actors
from agenda.store.campaigns import campaign_covering, list_campaigns
from agenda.web import db_session, state
from agenda.web.public.listing import current_region
from agenda.web.shared.dates import now_utc
from agenda.web.submit.forms import ProposalContext
from agenda.web.submit.uploads import is_own_image, store_upload


def proposal_context(*, editing: bool = False, keep_campaign: int | None = None
                     ) -> ProposalContext:
    """The choices of the forms (actors, campaigns still running, themes) and the clock."""
    db, settings, now = db_session(), state().settings, now_utc()
    first_day = now.astimezone(settings.tz).date()
    campaigns = [c for c in list_campaigns(db)
                 if c.ends_on >= first_day or c.id == keep_campaign]
    return ProposalContext(
        region=current_region(), now=now, tz=settings.tz,
        actors=[(actor.id, actor.name) for actor in list_actors(db)], campaigns=campaigns,
        covering=lambda day: campaign_covering(db, day), editing=editing,
        store_image=store_upload, own_image=is_own_image)
