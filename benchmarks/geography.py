"""How fast the offline gazetteer loads and places events.

    .venv/bin/python benchmarks/geography.py [N]

Prints the load time, then the time to locate N places (default 100,000) drawn from real
communes the way sources write them: a city with its postcode, a city alone (in capitals, with
"St-"), a postcode alone, coordinates alone, and bad input; first all different (no cache
help: every commune's contour decoded for the first time), then as a collection repeats
them.
"""

from __future__ import annotations

import random
import sys
import time

from agenda.geography import locate
from agenda.geography.gazetteer import DATA, get_gazetteer, load
from agenda.geography.locate import _by_point, _locate_named


def places(n: int, *, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    communes = [c for c in get_gazetteer().communes.values() if c.lat is not None]
    made = []
    for i in range(n):
        c = rng.choice(communes)
        kind = i % 5
        if kind == 0:
            made.append({"postcode": rng.choice(c.postcodes or ("",)), "city": c.name})
        elif kind == 1:
            made.append({"city": c.name.upper().replace("SAINT-", "ST-")})
        elif kind == 2:
            made.append({"postcode": rng.choice(c.postcodes or ("",))})
        elif kind == 3:
            made.append({"lat": c.lat + rng.uniform(-0.01, 0.01),
                         "lon": c.lon + rng.uniform(-0.01, 0.01)})
        else:
            made.append({"city": rng.choice(["London", "12 rue de la Paix", "Saint-Denis"]),
                         "postcode": rng.choice(["99999", "", "SW1A"])})
    return made


def main(n: int) -> None:
    started = time.perf_counter()
    load(DATA)
    print(f"load: {time.perf_counter() - started:.2f} s "
          f"({(DATA / 'communes.csv.gz').stat().st_size / 1024:.0f} KB file)")
    made = places(n)
    started = time.perf_counter()
    get_gazetteer().contours
    print(f"contours: {time.perf_counter() - started:.2f} s "
          f"({(DATA / 'contours.bin.gz').stat().st_size / 1024:.0f} KB file)")
    for label, clear in (("all different", True), ("repeated", False)):
        if clear:
            _locate_named.cache_clear()
            _by_point.cache_clear()
        started = time.perf_counter()
        found = sum(1 for values in made if locate(**values).commune_code)
        took = time.perf_counter() - started
        print(f"locate {n:,} places ({label}): {took:.2f} s, {took / n * 1e6:.1f} µs a place, "
              f"{found:,} placed in a commune")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
