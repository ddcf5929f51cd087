"""JSON-LD parsing benchmark: one listing page of N schema.org events, parser alone.

Builds a page the way The Events Calendar writes its listings (one script holding a list of
Events, each with a Place and PostalAddress, geo, organiser, image, offers and an HTML
description), then times ``parse_jsonld`` against the bare ``json.loads`` of the same script
(the floor any JSON-LD reader pays), each as the median of its repeats. Reports events/s and
the ratio. Fetching and storing are not measured here (see ``benchmarks/collect.py``).

    python benchmarks/jsonld_parse.py [--events N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from generate_ics import CITIES, KINDS, THEMES  # noqa: E402

from agenda.collectors.jsonld import jsonld_scripts, parse_jsonld  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")


def listing_page(count: int, seed: int = 42) -> bytes:
    """An HTML page whose one JSON-LD script lists ``count`` events."""
    rng = random.Random(seed)
    start = datetime(2026, 9, 1, 9, 0)
    events = [_event(index, rng, start) for index in range(count)]
    script = json.dumps(events, ensure_ascii=False).replace("</", "<\\/")
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Agenda</title>'
            f'<script type="application/ld+json">{script}</script></head><body></body></html>'
            ).encode()


def _event(index: int, rng: random.Random, start: datetime) -> dict:
    city, postcode = rng.choice(CITIES)
    begins = start + timedelta(days=rng.randrange(300), hours=rng.randrange(10))
    url = f"https://agenda-exemple.fr/event/{index}/"
    return {
        "@context": "http://schema.org", "@type": "Event",
        "name": f"{rng.choice(KINDS)} n°{index} &#8211; {city}",
        "description": f"&lt;p&gt;{rng.choice(THEMES)}&nbsp;: venez nombreux.&lt;/p&gt;",
        "image": f"https://agenda-exemple.fr/img/{index}.jpg", "url": url,
        "eventStatus": "https://schema.org/EventScheduled",
        "startDate": begins.strftime("%Y-%m-%dT%H:%M:%S+02:00"),
        "endDate": (begins + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+02:00"),
        "location": {"@type": "Place", "name": f"Tiers-lieu de {city}",
                     "address": {"@type": "PostalAddress", "streetAddress": "1 rue de la Paix",
                                 "addressLocality": city, "postalCode": postcode},
                     "geo": {"@type": "GeoCoordinates", "latitude": 47.0, "longitude": 1.5}},
        "organizer": {"@type": "Organization", "name": f"Association {index % 97}"},
        "offers": {"@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": url},
    }


def median_seconds(run, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    page = listing_page(args.events)
    result = parse_jsonld(page, page_url="https://agenda-exemple.fr/agenda/", default_tz=PARIS)
    assert len(result.events) == args.events, (len(result.events), result.warnings[:3])
    bare = median_seconds(lambda: jsonld_scripts(page), args.repeat)
    full = median_seconds(lambda: parse_jsonld(page, page_url="https://agenda-exemple.fr/",
                                               default_tz=PARIS), args.repeat)
    print(f"page: {len(page) / 1e6:.1f} MB, {args.events} events, median of {args.repeat}")
    print(f"bare JSON parse (scripts found and decoded): {bare * 1000:.0f} ms")
    print(f"parse_jsonld: {full * 1000:.0f} ms, {args.events / full:,.0f} events/s, "
          f"{full / bare:.1f} x the bare parse")


if __name__ == "__main__":
    main()
