"""What ``agenda doctor`` reads: the database (its revision, the search vectors, the sources'
schedule and claims), the index folder of this machine, Redis, the secret key.  Nothing here
writes, creates a file or a database, or raises: every problem becomes a :class:`Check`.

    checks = run_checks(settings, now=now)          # [Check(name, status, sentence), ...]
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from agenda.migrate import alembic_config
from agenda.models import CollectionRun, Source
from agenda.models.source import FETCHED_KINDS
from agenda.operations.checks import (
    ERROR,
    Activity,
    Check,
    SourceDue,
    WhooshState,
    database_check,
    images_check,
    migration_check,
    overdue_check,
    redis_check,
    scheduler_check,
    secret_check,
    vectors_check,
    whoosh_check,
)
from agenda.settings import Settings
from agenda.text_clean import printable

CONNECT_TIMEOUT = 5  # seconds: an unreachable server is one line, not a long wait
INSTANCE_SECRET = "secret_key"  # agenda.web.shared.security.SECRET_FILE (no Flask here)


def run_checks(settings: Settings, *, now: datetime) -> list[Check]:
    """Every check, in the order an operator reads them."""
    checks = _database_checks(settings, now)
    checks.append(redis_status(settings))
    checks.append(secret_status(settings))
    return checks


def reason(error: BaseException) -> str:
    """The first line of what a library said, without its traceback or SQL."""
    origin = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(origin).splitlines() if line.strip()]
    return printable(lines[0] if lines else type(origin).__name__)


# --- the database and what it holds --------------------------------------------------------

def _database_checks(settings: Settings, now: datetime) -> list[Check]:
    url = make_url(settings.sqlalchemy_url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not Path(url.database).is_file():
        return [Check("database", ERROR, f"No database at {url.database} yet: run "
                                         "`agenda init`.")]
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            migrated = migration_status(connection)
    except SQLAlchemyError as error:
        engine.dispose()
        return [database_check(shown, reason(error))]
    checks = [database_check(shown, None), migrated]
    if migrated.status == ERROR:  # the tables may lack what the other checks read
        engine.dispose()
        return checks
    try:
        checks += _data_checks(engine, settings, now)
    finally:
        engine.dispose()
    return checks


def _engine(url) -> Engine:
    if url.get_backend_name() == "postgresql":
        return create_engine(url, poolclass=NullPool,
                             connect_args={"connect_timeout": CONNECT_TIMEOUT})
    return create_engine(url, poolclass=NullPool, connect_args={"timeout": CONNECT_TIMEOUT})


def migration_status(connection) -> Check:
    script = ScriptDirectory.from_config(alembic_config())
    current = tuple(MigrationContext.configure(connection).get_current_heads())
    known = {revision.revision for revision in script.walk_revisions()}
    return migration_check(current, tuple(script.get_heads()), known)


def _data_checks(engine: Engine, settings: Settings, now: datetime) -> list[Check]:
    checks = []
    for name, check in (("search", search_status), ("scheduler", scheduler_status),
                        ("sources", sources_status), ("images", images_status)):
        try:
            with Session(engine) as session:
                checks.append(check(session, settings, now))
        except SQLAlchemyError as error:
            checks.append(Check(name, ERROR, f"Could not be read from the database: "
                                             f"{reason(error)}"))
        except Exception as error:  # noqa: BLE001 (the doctor reports, it never crashes)
            checks.append(Check(name, ERROR, f"Could not be checked: {reason(error)}"))
    return checks


def search_status(session: Session, settings: Settings, now: datetime) -> Check:
    if settings.search_backend == "postgresql":
        return postgresql_search_status(session)
    from agenda.search.rows import published_count

    return whoosh_check(whoosh_state(settings), published=published_count(session),
                        collecting=_collecting(session, now),
                        shared_database=settings.sqlalchemy_url.startswith("postgresql"))


def postgresql_search_status(session: Session) -> Check:
    from agenda.search.pg.rebuild import missing_counts, text_search_problem

    if session.get_bind().dialect.name != "postgresql":  # the settings refuse it already
        return vectors_check({}, "search_backend = \"postgresql\" needs a PostgreSQL database.")
    problem = text_search_problem(session.connection())
    if problem:
        session.rollback()
        return vectors_check({}, problem)
    return vectors_check(missing_counts(session))


def whoosh_state(settings: Settings) -> WhooshState:
    """The index of this machine's instance folder, read without writing anything."""
    from agenda.search import IndexUnavailable, index_path
    from agenda.search.folder import IndexFolder

    folder = IndexFolder(index_path(settings))
    live = folder.live_name()
    dirty = None
    if folder.is_dirty():
        try:
            dirty = (folder.root / "DIRTY").read_text(encoding="utf-8").strip() or "no reason"
        except OSError as error:
            dirty = error.strerror or "unreadable flag"
    documents, problem = None, None
    if live is not None:
        try:
            documents = folder.open(live).doc_count()
        except (IndexUnavailable, OSError) as error:
            problem = reason(error)
        except Exception as error:  # noqa: BLE001 (a damaged index says so, never a traceback)
            problem = reason(error)
    return WhooshState(str(folder.root), live, problem, printable(dirty) if dirty else None,
                       documents)


def _fetched(query):
    return query.where(Source.enabled.is_(True), Source.kind.in_(FETCHED_KINDS))


def _unclaimed(now: datetime):
    return (Source.claimed_until.is_(None)) | (Source.claimed_until <= now)


def _collecting(session: Session, now: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Source).where(
        Source.claimed_until > now, Source.claim_started.is_(True))) or 0


def scheduler_status(session: Session, settings: Settings, now: datetime) -> Check:
    sources = session.scalar(_fetched(select(func.count()).select_from(Source))) or 0
    run = session.execute(select(CollectionRun.started_at, CollectionRun.worker)
                          .order_by(CollectionRun.started_at.desc()).limit(1)).first()
    attempt = session.scalar(select(func.max(Source.last_attempt_at)))
    latest, worker = (run.started_at, run.worker) if run else (None, None)
    if attempt is not None and (latest is None or attempt > latest):
        latest, worker = attempt, None
    claimed = tuple(session.scalars(select(Source.claimed_by).where(
        Source.claimed_until > now, Source.claimed_by.is_not(None))))
    oldest_due = session.scalar(_fetched(select(func.min(Source.next_run_at))).where(
        Source.next_run_at <= now, _unclaimed(now)))
    activity = Activity(sources, latest, printable(worker) if worker else None,
                        tuple(printable(name) for name in claimed), oldest_due)
    return scheduler_check(activity, now=now, tick_seconds=settings.scheduler_tick_seconds)


def sources_status(session: Session, _settings: Settings, now: datetime) -> Check:
    rows = session.execute(_fetched(select(Source.id, Source.name, Source.interval_minutes,
                                           Source.next_run_at)).where(_unclaimed(now))
                           .order_by(Source.id))
    due = [SourceDue(row.id, printable(row.name), row.interval_minutes, row.next_run_at)
           for row in rows]
    return overdue_check(due, now=now)


def images_status(session: Session, settings: Settings, _now: datetime) -> Check:
    """Proposal images (``agenda.store.images``) shown by published events, and whether
    this machine's instance folder has each of them."""
    from agenda.models import Event
    from agenda.store.conditions import listed
    from agenda.store.images import FOLDER, image_path

    prefix = settings.public_url.rstrip("/") + "/images/"
    addresses = session.scalars(select(Event.image_url).where(
        listed(), Event.image_url.startswith(prefix, autoescape=True)).distinct())
    names = sorted({address[len(prefix):] for address in addresses})
    absent = [printable(name) for name in names
              if image_path(settings.instance_path, name) is None]
    return images_check(str(settings.instance_path / FOLDER), len(names), absent)


# --- Redis and the secret key --------------------------------------------------------------

def shown_uri(uri: str) -> str:
    """The address without its password."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))


def redis_status(settings: Settings) -> Check:
    uri = settings.ratelimit_storage_uri.strip()
    scheme = urlsplit(uri).scheme.lower()
    problem = None
    if scheme in ("redis", "rediss", "redis+unix"):
        problem = ping_redis(uri)
    return redis_check(shown_uri(uri), scheme, problem,
                       shared_database=settings.sqlalchemy_url.startswith("postgresql"))


def ping_redis(uri: str) -> str | None:
    """Why Redis at ``uri`` does not answer; None when it does."""
    import redis

    address = "unix" + uri[len("redis+unix"):] if uri.lower().startswith("redis+unix") else uri
    try:
        client = redis.Redis.from_url(address, socket_connect_timeout=CONNECT_TIMEOUT,
                                      socket_timeout=CONNECT_TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as error:
        return reason(error)
    return None


def secret_status(settings: Settings) -> Check:
    path = settings.instance_path / INSTANCE_SECRET
    try:
        instance_key = path.read_text(encoding="utf-8").strip() or None
    except OSError:
        instance_key = None
    return secret_check(settings.secret_key, instance_key=instance_key, instance_file=str(path),
                        shared_database=settings.sqlalchemy_url.startswith("postgresql"))
