"""The region an instance serves: its departments and the ESS themes, read from a TOML file.

The path is always passed in (``config/region.toml`` by default), so another region runs its own
instance by writing its own file. The file is validated once, here: any problem raises a
:class:`~agenda.errors.ConfigError` whose message names the file and the faulty entry.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agenda.errors import ConfigError


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    prefecture: str


@dataclass(frozen=True)
class Theme:
    slug: str
    label_fr: str
    label_en: str
    keywords: tuple[str, ...] = ()

    def matches(self, category: str) -> bool:
        """True when one of the theme's keywords (or its slug or labels) is in ``category``."""
        text = f" {normalize_keyword(category)} "
        return any(term in text for term in self.compare_terms)

    @cached_property
    def compare_terms(self) -> tuple[str, ...]:
        """The compare forms of the keywords, padded with spaces: computed once per theme."""
        terms = (self.slug, self.label_fr, self.label_en, *self.keywords)
        return tuple(f" {t} " for t in map(normalize_keyword, terms) if t)


@dataclass(frozen=True)
class Region:
    name: str
    code: str
    timezone: str
    departments: tuple[Department, ...]
    themes: tuple[Theme, ...]

    def department(self, code: str) -> Department | None:
        """The department with this code ('45'), or None when it is not in the region."""
        wanted = str(code).strip().upper()
        return next((d for d in self.departments if d.code == wanted), None)

    def theme(self, slug: str) -> Theme | None:
        """The theme with this slug, or None."""
        return next((t for t in self.themes if t.slug == slug), None)

    def themes_for(self, categories: list[str]) -> list[str]:
        """Slugs of the themes the given source categories belong to, in the file's order."""
        found: set[str] = set()
        for text in categories:
            words = normalize_keyword(text).split() if text else []
            for size in range(1, min(len(words), self._longest_term) + 1):
                for start in range(len(words) - size + 1):
                    found.update(self._themes_by_term.get(" ".join(words[start:start + size]), ()))
        return [t.slug for t in self.themes if t.slug in found]

    @cached_property
    def _themes_by_term(self) -> dict[str, tuple[str, ...]]:
        """Every compare term -> the slugs of the themes it belongs to (looked up by n-grams)."""
        index: dict[str, tuple[str, ...]] = {}
        for theme in self.themes:
            for term in theme.compare_terms:
                index[term.strip()] = index.get(term.strip(), ()) + (theme.slug,)
        return index

    @cached_property
    def _longest_term(self) -> int:
        return max((len(term.split()) for term in self._themes_by_term), default=0)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@lru_cache(maxsize=4096)
def normalize_keyword(text: str) -> str:
    """Compare form of a keyword or category: no accents, casefolded, words without plural s/x.

    'Repair Cafés' -> 'repair cafe'; "Mois de l’ESS" -> 'moi de l ess' (both sides get the same
    treatment, so the crude plural folding is harmless).  Cached: categories repeat a lot.
    """
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NON_WORD.split(folded)
    return " ".join(_singular(word) for word in words if word)


_NON_WORD = re.compile(r"[^0-9a-z]+")


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


@lru_cache(maxsize=8)
def cached_region(path: Path) -> Region:
    """The region of ``path``, read once per process (a change applies at the next restart)."""
    return load_region(path)


def load_region(path: Path | str) -> Region:
    """Read and validate a region file; raise ConfigError naming the problem."""
    path = Path(path)
    data = _read_toml(path)
    try:
        region = _build_region(data)
    except ValueError as e:
        raise ConfigError(f"Invalid region file {path}: {e}", path=str(path)) from e
    return region


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError as e:
        raise ConfigError(f"Region file not found: {path}", code="config.missing",
                          path=str(path)) from e
    except OSError as e:
        raise ConfigError(f"Region file {path} cannot be read: {e.strerror}",
                          path=str(path)) from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"Region file {path} is not valid TOML: {e}", path=str(path)) from e


def _build_region(data: dict) -> Region:
    section = _table(data, "region")
    timezone = _text(section, "timezone", "region")
    _check_timezone(timezone)
    departments = tuple(_build_department(d, i) for i, d in enumerate(_list(data, "departments")))
    themes = tuple(_build_theme(t, i) for i, t in enumerate(_list(data, "themes")))
    _check_unique([d.code for d in departments], "department code")
    _check_unique([t.slug for t in themes], "theme slug")
    return Region(
        name=_text(section, "name", "region"),
        code=_text(section, "code", "region"),
        timezone=timezone,
        departments=departments,
        themes=themes,
    )


def _build_department(entry: dict, index: int) -> Department:
    where = f"departments[{index}]"
    _require_table(entry, where)
    code = _text(entry, "code", where).upper()
    if not re.fullmatch(r"\d{2,3}|2[AB]", code):
        raise ValueError(f"{where}: {code!r} is not a French department code")
    return Department(code=code, name=_text(entry, "name", where),
                      prefecture=_text(entry, "prefecture", where))


def _build_theme(entry: dict, index: int) -> Theme:
    where = f"themes[{index}]"
    _require_table(entry, where)
    slug = _text(entry, "slug", where)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        raise ValueError(f"{where}: slug {slug!r} must be lowercase ASCII words joined by '-'")
    keywords = entry.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip()
                                                 for k in keywords):
        raise ValueError(f"{where}: 'keywords' must be a list of non-empty strings")
    return Theme(slug=slug, label_fr=_text(entry, "label_fr", where),
                 label_en=_text(entry, "label_en", where),
                 keywords=tuple(k.strip() for k in keywords))


def _table(data: dict, key: str) -> dict:
    if not isinstance(data.get(key), dict):
        raise ValueError(f"a [{key}] table is required")
    return data[key]


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise ValueError(f"[[{key}]] must list at least one entry")
    return value


def _require_table(value, where: str) -> None:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be a table")


def _text(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"region: unknown time zone {name!r}") from e


def _check_unique(values: list[str], what: str) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)
