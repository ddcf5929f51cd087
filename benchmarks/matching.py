"""Matching benchmark: the quality on the labelled set, and the time to match 100,000 candidates.

Quality: every pair of ``tests/data/matching/pairs.jsonl`` goes through ``find_matches`` on its
own; printed: precision and recall of the automatic merges, recall of the review band (same
pairs found as merge or review), and the mistakes.

Time: a fresh collection of generated candidates (seeded: a year of days, the region's six
departments and 32 communes, 8 % online, some with the department only or no place, about 20 %
copies of another source's event with the usual differences: a title said differently, the town
added, the time an hour off, no end, town-centre coordinates), matched whole, then an incremental
run where 1 % of the events changed.

    python benchmarks/matching.py [--candidates 100000] [--seed 11]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agenda.matching import Candidate, find_matches  # noqa: E402
from agenda.matching.folding import (  # noqa: E402
    fold_organizer,
    fold_place,
    fold_title,
    normalize_url,
    town_words,
)
from agenda.matching.quality import measure, read_pairs  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
PAIRS = ROOT / "tests" / "data" / "matching" / "pairs.jsonl"
TOWNS = [  # (name, INSEE code, department, lat, lon)
    ("Bourges", "18033", "18", 47.081, 2.399), ("Vierzon", "18279", "18", 47.222, 2.068),
    ("Saint-Amand-Montrond", "18197", "18", 46.723, 2.505),
    ("Mehun-sur-Yèvre", "18141", "18", 47.144, 2.215),
    ("Chartres", "28085", "28", 48.447, 1.489), ("Dreux", "28134", "28", 48.737, 1.366),
    ("Châteaudun", "28088", "28", 48.071, 1.338), ("Lucé", "28218", "28", 48.437, 1.465),
    ("Nogent-le-Rotrou", "28280", "28", 48.321, 0.822),
    ("Châteauroux", "36044", "36", 46.810, 1.691), ("Issoudun", "36088", "36", 46.948, 1.993),
    ("Le Blanc", "36018", "36", 46.633, 1.063), ("La Châtre", "36046", "36", 46.582, 1.988),
    ("Tours", "37261", "37", 47.394, 0.685), ("Joué-lès-Tours", "37122", "37", 47.352, 0.663),
    ("Amboise", "37003", "37", 47.412, 0.982), ("Chinon", "37072", "37", 47.167, 0.242),
    ("Loches", "37132", "37", 47.128, 0.995),
    ("Saint-Pierre-des-Corps", "37233", "37", 47.388, 0.726),
    ("Blois", "41018", "41", 47.586, 1.336), ("Vendôme", "41269", "41", 47.793, 1.066),
    ("Romorantin-Lanthenay", "41194", "41", 47.360, 1.742),
    ("Montrichard Val de Cher", "41151", "41", 47.343, 1.186), ("Mer", "41136", "41", 47.705, 1.507),
    ("Orléans", "45234", "45", 47.903, 1.909), ("Olivet", "45232", "45", 47.863, 1.901),
    ("Fleury-les-Aubrais", "45147", "45", 47.933, 1.906), ("Montargis", "45208", "45", 47.997, 2.733),
    ("Gien", "45155", "45", 47.688, 2.630), ("Pithiviers", "45252", "45", 48.172, 2.252),
    ("Saint-Jean-de-Braye", "45284", "45", 47.912, 1.971), ("Chécy", "45089", "45", 47.894, 2.023),
]
KINDS = ["Repair café", "Atelier compostage", "Atelier réparation de vélos", "Fresque du climat",
         "Marché de producteurs locaux", "Conférence sur la finance solidaire", "Ciné-débat",
         "Assemblée générale", "Forum de l'économie sociale et solidaire", "Café associatif",
         "Soirée jeux coopératifs", "Portes ouvertes", "Permanence de l'épicerie solidaire",
         "Atelier couture zéro déchet", "Balade nature", "Formation bénévoles",
         "Rencontre des tiers-lieux", "Conférence gesticulée", "Braderie solidaire",
         "Atelier cuisine anti-gaspi", "Visite de la ressourcerie", "Table ronde emploi",
         "Petit-déjeuner des entrepreneurs", "Concert solidaire", "Troc de plantes",
         "Webinaire financement participatif", "Atelier numérique", "Apéro-débat climat"]
NAMES = ["des Deux Rives", "du Sanitas", "de la Courte Échelle", "Roue Libre", "Les Jardins de "
         "Cocagne", "de l'AMAP du Blésois", "La Fabrique", "du quartier nord", "Terre de liens",
         "Vélo en ville", "Zéro Déchet", "Les Petits Débrouillards", "Emmaüs", "France Active",
         "du Secours populaire", "des Colibris", "La Ruche", "Le Champ des possibles",
         "de la Maison pour tous", "Ressources solidaires", "Habitat et humanisme", "Bio Centre",
         "Alternatiba", "Énergie partagée", "des Aidants", "Coop'Actions", "La Recyclerie",
         "Planète sciences", "Le Bocal", "Les Amis de la Terre"]
VENUES = ["Salle des fêtes", "Maison des associations", "Médiathèque", "Tiers-lieu",
          "Centre social", "Halles", "Espace culturel", "Salle polyvalente", "Ferme", "Café"]
HOURS = [9, 9, 10, 10, 14, 14, 15, 17, 18, 18, 19, 20]


def generate(count: int, seed: int) -> tuple[list[Candidate], set[frozenset]]:
    """The candidates, and the pairs of keys that are truly one event (copies of one original
    with it and with each other)."""
    rng = random.Random(seed)
    first_day = date(2026, 9, 1)
    originals = int(count / 1.25)
    made = [_original(rng, n, first_day) for n in range(originals)]
    copies = {}
    while len(made) < count:
        original = rng.choice(made[:originals])
        made.append(_copy(rng, len(made), original))
        copies.setdefault(original.key, [original.key]).append(made[-1].key)
    rng.shuffle(made)
    truth = {frozenset((a, b)) for keys in copies.values()
             for i, a in enumerate(keys) for b in keys[i + 1:]}
    return made, truth


def _original(rng, n, first_day) -> Candidate:
    title = f"{rng.choice(KINDS)} {rng.choice(NAMES)}"
    day = first_day + timedelta(days=rng.randrange(365))
    local = datetime(day.year, day.month, day.day, rng.choice(HOURS), rng.choice((0, 30)),
                     tzinfo=PARIS)
    start = local.astimezone(timezone.utc)
    end = start + timedelta(hours=rng.choice((1, 2, 2, 3)))
    source = rng.randrange(1, 13)
    base = dict(key=f"o{n}", event_id=f"e{n}", source_id=source, source_uid=f"u{n}", title=title,
                start=start, end=end, all_day=False, organizer=rng.choice(NAMES).strip("dl' "))
    if rng.random() < 0.08:
        return Candidate(**base, online=True, url=f"https://visio.example/{n}")
    name, code, department, lat, lon = rng.choice(TOWNS)
    venue = f"{rng.choice(VENUES)} {rng.choice(NAMES)}"
    return Candidate(**base, commune_code=code, department=department, city=name,
                     place_name=venue, lat=lat + rng.uniform(-0.02, 0.02),
                     lon=lon + rng.uniform(-0.02, 0.02))


def _copy(rng, n, of: Candidate) -> Candidate:
    roll = rng.random()
    title = of.title
    if roll < 0.2:
        title = f"Mois de l'ESS : {title}"
    elif roll < 0.35 and of.city:
        title = f"{title} – {of.city}"
    elif roll < 0.45:
        title = title.upper()
    start, end = of.start, of.end
    roll = rng.random()
    if roll < 0.05:
        start, end = start + timedelta(hours=1), end + timedelta(hours=1)
    elif roll < 0.15:
        end = start
    changes = dict(key=f"c{n}", event_id=f"e{n}", source_id=of.source_id % 12 + 1,
                   source_uid=f"u{n}", title=title, start=start, end=end)
    roll = rng.random()
    if roll < 0.1 and not of.online:
        changes.update(commune_code=None, lat=None, lon=None)
    elif roll < 0.13 and not of.online:
        changes.update(commune_code=None, department=None, city=None, lat=None, lon=None,
                       place_name=None)
    return Candidate(**{**of.__dict__, **changes})


def print_quality():
    quality = measure(read_pairs(PAIRS), PARIS)
    print(f"labelled set: {quality.pairs} pairs ({quality.same} same)")
    print(f"  automatic merges: {quality.merged}, precision {quality.merge_precision:.3f}, "
          f"recall {quality.merge_recall:.3f}")
    print(f"  review band recall (same pairs found as merge or review): "
          f"{quality.review_recall:.3f}")
    for case, same, verdict in quality.wrong:
        print(f"    {'same' if same else 'different'} -> {verdict}: {case}")


def time_matching(count: int, seed: int):
    candidates, truth = generate(count, seed)
    print(f"load average before: {_load()}")
    (wall, cpu), matches = _timed(lambda: find_matches(candidates, tz=PARIS))
    merges = sum(m.verdict == "merge" for m in matches)
    print(f"{count} candidates: {wall:.2f} s ({cpu:.2f} s of CPU), {merges} merges, "
          f"{len(matches) - merges} to review")
    _print_generated_quality(matches, truth)
    rng = random.Random(seed + 1)
    changed = {c.event_id for c in rng.sample(candidates, count // 100)}
    (wall, cpu), matches = _timed(lambda: find_matches(candidates, tz=PARIS, changed=changed))
    print(f"incremental, {len(changed)} changed events: {wall:.2f} s ({cpu:.2f} s of CPU), "
          f"{len(matches)} pairs")
    print(f"load average after: {_load()} (on a busy machine the wall time is longer than "
          f"the CPU time)")


def _print_generated_quality(matches, truth):
    """The same figures on the generated collection (its copies are known), for a feel of a
    fresh collection: the generated differences are simpler than the labelled set's."""
    found = {frozenset((m.first.key, m.second.key)): m.verdict for m in matches}
    merged = {pair for pair, verdict in found.items() if verdict == "merge"}
    right = len(merged & truth)
    print(f"  generated: {len(truth)} same pairs; automatic merges precision "
          f"{right / max(1, len(merged)):.3f}, recall {right / max(1, len(truth)):.3f}; "
          f"review band recall {len(set(found) & truth) / max(1, len(truth)):.3f}; "
          f"{len(set(found) - truth - merged)} different pairs sent to review")


def _timed(run):
    """Wall and CPU seconds of a fresh-process-like run (the folding caches emptied)."""
    for cached in (fold_title, fold_place, fold_organizer, normalize_url, town_words):
        cached.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return (time.perf_counter() - wall, time.process_time() - cpu), result


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print_quality()
    time_matching(args.candidates, args.seed)


if __name__ == "__main__":
    main()
