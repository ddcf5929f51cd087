"""The verdicts of ``agenda doctor``, pure: values in (read by :mod:`agenda.operations.probes`),
one :class:`Check` out, each a name, a status (ok, warning, error) and a sentence saying what
to do.  Warnings deserve a look; errors mean the instance does not work as it should.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Iterable

OK, WARNING, ERROR = "ok", "warning", "error"
STATUSES = (OK, WARNING, ERROR)
PLACEHOLDER_KEYS = {"", "dev", "development", "secret", "secret-key", "secret_key", "changeme",
                    "change-me", "change me", "please-change-me", "test", "default", "key"}
SHORT_KEY = 32  # characters: the key the instance makes itself has 64
SHOWN_SOURCES = 5


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    sentence: str

    def as_dict(self) -> dict:
        return asdict(self)


def exit_code(checks: Iterable[Check]) -> int:
    """0 when nothing is wrong (warnings included), 1 on any error."""
    return 1 if any(check.status == ERROR for check in checks) else 0


def when(instant: datetime, now: datetime) -> str:
    """``2026-12-07 09:40 UTC (3 min ago)``."""
    ago = max(now - instant, timedelta(0))
    minutes = int(ago.total_seconds() // 60)
    span = (f"{minutes} min" if minutes < 120 else f"{minutes // 60} h" if minutes < 2880
            else f"{minutes // 1440} days")
    return f"{instant:%Y-%m-%d %H:%M} UTC ({span} ago)"


# --- the database --------------------------------------------------------------------------

def database_check(shown_url: str, problem: str | None) -> Check:
    if problem:
        return Check("database", ERROR, f"{shown_url} cannot be reached: {problem}")
    return Check("database", OK, f"{shown_url} answers.")


def migration_check(current: tuple[str, ...], heads: tuple[str, ...],
                    known: set[str]) -> Check:
    head = ", ".join(heads)
    if not current:
        return Check("migrations", ERROR, "The database has no schema yet: run `agenda init`.")
    if set(current) == set(heads):
        return Check("migrations", OK, f"At the head revision ({head}).")
    at = ", ".join(current)
    if set(current) <= known:
        return Check("migrations", ERROR, f"The database is at revision {at}, this code needs "
                                          f"{head}: run `agenda init`.")
    return Check("migrations", ERROR, f"The database is at revision {at}, which this code does "
                                      "not know (a newer version migrated it?): run the same "
                                      "version of Agenda commun on every machine.")


# --- search --------------------------------------------------------------------------------

@dataclass(frozen=True)
class WhooshState:
    path: str
    live: str | None  # the live index's folder, None when there is none
    problem: str | None  # why it cannot be opened
    dirty: str | None  # the reason it may lack changes, None when clean
    documents: int | None


def whoosh_check(index: WhooshState, *, published: int, collecting: int,
                 shared_database: bool = False) -> Check:
    """The index of this machine's instance folder against the published events (on a
    shared database, a machine that does not collect never sees the others' collections)."""
    name = "search"
    if index.live is None:
        return Check(name, ERROR, f"No search index in {index.path}: run `agenda reindex` "
                                  "(meanwhile word searches are answered from SQL).")
    if index.problem or index.documents is None:
        return Check(name, ERROR, f"The search index {index.live} cannot be read "
                                  f"({index.problem}): run `agenda reindex`.")
    counts = f"{index.documents} events indexed, {published} published"
    if index.dirty:
        return Check(name, WARNING, f"The search index may lack changes ({index.dirty}; "
                                    f"{counts}): the next collection or `agenda reindex` "
                                    "catches it up.")
    if index.documents != published:
        if collecting:
            return Check(name, WARNING, f"{counts}, while {collecting} source(s) are being "
                                        "collected: run the doctor again once they are done.")
        hint = (" (on several machines, search with search_backend = \"postgresql\": each "
                "machine's Whoosh index only follows the changes made on that machine)"
                if shared_database else "")
        return Check(name, ERROR, f"{counts}: the index is out of step with the database, run "
                                  f"`agenda reindex`{hint}.")
    return Check(name, OK, f"Whoosh index {index.live} in {index.path}: {counts}.")


def vectors_check(missing: dict[str, int], problem: str | None = None) -> Check:
    """PostgreSQL's search: every row has its text vector, and the server can match them."""
    name = "search"
    if problem:
        return Check(name, ERROR, problem)
    lacking = {table: n for table, n in missing.items() if n}
    if lacking:
        listed = ", ".join(f"{n} {table}" for table, n in lacking.items())
        return Check(name, ERROR, f"Rows without a search vector ({listed}): word searches "
                                  "miss them; run `agenda reindex`.")
    return Check(name, OK, "PostgreSQL search: every event, actor and initiative has its "
                           "text vector.")


# --- Redis and the secret key --------------------------------------------------------------

def redis_check(shown_uri: str, scheme: str, problem: str | None, *,
                shared_database: bool) -> Check:
    """``ratelimit_storage_uri``: the one setting that uses Redis (sessions are signed
    cookies, checked against the database)."""
    name = "redis"
    if scheme == "memory":
        if shared_database:
            return Check(name, WARNING, "Rate limits are counted in each web process's memory "
                                        "(ratelimit_storage_uri = memory://): several web "
                                        "machines count apart; set AGENDA_RATELIMIT_STORAGE_URI"
                                        "=redis://HOST:6379/0.")
        return Check(name, OK, "None configured: rate limits are counted in memory (one web "
                               "process, the embedded set-up).")
    if not scheme.startswith("redis"):
        return Check(name, OK, f"Rate limits are counted in {shown_uri} (not checked here).")
    if scheme in ("redis+sentinel", "redis+cluster"):
        return Check(name, WARNING, f"Rate limits are counted in {shown_uri}; the doctor only "
                                    "checks redis://, rediss:// and redis+unix:// addresses.")
    if problem:
        return Check(name, ERROR, f"{shown_uri} cannot be reached ({problem}): rate limits "
                                  "fall back to each process's memory.")
    return Check(name, OK, f"{shown_uri} answers (rate limits are counted there).")


def fingerprint(key: str) -> str:
    """What identifies a key without revealing it: the same on every machine sharing it."""
    return hashlib.sha256(f"agenda doctor\0{key}".encode()).hexdigest()[:8]


def secret_check(key: str, *, instance_key: str | None, instance_file: str,
                 shared_database: bool) -> Check:
    """``secret_key`` signs sessions and CSRF tokens: every web machine needs the same one."""
    name = "secret key"
    if key.strip().lower() in PLACEHOLDER_KEYS:
        if key:
            return Check(name, ERROR, "secret_key is a placeholder anyone can guess: set "
                                      "AGENDA_SECRET_KEY to a long random value.")
        if instance_key is None:
            sentence = (f"secret_key is not set: the web app will make one in {instance_file} "
                        "at its first start")
        else:
            sentence = (f"secret_key is not set: this machine signs with its own {instance_file} "
                        f"(fingerprint {fingerprint(instance_key)})")
        if shared_database:
            return Check(name, WARNING, f"{sentence}; web machines must share one key: set "
                                        "AGENDA_SECRET_KEY (the same on each).")
        return Check(name, OK, f"{sentence} (right for one machine).")
    if len(key) < SHORT_KEY:
        return Check(name, WARNING, f"secret_key is short ({len(key)} characters): set a random "
                                    f"value of at least {SHORT_KEY} (fingerprint "
                                    f"{fingerprint(key)}).")
    return Check(name, OK, f"Set (fingerprint {fingerprint(key)}: every web machine must show "
                           "the same).")


# --- the scheduler -------------------------------------------------------------------------

@dataclass(frozen=True)
class Activity:
    """What the database says of the workers (ticks themselves are not recorded)."""

    sources: int  # enabled sources that are fetched
    latest_start: datetime | None  # the latest collection's start (any source)
    latest_worker: str | None
    claimed_by: tuple[str, ...]  # workers holding a live claim now
    oldest_due: datetime | None  # the earliest next run that has passed, unclaimed sources


def scheduler_check(activity: Activity, *, now: datetime, tick_seconds: int) -> Check:
    name = "scheduler"
    if not activity.sources:
        return Check(name, OK, "No enabled source to collect.")
    if activity.claimed_by:
        workers = ", ".join(sorted(set(activity.claimed_by)))
        return Check(name, OK, f"Collecting now ({len(activity.claimed_by)} source(s) claimed "
                               f"by {workers}).")
    grace = timedelta(seconds=2 * tick_seconds + 60)
    stalled_since = activity.oldest_due if (activity.oldest_due is not None
                                            and now - activity.oldest_due > grace) else None
    latest = activity.latest_start
    if stalled_since is not None and (latest is None or latest < stalled_since):
        seen = (f"the latest collection started {when(latest, now)}" if latest
                else "no collection ever started")
        return Check(name, ERROR, f"No worker seems to tick: a source is due since "
                                  f"{when(stalled_since, now)} and {seen}; is `agenda worker` "
                                  "running? (Ticks are not recorded: this is read from the "
                                  "collections.)")
    if latest is None:
        return Check(name, WARNING, "No collection has started yet: is `agenda worker` (or "
                                    "`agenda serve`) running?")
    by = f" by {activity.latest_worker}" if activity.latest_worker else ""
    return Check(name, OK, f"The latest collection started {when(latest, now)}{by} (ticks are "
                           "not recorded: this is read from the collections).")


@dataclass(frozen=True)
class SourceDue:
    id: int
    name: str
    interval_minutes: int
    next_run_at: datetime | None


def overdue_check(sources: list[SourceDue], *, now: datetime) -> Check:
    """Enabled fetched sources whose next collection is more than one interval late (a
    failing source's backed-off next run is its due time: it is not late)."""
    late = sorted((s for s in sources if s.next_run_at is not None
                   and now - s.next_run_at > timedelta(minutes=s.interval_minutes)),
                  key=lambda s: s.next_run_at)
    if not late:
        return Check("sources", OK, f"No source is more than one interval late "
                                    f"({len(sources)} enabled).")
    shown = ", ".join(f"[{s.id}] {s.name} (due {when(s.next_run_at, now)})"
                      for s in late[:SHOWN_SOURCES])
    more = f" and {len(late) - SHOWN_SOURCES} more" if len(late) > SHOWN_SOURCES else ""
    return Check("sources", WARNING, f"{len(late)} of {len(sources)} enabled source(s) more "
                                     f"than one interval late: {shown}{more}.")


# --- files of this machine ------------------------------------------------------------------

def images_check(folder: str, stored: int, absent: list[str]) -> Check:
    """The proposal images the published events show, against this machine's images folder
    (every web machine serves ``/images/<name>`` from its own instance folder)."""
    if not stored:
        return Check("images", OK, f"No published event shows an image stored here ({folder}).")
    if not absent:
        return Check("images", OK, f"The {stored} image(s) of published events are in {folder}.")
    shown = ", ".join(absent[:SHOWN_SOURCES])
    return Check("images", WARNING, f"{len(absent)} of the {stored} image(s) of published "
                                    f"events are not in {folder} ({shown}): this machine "
                                    "answers 404 for them; web machines must share that folder.")
