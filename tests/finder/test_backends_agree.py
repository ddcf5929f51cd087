"""Both backends give the same answers on the same actors and initiatives: totals, facets,
choices and every hit in order, for a few dozen searches (PostgreSQL databases only: the
directory index in memory beside SQL on the text vectors)."""

from __future__ import annotations

import random

import pytest

from agenda import geography
from agenda.db import transaction
from agenda.finder import Finder
from agenda.models import Actor, Initiative, InitiativeActor
from agenda.models.actor import STRUCTURES
from agenda.region import cached_region
from tests.finder.conftest import every_hit, find
from tests.web.pages import NOW

NAMES = ["Recyclerie", "Ressourcerie", "Épicerie solidaire", "Tiers-lieu", "Jardin partagé",
         "Café associatif", "Coopérative", "Repair café", "Atelier vélo", "Écolieu",
         "ECOLIEU", "écolieu", "Eco", "Ed", "Cœur de ville", "coeur de ville", "Œuvre commune"]
QUALIFIERS = ["du Val", "des Coteaux", "de la Loire", "solidaire", "citoyen", "partagé",
              "des quartiers", "en transition", "rural", "", "  du  centre"]
WORDS = ["vélos", "jardins", "réemploi", "meubles", "cuisine", "énergie", "habitat",
         "insertion", "épicerie", "solidarité", "mobilité", "culture", "ateliers", "œuvre",
         "coopératives", "Loire", "Tours", "tiers-lieu", "circuits courts", "monnaie locale"]
THEMES = ["reemploi", "alimentation", "mobilite", "habitat", "culture", "tiers-lieux"]
DEPARTMENTS = ["18", "37", "41", "45"]
QUERIES = [
    {}, {"q": "vélo"}, {"q": "velos"}, {"q": "jardin"}, {"q": "ecolieu"}, {"q": "coeur"},
    {"q": "œuvre"}, {"q": "solidaire"}, {"q": "coopérative"}, {"q": "loire"}, {"q": "tours"},
    {"q": "réemploi meubles"}, {"q": "jardin partagé"}, {"q": "cafe solidaire"},
    {"q": "le la des"}, {"q": "tournevis"}, {"q": "association"}, {"q": "mutuelle"},
    {"q": "vélo", "kind": "actor"}, {"q": "vélo", "kind": "initiative"},
    {"theme": "reemploi"}, {"theme": ["mobilite", "habitat"], "q": "atelier"},
    {"dept": "37"}, {"dept": ["18", "41"], "q": "solidaire"}, {"commune": "37261"},
    {"commune": "41269", "kind": "initiative"}, {"structure": "association"},
    {"structure": ["cooperative", "mutual"], "q": "coopérative"},
    {"status": "project"}, {"status": ["active", "to_check"], "q": "jardin"},
    {"status": "confirmed", "dept": "45"}, {"kind": ["initiative", "actor"], "q": "culture"},
    {"q": "café", "theme": "alimentation", "dept": "37"}, {"q": "énergie tours"},
    {"q": "ressourcerie", "commune": "37261"}, {"q": "citoyen rural"},
]


def fill(factory, seed: int = 13) -> None:
    rng = random.Random(seed)
    communes = {d: [c.code for c in geography.communes_in([d])][:5] for d in DEPARTMENTS}
    communes["37"].append("37261")
    communes["41"].append("41269")
    with transaction(factory) as session:
        actors = []
        for n in range(120):
            department = rng.choice(DEPARTMENTS + [None])
            commune = rng.choice(communes[department]) if department else None
            actors.append(Actor(
                name=f"{rng.choice(NAMES)} {rng.choice(QUALIFIERS)} {n % 40}".strip()
                + ("" if n < 40 else f" {n}"),
                structure=rng.choice(STRUCTURES), themes=rng.sample(THEMES, rng.randint(0, 2)),
                description_text=" ".join(rng.sample(WORDS, 4)), department=department,
                commune_code=commune, commune_name=geography.commune(commune).name
                if commune else None, kind=rng.choice(["tiers-lieu", "épicerie", None]),
                status=rng.choice(["confirmed", "confirmed", "to_check", "proposed"]),
                removed_at=NOW if n % 17 == 0 else None))
        session.add_all(actors)
        session.flush()
        for n in range(120):
            department = rng.choice(DEPARTMENTS + [None])
            commune = (rng.choice(communes[department]) if department and rng.random() < .5
                       else None)
            initiative = Initiative(
                id=f"i{n:03d}", title=f"{rng.choice(NAMES)} {rng.choice(QUALIFIERS)}".strip(),
                themes=rng.sample(THEMES, rng.randint(0, 2)), department=department,
                commune_code=commune, territory=rng.choice(["Tours", "Blois", None]),
                description_text=" ".join(rng.sample(WORDS, 5)),
                status=rng.choice(["project", "active", "ended"]),
                actor_id=rng.choice(actors).id, created_at=NOW, updated_at=NOW,
                removed_at=NOW if n % 13 == 0 else None)
            session.add(initiative)
            session.flush()
            for actor in rng.sample(actors, rng.randint(0, 2)):
                session.add(InitiativeActor(initiative_id=initiative.id, actor_id=actor.id))


@pytest.fixture
def both(settings, factory, db_backend):
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL's search needs a PostgreSQL database")
    fill(factory)
    region = cached_region(settings.region_file)
    return (Finder(region, factory=factory, backend="whoosh"),
            Finder(region, factory=factory, backend="postgresql"))


def test_both_backends_answer_the_same(both, factory, settings):
    memory, pg = both
    assert find(memory, factory, settings).total > 150  # the directory is there
    for args in QUERIES:
        expected = find(memory, factory, settings, limit=300, **args)
        answered = find(pg, factory, settings, limit=300, **args)
        assert answered.total == expected.total, args
        assert answered.facets == expected.facets, args
        assert answered.choices == expected.choices, args
        assert answered.hits == expected.hits, args
        assert answered.excluded == expected.excluded, args
        page = find(pg, factory, settings, offset=3, limit=7, **args)
        assert page.hits == expected.hits[3:10], args
        assert every_hit(pg, factory, settings, **args) == every_hit(
            memory, factory, settings, **args), args
