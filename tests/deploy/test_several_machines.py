"""Several machines, one calendar (issue 13): two web machines (gunicorn, each with its own
instance folder) and a worker machine (``agenda worker``, a third instance folder) share only
one PostgreSQL database, Redis and the secret key.  What the worker collects is found by words
on both web machines within 5 s of its commit, and an event it removes disappears from both;
no per-process cache of either web machine answers with data older than the database's; a
staff session opened on one machine holds on the other and ends on both; the sign-in limit is
counted across both.  Real processes on loopback; PostgreSQL only."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from datetime import time as clock_time
from typing import Callable

import pytest

from tests.deploy.cluster import (
    LOGIN_LIMIT,
    STAFF_EMAIL,
    STAFF_PASSWORD,
    Cluster,
    Collection,
    own_redis_database,
    running_cluster,
)
from tests.deploy.feed_server import FeedEvent, FeedServer
from tests.deploy.visits import (
    carrying,
    csrf_token,
    get,
    listed_in_api,
    listed_in_page,
    sign_in,
    unfolded,
    vevent_of,
    visitor,
)

pytestmark = pytest.mark.skipif(
    "postgresql" not in os.environ.get("AGENDA_TEST_BACKENDS", "sqlite,postgresql"),
    reason="several machines share a PostgreSQL database")

SEARCH_BOUND = 5.0  # seconds from the worker's commit to found on every machine (issue 13)


@pytest.fixture(scope="module")
def machines(tmp_path_factory) -> Cluster:
    with running_cluster(tmp_path_factory.mktemp("machines")) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def feeds() -> FeedServer:
    with FeedServer() as server:
        yield server


@pytest.fixture
def fresh_limits():
    """No sign-in attempt counted yet (the tests of this module sign in)."""
    with own_redis_database() as connection:
        yield connection


def days_ahead(days: int) -> datetime:
    today = datetime.now(timezone.utc).date()
    return datetime.combine(today + timedelta(days=days), clock_time(17), timezone.utc)


def on_every_machine(machines: Cluster, check: Callable[[str], bool],
                     since: Collection, what: str) -> dict[str, float]:
    """Poll ``check(base URL)`` on both web machines at once until it holds on each; the
    seconds from the commit to the first time it held, per machine.  Fails once SEARCH_BOUND
    has passed since the commit with a machine still not seeing it."""
    looks: dict[str, int] = {}

    def poll(base: str) -> float | None:
        while True:
            looks[base] = looks.get(base, 0) + 1
            if check(base):
                return since.seconds_since_commit()
            if since.seconds_since_commit() > SEARCH_BOUND:
                return None
            time.sleep(0.05)

    with ThreadPoolExecutor(max_workers=len(machines.webs)) as pool:
        polls = {name: pool.submit(poll, base) for name, base in machines.webs.items()}
        delays = {name: future.result() for name, future in polls.items()}
    late = sorted(name for name, delay in delays.items() if delay is None)
    if late:
        pytest.fail(f"{what}: still not so on machine(s) {', '.join(late)} "
                    f"{SEARCH_BOUND:.0f} s after the worker's commit")
    print(f"{what}: " + ", ".join(f"machine {n} after {d:.2f} s ({looks[machines.webs[n]]} "
                                  "look(s))" for n, d in sorted(delays.items()))
          + f" (the test saw the commit {since.seen_after():.2f} s after the "
            "worker's bump)")
    return delays


def word_answers(word: str) -> dict[str, Callable[[str, str], bool]]:
    """Whether each answer to the words ``word`` shows an event, asked of a machine: (base
    URL, event id) -> shown."""
    def calendar(base: str, event: str) -> bool:
        vevent = vevent_of(get(base, f"/calendar.ics?q={word}").content, event)
        return vevent is not None and "STATUS:CANCELLED" not in vevent

    return {
        "API": lambda base, event: listed_in_api(base, f"?q={word}", event),
        "home page": lambda base, event: listed_in_page(base, f"/?q={word}", event),
        "search page": lambda base, event: listed_in_page(base, f"/search?q={word}", event),
        "Atom feed": lambda base, event: listed_in_page(base, f"/feed.atom?q={word}", event),
        "calendar": calendar,
    }


def test_a_collection_is_found_by_words_on_both_machines_within_5_s(machines, feeds):
    keep = FeedEvent("deploy-search-keep", "Assemblée des jardins partagés", days_ahead(10))
    feeds.set("/search.ics", [keep])
    source = machines.add_source("Jardins partagés", feeds.url("/search.ics"))
    assert machines.collect(source).outcome == "ok"
    kept = machines.event_id(source, keep.uid)
    word = "quetzalcoatl"
    answers = word_answers(word)
    for base in machines.webs.values():  # asked before the event exists: every answer of
        for name, shows in answers.items():  # each machine is warm (caches, index, pages)
            assert not shows(base, "0" * 20), name

    new = FeedEvent("deploy-search-new", f"Atelier {word} des jardiniers", days_ahead(12),
                    description="Semis et boutures, ouvert à toutes et tous.")
    feeds.set("/search.ics", [keep, new])
    added = machines.collect(source)
    assert added.outcome == "ok", added.error
    event = machines.event_id(source, new.uid)

    def found(base: str) -> bool:
        return all(shows(base, event) for shows in answers.values())

    delays = on_every_machine(machines, found, added, f"'{word}' found by words")
    assert max(delays.values()) <= SEARCH_BOUND

    feeds.set("/search.ics", [keep])  # the organiser took it down
    removed = machines.collect(source)
    assert removed.outcome == "ok", removed.error

    def gone(base: str) -> bool:
        return not any([*(shows(base, event) for shows in answers.values()),
                        listed_in_api(base, "", event), listed_in_page(base, "/", event)])

    on_every_machine(machines, gone, removed, f"removed '{word}' gone from search and listing")
    for base in machines.webs.values():  # the listing is not merely empty
        assert listed_in_page(base, "/", kept) and listed_in_api(base, "", kept)
        assert listed_in_page(base, "/?q=jardins", kept)
        assert listed_in_page(base, "/search?q=jardins", kept)


CACHED = ("/calendar.ics", "/calendar.ics?dept=45", "/feed.atom", "/feed.atom?dept=45",
          "/widget/events")


def shown(base: str, path: str, etag: str | None = None) -> tuple[int, str, str | None]:
    """Status, text (a calendar unfolded) and ETag of ``path``; with ``etag``, asked as a
    client holding that copy asks (If-None-Match)."""
    answer = get(base, path, headers={"If-None-Match": etag} if etag else {})
    text = unfolded(answer.content) if ".ics" in path else answer.text
    return answer.status_code, text, answer.headers.get("ETag")


def test_no_cache_of_either_machine_answers_older_than_the_data(machines, feeds):
    first = FeedEvent("deploy-cache-first", "Rencontre des coopératives du Loiret",
                      days_ahead(8))
    feeds.set("/cache.ics", [first])
    source = machines.add_source("Coopératives", feeds.url("/cache.ics"))
    assert machines.collect(source).outcome == "ok"
    event = machines.event_id(source, first.uid)
    own_pages = (f"/evenements/{event}", f"/events/{event}.ics")
    copies = {}  # what each machine answered: the copy a client keeps, with its ETag
    for name, base in machines.webs.items():  # every cache warm, on both machines
        for path in CACHED + own_pages:
            for _ in range(2):
                status, text, etag = shown(base, path)
                assert status == 200 and first.title in text, (name, path, status)
            copies[name, path] = etag

    renamed = replace(first, title="Rencontre des coopératives à Orléans",
                      description="Nouvelle salle.")
    second = FeedEvent("deploy-cache-second", "Forum des monnaies locales", days_ahead(9))
    feeds.set("/cache.ics", [renamed, second])
    assert machines.collect(source).outcome == "ok"
    for name, base in machines.webs.items():  # the first answer after the commit, each one,
        for path in CACHED + own_pages:  # to a client holding the copy from before
            status, text, etag = shown(base, path, copies[name, path])
            assert status == 200, (name, path, status)
            assert renamed.title in text and first.title not in text, (name, path)
            if path in CACHED:
                assert second.title in text, (name, path)
            copies[name, path] = etag

    feeds.set("/cache.ics", [second])
    assert machines.collect(source).outcome == "ok"
    for name, base in machines.webs.items():
        for path in CACHED:
            status, text, _ = shown(base, path, copies[name, path])
            assert status == 200 and second.title in text, (name, path, status)
            if path.startswith("/calendar.ics"):  # subscribers are told it is cancelled
                vevent = vevent_of(text.encode(), event)
                assert vevent is not None and "STATUS:CANCELLED" in vevent, (name, path)
            else:
                assert renamed.title not in text, (name, path)
        for path in own_pages:
            assert get(base, path).status_code == 410, (name, path)


def test_a_staff_session_opened_on_one_machine_holds_on_the_other(machines, fresh_limits):
    browser = visitor()
    signed = sign_in(browser, machines.web_a, STAFF_EMAIL, STAFF_PASSWORD)
    assert signed.status_code == 302 and signed.headers["Location"].endswith("/admin/")
    cookie = browser.cookies.get("session")
    assert cookie

    other = carrying(cookie)  # another browser, on machine B
    assert get(machines.web_b, "/admin/", other).status_code == 200
    assert get(machines.web_b, "/admin/").status_code == 302  # without it: the sign-in page

    # A form shown by A, sent to B (as behind a load balancer): signing out ends it on A too.
    token = csrf_token(other, machines.web_a, "/admin/")
    signed_out = other.post(f"{machines.web_b}/admin/logout", data={"csrf_token": token},
                            timeout=30, allow_redirects=False)
    assert signed_out.status_code == 302 and "/admin/login" in signed_out.headers["Location"]
    assert get(machines.web_a, "/admin/", carrying(cookie)).status_code == 302


def test_the_sign_in_limit_is_counted_across_both_machines(machines, fresh_limits):
    browsers = {name: visitor() for name in machines.webs}
    tokens = {name: csrf_token(browsers[name], base, "/admin/login")
              for name, base in machines.webs.items()}

    def attempt(name: str, n: int) -> int:
        return browsers[name].post(
            f"{machines.webs[name]}/admin/login",
            data={"csrf_token": tokens[name], "email": f"inconnu{n}@region.example",
                  "password": "pas le bon"}, timeout=30, allow_redirects=False).status_code

    order = ["A", "B"] * LOGIN_LIMIT
    statuses = [attempt(name, n) for n, name in enumerate(order[:LOGIN_LIMIT])]
    assert statuses == [401] * LOGIN_LIMIT  # alternating machines, one count
    assert attempt("B", 98) == 429 and attempt("A", 99) == 429
    assert any(key.startswith(b"LIMITS") for key in fresh_limits.scan_iter())  # in Redis
