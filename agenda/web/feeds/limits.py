"""Anonymous clients may make the site build feeds only so often.

A feed found in a cache costs nothing and is never limited; a feed that must be built (a new
set of filters, a new day in ``from``...) counts against ``feed_miss_rate_limit`` per client
address (behind ``trusted_proxies``, the address they forward), in the rate limiter's storage
(Redis in production, so every worker shares the count).  Signed-in staff are not limited.
"""

from __future__ import annotations

import logging
import math
import time

from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse_many

from agenda.errors import AgendaError
from agenda.web import state
from agenda.web.extensions import limiter

log = logging.getLogger(__name__)
SCOPE = "feed-miss"


class FeedRateLimited(AgendaError):
    """Too many feed builds asked by one client (HTTP 429, Retry-After)."""

    code = "feed.rate_limited"


def limit_feed_misses() -> None:
    """Count one feed build for this client; FeedRateLimited when it is one too many."""
    if not limiter.enabled or current_user.is_authenticated:
        return
    rate = state().settings.feed_miss_rate_limit
    who = get_remote_address()
    try:
        reset = _hit_or_reset(parse_many(rate), who)
    except Exception:  # noqa: BLE001 (storage unreachable: as the limiter does, let it pass)
        log.warning("the feed rate limit could not be counted", exc_info=True)
        return
    if reset is not None:
        wait = max(1, math.ceil(reset - time.time()))
        raise FeedRateLimited(
            f"Too many new feeds asked from this address (at most {rate}): feeds already built "
            f"still answer; try this one again in {wait} seconds.", retry_after=wait)


def _hit_or_reset(items, who: str) -> float | None:
    """Count the hit when every limit allows it (None), else the time the first refusing
    window resets."""
    strategy = limiter.limiter
    refused = [item for item in items if not strategy.test(item, SCOPE, who)]
    if refused:
        return max(strategy.get_window_stats(item, SCOPE, who).reset_time for item in refused)
    for item in items:
        strategy.hit(item, SCOPE, who)
    return None
