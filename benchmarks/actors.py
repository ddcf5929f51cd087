"""Actors benchmark: writing actors one by one as an import does (``upsert_imported_actor``:
numbers checked, found again, placed in their commune), then the directory ``/actors/`` (with
and without filters, a far page), an actor's page and the staff's search, through the Flask
test client, on a temporary SQLite database.

    python benchmarks/actors.py [--actors 20000] [--imported 2000] [--repeat 10]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, select  # noqa: E402

from agenda.db import make_engine, make_session_factory, transaction  # noqa: E402
from agenda.migrate import upgrade_database  # noqa: E402
from agenda.models import Actor  # noqa: E402
from agenda.services.accounts import create_user  # noqa: E402
from agenda.services.actors import upsert_imported_actor  # noqa: E402
from agenda.settings import load_settings  # noqa: E402
from agenda.web import create_app  # noqa: E402

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
TOWNS = [("37000", "Tours", "37", "37261"), ("45000", "Orléans", "45", "45234"),
         ("18000", "Bourges", "18", "18033"), ("41000", "Blois", "41", "41018"),
         ("28000", "Chartres", "28", "28085"), ("36000", "Châteauroux", "36", "36044")]
THEMES = ["reemploi", "alimentation", "mobilite", "culture", "habitat", "vie-associative"]
STRUCTURES = ["association", "cooperative", "mutual", "foundation", "company", "other"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--imported", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        engine = create_engine(url)
        upgrade_database(engine)
        engine.dispose()
        settings = load_settings(env={}, instance_path=Path(folder) / "instance",
                                 database_url=url)
        factory = make_session_factory(make_engine(settings))
        fill(factory, args.actors)
        time_imports(factory, args.imported)
        time_pages(create_app(settings), factory, args.repeat)


def fill(factory, count: int) -> None:
    rng = random.Random(12)
    rows = []
    for n in range(count):
        postcode, town, department, code = rng.choice(TOWNS)
        rows.append({"name": f"Acteur {n:05d}", "structure": rng.choice(STRUCTURES),
                     "themes": rng.sample(THEMES, 2), "postcode": postcode,
                     "commune_code": code, "commune_name": town, "department": department,
                     "status": "to_check" if n % 7 == 0 else "confirmed", "origin": "import",
                     "approvals": [], "flags": [], "created_at": NOW, "updated_at": NOW})
    with transaction(factory) as session:
        session.execute(insert(Actor), rows)
        create_user(session, email="bench@example.org", password="un mot de passe assez long",
                    role="admin", now=NOW)
    print(f"{count} actors stored")


def time_imports(factory, count: int) -> None:
    """New actors, then the same ones again (found by their origin key, nothing doubled)."""
    for label in ("new", "again"):
        started = time.perf_counter()
        with transaction(factory) as session:
            for n in range(count):
                postcode, town, _department, _code = TOWNS[n % len(TOWNS)]
                upsert_imported_actor(session, {
                    "name": f"Importé {n:05d}", "siren": "732829320" if n == 0 else None,
                    "rna": f"W37{n:07d}", "postcode": postcode, "city": town,
                    "themes": ["Réemploi"], "structure": "association"},
                    origin="import", origin_key=f"import:bench:{n}", now=NOW)
        spent = time.perf_counter() - started
        print(f"import of {count} actors ({label}): {spent:.2f} s, "
              f"{count / spent:.0f} actors/s")
    with transaction(factory) as session:
        total = len(session.scalars(select(Actor.id)).all())
    print(f"  {total} actors in all after both imports")


def time_pages(app, factory, repeat: int) -> None:
    client = app.test_client()
    with transaction(factory) as session:
        actor_id = session.scalar(select(Actor.id).where(Actor.status == "confirmed"))
    paths = ["/actors/", "/actors/?dept=37&theme=reemploi", "/actors/?structure=cooperative",
             "/actors/?page=500", f"/actors/{actor_id}"]
    for path in paths:
        print(f"{path:40} {timed(client, path, repeat)}")
    sign_in(client)
    for path in ("/admin/actors", "/admin/actors?q=acteur 1999", "/admin/actors?q=732829320"):
        print(f"{path:40} {timed(client, path, repeat)}")


def sign_in(client) -> None:
    import re

    page = client.get("/admin/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/admin/login", data={"csrf_token": token, "email": "bench@example.org",
                                      "password": "un mot de passe assez long"})


def timed(client, path: str, repeat: int) -> str:
    client.get(path)  # warm
    spent = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        spent.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return f"median {statistics.median(spent):6.1f} ms, max {max(spent):6.1f} ms"


if __name__ == "__main__":
    main()
