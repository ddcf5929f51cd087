"""Secret key, session cookies, CSRF and rate limits: the web app's defences, set up once.

* Every POST needs a CSRF token (Flask-WTF); a form's own token comes with ``form.hidden_tag()``
  or ``{{ csrf_token() }}``.
* Session cookies are HttpOnly and SameSite=Lax, and Secure when ``public_url`` is https (or
  with ``session_cookie_secure``); staff sessions end server-side (``agenda.web.shared.staff_session``).
* Every answer carries the security headers (``agenda.web.shared.headers``).
* Rate limits are counted per client address (behind ``trusted_proxies`` reverse proxies, the
  address they forward) by Flask-Limiter, in memory by default and in
  Redis with ``ratelimit_storage_uri = "redis://..."`` (shared by every worker and machine).  If
  that storage is unreachable the limiter falls back to memory rather than failing requests.
  Several gunicorn workers counting in memory would each count apart: the gunicorn configuration
  (``agenda.web.gunicorn_conf``) refuses to start them so.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask
from limits import parse_many
from werkzeug.middleware.proxy_fix import ProxyFix

from agenda.errors import ConfigError
from agenda.settings import Settings
from agenda.web.extensions import csrf, limiter
from agenda.web.shared.headers import init_headers
from agenda.web.shared.log_redaction import install_redaction

SECRET_FILE = "secret_key"


def init_security(app: Flask, settings: Settings) -> None:
    check_rate_limits(settings)
    secure = secure_cookies(settings)
    app.config.update(
        SECRET_KEY=settings.secret_key or instance_secret(settings.instance_path),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_max_hours),
        WTF_CSRF_TIME_LIMIT=12 * 3600,  # a long form may take a while to fill in
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_SWALLOW_ERRORS=True,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    init_headers(app, public_url=settings.public_url)
    install_redaction()
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,
                                x_proto=settings.trusted_proxies)


def secure_cookies(settings: Settings) -> bool:
    """Cookies travel over HTTPS only when the site is served over HTTPS (``public_url``), or
    when ``session_cookie_secure`` says so (behind an HTTPS proxy with another public_url)."""
    return settings.session_cookie_secure or settings.public_url.lower().startswith("https://")


def check_rate_limits(settings: Settings) -> None:
    """A rate limit the limiter cannot read is a configuration error at start, not a 500."""
    for name in ("submit_rate_limit", "login_rate_limit"):
        try:
            parse_many(getattr(settings, name))
        except ValueError as error:
            raise ConfigError(f"The setting {name} is not a rate limit such as "
                              f"'10 per minute; 40 per hour': {error}") from error


def instance_secret(instance_path: Path) -> str:
    """A random key kept in the instance folder (created once, readable by its owner only).

    Several workers start at once: the key is written to a file of its own, then linked into
    place in one step, so that no process ever reads a file created but not yet written (an
    empty key made a worker answer 500)."""
    path = Path(instance_path) / SECRET_FILE
    try:
        return _non_empty(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
        handle.write(key)
    try:
        os.link(draft, path)  # fails when another process published its key first
    except FileExistsError:
        key = _non_empty(path)
    finally:
        draft.unlink()
    return key


def _non_empty(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        raise ConfigError(f"The secret key file {path} is empty: delete it, a new key is made "
                          "at the next start.")
    return key
