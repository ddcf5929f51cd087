"""Page benchmark: the home page and its searches through the Flask app, on generated data.

Run ``benchmarks/generate.py`` first (same ``--instance`` and ``--database-url``).  Times whole
requests through Flask's test client (view, listing, facets, template): ``/`` and ``/?q=...``
with and without filters, each URL asked ``--repeat`` times in turn; the first request of the
process (which opens the index) is reported apart.  ``--no-search`` answers from SQL alone.

    python benchmarks/pages.py --instance DIR [--database-url URL] [--repeat 20] [--no-search]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agenda.settings import load_settings  # noqa: E402
from agenda.web import create_app  # noqa: E402

WORDS = ["repair café", "atelier", "coopératives", "vélos", "forum ess", "zéro déchet",
         "épicerie solidaire", "orléans", "bénévoles", "marché producteurs", "fresque climat",
         "habitat participatif", "monnaie locale", "concert solidaire", "tiers-lieu"]
KINDS = {
    "home": lambda rng: {},
    "words": lambda rng: {"q": rng.choice(WORDS)},
    "words+dept": lambda rng: {"q": rng.choice(WORDS), "dept": rng.choice(["18", "37", "45"])},
    "words+relevance": lambda rng: {"q": rng.choice(WORDS), "sort": "relevance"},
    "theme": lambda rng: {"theme": rng.choice(["reemploi", "culture", "mobilite"])},
    "page 3": lambda rng: {"page": "3"},
}


def percentiles(times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return f"p50 {cuts[49]:6.1f}  p95 {cuts[94]:6.1f}  max {max(times):6.1f} ms  (n={len(times)})"


def timed_get(client, url: str) -> float:
    began = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-search", action="store_true")
    args = parser.parse_args()
    settings = load_settings(env={}, instance_path=args.instance.resolve(),
                             database_url=args.database_url)
    app = create_app(settings)
    if args.no_search:
        app.extensions["agenda"].search = None
    client = app.test_client()
    print(f"first request of the process: {timed_get(client, '/'):.0f} ms")
    rng = random.Random(7)
    urls = [(kind, "/?" + urlencode(make(rng))) for _ in range(args.repeat)
            for kind, make in KINDS.items()]
    first = [(kind, timed_get(client, url)) for kind, url in urls]
    again = [(kind, timed_get(client, url)) for kind, url in rng.sample(urls, len(urls))]
    for title, timed in (("first time each URL is asked:", first), ("asked again:", again)):
        print(title)
        for kind in KINDS:
            print(f"  {kind:16} {percentiles([t for k, t in timed if k == kind])}")
        print(f"  {'all':16} {percentiles([t for _, t in timed])}")


if __name__ == "__main__":
    main()
