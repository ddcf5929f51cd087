"""Settings: defaults (config/settings.toml) -> instance file (agenda.toml) -> AGENDA_* environment.

Validated once, then passed around as a frozen :class:`Settings`.  This is the only module that
reads the environment.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agenda.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULTS_FILE = PROJECT_ROOT / "config" / "settings.toml"
ENV_PREFIX = "AGENDA_"
GEOCODERS = ("none", "ban")  # agenda.services.geocoding
SEARCH_BACKENDS = ("whoosh", "postgresql")  # agenda.search


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    default_timezone: str
    allow_private_urls: bool
    default_interval_minutes: int
    jitter_seconds: int
    max_backoff_minutes: int
    broken_after_failures: int
    scheduler_tick_seconds: int
    claim_lease_minutes: int
    claim_batch_size: int
    connect_timeout: float
    total_timeout: float
    max_body_bytes: int
    max_redirects: int
    window_past_days: int
    window_future_days: int
    reparse_after_days: int
    max_occurrences_per_series: int
    max_occurrences_per_source: int
    max_parse_seconds: float
    feed_past_days: int
    feed_future_days: int
    feed_max_events: int
    feed_miss_rate_limit: str
    feed_cache_max_bytes: int
    feed_build_wait_seconds: float
    feed_build_nice: int
    feed_stale_seconds: int
    region_file: Path
    config_dir: Path
    demo_port: int
    secret_key: str
    session_cookie_secure: bool
    session_idle_minutes: int
    session_max_hours: int
    trusted_proxies: int
    ratelimit_storage_uri: str
    submit_rate_limit: str
    login_rate_limit: str
    public_url: str
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_starttls: bool
    mail_from: str
    team_email: str
    map_tiles_url: str
    geocoder: str
    geocoder_url: str
    geocoder_max_lookups: int
    widget_frame_ancestors: str
    search_backend: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.default_timezone)

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.instance_path / 'agenda.sqlite3'}"

    def with_overrides(self, **values) -> "Settings":
        return _validated(replace(self, **values))


def load_settings(env: dict[str, str] | None = None, **overrides) -> Settings:
    """Read the three layers and validate the result."""
    env = dict(os.environ if env is None else env)
    instance = Path(overrides.pop("instance_path", None) or env.get("AGENDA_INSTANCE_PATH")
                    or PROJECT_ROOT / "instance").resolve()
    raw: dict = {"instance_path": instance}
    raw.update(_read_toml(DEFAULTS_FILE))
    raw.update(_read_toml(instance / "agenda.toml", missing_ok=True))
    raw.update(_from_env(env))
    raw.update(overrides)
    return _validated(_build(raw))


def _read_toml(path: Path, *, missing_ok: bool = False) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        if missing_ok:
            return {}
        raise ConfigError(f"The settings file {path} is missing.") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"The settings file {path} is not valid TOML: {error}.") from error


def _from_env(env: dict[str, str]) -> dict[str, str]:
    names = {f.name for f in fields(Settings)} - {"instance_path"}
    return {
        key[len(ENV_PREFIX):].lower(): value
        for key, value in env.items()
        if key.startswith(ENV_PREFIX) and key[len(ENV_PREFIX):].lower() in names
    }


def _build(raw: dict) -> Settings:
    values = {}
    for field in fields(Settings):
        if field.name not in raw:
            raise ConfigError(f"The setting {field.name} has no value.")
        values[field.name] = _coerce(field.name, field.type, raw[field.name])
    return Settings(**values)


def _coerce(name: str, kind: str, value):
    try:
        if kind == "bool":
            return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes", "on"}
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "Path":
            path = Path(value)
            return path if path.is_absolute() else PROJECT_ROOT / path
        return str(value)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"The setting {name} must be a {kind}, not {value!r}.") from error


def _validated(settings: Settings) -> Settings:
    try:
        settings.tz
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"Unknown time zone {settings.default_timezone!r}.") from error
    positive = ("default_interval_minutes", "max_backoff_minutes", "scheduler_tick_seconds",
                "claim_lease_minutes", "claim_batch_size", "max_body_bytes", "window_future_days",
                "feed_future_days", "feed_max_events", "feed_cache_max_bytes",
                "max_occurrences_per_series", "max_occurrences_per_source", "max_parse_seconds")
    for name in positive:
        if getattr(settings, name) <= 0:
            raise ConfigError(f"The setting {name} must be positive.")
    if settings.session_idle_minutes <= 0 or settings.session_max_hours <= 0:
        raise ConfigError("Staff sessions need a positive idle time and lifetime.")
    if settings.connect_timeout <= 0 or settings.total_timeout <= 0:
        raise ConfigError("Timeouts must be positive.")
    _check_tiles(settings.map_tiles_url)
    _check_geocoder(settings)
    _check_frame_ancestors(settings.widget_frame_ancestors)
    _check_search_backend(settings)
    return settings


def _check_search_backend(settings: Settings) -> None:
    """Whoosh (a folder of the instance) or PostgreSQL (the database's own text search,
    which every machine sharing the database reads)."""
    if settings.search_backend not in SEARCH_BACKENDS:
        raise ConfigError(f"search_backend must be one of {', '.join(SEARCH_BACKENDS)}, not "
                          f"{settings.search_backend!r}.")
    if settings.search_backend == "postgresql" and not settings.sqlalchemy_url.startswith(
            "postgresql"):
        raise ConfigError("search_backend = \"postgresql\" needs a PostgreSQL database_url "
                          "(the embedded SQLite database searches with Whoosh).")


def _check_geocoder(settings: Settings) -> None:
    if settings.geocoder not in GEOCODERS:
        raise ConfigError(f"geocoder must be one of {', '.join(GEOCODERS)}, not "
                          f"{settings.geocoder!r}.")
    if settings.geocoder != "none" and not settings.geocoder_url.startswith(("https://",
                                                                              "http://")):
        raise ConfigError("geocoder_url must be an http:// or https:// address.")
    if settings.geocoder_max_lookups < 0:
        raise ConfigError("The setting geocoder_max_lookups cannot be negative.")


_FRAME_SOURCE = re.compile(r"\*|'self'|https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?/?|https?:")


def _check_frame_ancestors(value: str) -> None:
    """The sites that may frame the widget (CSP frame-ancestors): * (any), 'self', or
    http(s) origins (https://*.example.org allowed), separated by spaces."""
    sources = value.split()
    if not sources or not all(_FRAME_SOURCE.fullmatch(source) for source in sources):
        raise ConfigError("widget_frame_ancestors must be *, 'self' or http(s):// origins "
                          "separated by spaces.")


def _check_tiles(url: str) -> None:
    """Empty (no map) or an https address with Leaflet's {z}, {x} and {y}."""
    if url and not (url.startswith("https://") and all(p in url for p in ("{z}", "{x}", "{y}"))):
        raise ConfigError("map_tiles_url must be empty or an https:// address with {z}, {x} "
                          "and {y}.")
