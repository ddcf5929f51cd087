"""gunicorn's configuration for the web process: ``gunicorn -c python:agenda.web.gunicorn_conf``.

Rate limits (proposals, sign-in attempts) hold only if every worker counts in one place.  With
``ratelimit_storage_uri = "memory://"`` each gunicorn worker keeps its own count, so four
workers let four times the limit through; gunicorn then refuses to start, with the setting to
change.  One worker (or ``agenda serve``, one process) counts right in memory.
"""

from __future__ import annotations

from agenda.errors import ConfigError
from agenda.settings import load_settings

SHARED_STORAGE_NEEDED = (
    "{workers} web workers would each count the rate limits apart in memory (so each limit "
    "would let {workers} times as many requests through): set "
    "AGENDA_RATELIMIT_STORAGE_URI=redis://HOST:6379/0 (the Redis every worker and machine "
    "shares), or run one worker (--workers 1).")


def on_starting(server) -> None:
    """gunicorn's hook, in the master before any worker starts: refuse a setup whose limits
    would not hold (gunicorn prints the sentence and exits with status 1)."""
    try:
        storage_uri = load_settings().ratelimit_storage_uri
    except ConfigError as error:
        raise RuntimeError(error.message) from error
    problem = shared_limits_problem(server.cfg.workers, storage_uri)
    if problem:
        raise RuntimeError(problem)


def shared_limits_problem(workers: int, storage_uri: str) -> str | None:
    """Why ``workers`` processes cannot count limits in ``storage_uri`` (None: they can)."""
    if workers > 1 and storage_uri.strip().lower().startswith("memory://"):
        return SHARED_STORAGE_NEEDED.format(workers=workers)
    return None
