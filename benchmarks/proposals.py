"""Proposal benchmark: the public form, approval, and the first feed that shows the event.

Through Flask's test client with CSRF on: each proposal is a GET of ``/submit`` (its token)
then the POST (validation, storage, commit, redirect), timed apart.  Each approval is the
staff's POST (publish through the form source, commit, index).  After each approval the first
``/calendar.ics?q=<its word>`` is timed: it must show the event (the export caches are keyed by
the data version, which the approval bumps).  Also times one Argon2id sign-in check.

On an empty instance by default; pass the ``--instance``/``--database-url`` of
``benchmarks/generate.py`` to measure beside 100,000 events.

    python benchmarks/proposals.py [--instance DIR] [--database-url URL] [--count 100]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agenda.db import transaction  # noqa: E402
from agenda.migrate import upgrade_database  # noqa: E402
from agenda.services.accounts import create_user, verify_password  # noqa: E402
from agenda.settings import load_settings  # noqa: E402
from agenda.web import create_app  # noqa: E402
from agenda.web.shared.dates import now_utc  # noqa: E402

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PASSWORD = "benchmark password, long enough"


def percentiles(times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return f"p50 {cuts[49]:6.1f}  p95 {cuts[94]:6.1f}  max {max(times):6.1f} ms  (n={len(times)})"


def timed(call) -> tuple[float, object]:
    began = time.perf_counter()
    result = call()
    return (time.perf_counter() - began) * 1000, result


def token(client, url: str) -> str:
    return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def proposal(number: int, csrf: str) -> dict:
    return {"csrf_token": csrf, "title": f"Atelier banc d'essai mot{number:05d}",
            "start_date": "2026-12-03", "start_time": "18:00", "end_date": "2026-12-03",
            "end_time": "20:00", "location_name": "Salle des fêtes", "postcode": "37000",
            "city": "Tours", "description": "Un atelier pour mesurer.", "themes": "reemploi",
            "new_actor_name": "Banc d'essai", "new_actor_kind": "association",
            "contact_email": "mesure@example.org", "campaign": "auto", "homepage": ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()
    instance = (args.instance or Path(tempfile.mkdtemp(prefix="agenda-bench-"))).resolve()
    settings = load_settings(env={}, instance_path=instance, database_url=args.database_url,
                             submit_rate_limit="100000 per minute",
                             login_rate_limit="100000 per minute",
                             feed_miss_rate_limit="100000 per minute")
    app = create_app(settings)
    state = app.extensions["agenda"]
    upgrade_database(state.engine)
    email = f"bench-{time.time_ns()}@example.org"
    with transaction(state.session_factory) as session:
        user = create_user(session, email=email, password=PASSWORD, role="staff",
                           now=now_utc())
        hashed = user.password_hash
    print(f"Argon2id check of one password: {timed(lambda: verify_password(hashed, PASSWORD))[0]:.0f} ms")

    visitor, staff = app.test_client(), app.test_client()
    staff.post("/admin/login", data={"csrf_token": token(staff, "/admin/login"),
                                     "email": email, "password": PASSWORD})
    posts, approvals, feeds = [], [], []
    for number in range(args.count):
        data = proposal(number, token(visitor, "/submit"))
        elapsed, response = timed(lambda: visitor.post("/submit", data=data))
        if response.status_code != 302:
            raise SystemExit(f"proposal refused: HTTP {response.status_code}")
        posts.append(elapsed)
        queue = staff.get("/admin/moderation/").get_data(as_text=True)
        proposal_id = re.search(r"/admin/moderation/(\d+)\"", queue).group(1)
        csrf = token(staff, f"/admin/moderation/{proposal_id}")
        elapsed, response = timed(lambda: staff.post(
            f"/admin/moderation/{proposal_id}/approve", data={"csrf_token": csrf}))
        approvals.append(elapsed)
        elapsed, response = timed(lambda: visitor.get(f"/calendar.ics?q=mot{number:05d}"))
        if f"mot{number:05d}" not in response.get_data(as_text=True):
            raise SystemExit("the approved event is missing from /calendar.ics")
        feeds.append(elapsed)
    print(f"POST /submit (stored, committed):       {percentiles(posts)}")
    print(f"approve (published, committed, indexed): {percentiles(approvals)}")
    print(f"first /calendar.ics?q= after approval:   {percentiles(feeds)}")


if __name__ == "__main__":
    main()
