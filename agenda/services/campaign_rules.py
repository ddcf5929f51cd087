"""A campaign's rules as staff type them: read (words one per line or separated by commas) and
checked against what exists (the region's themes and departments, the sources and actors in
the database, looked up by ``agenda.store.campaigns.all_exist``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from agenda.messages import N_
from agenda.models import Actor, Source
from agenda.store.campaigns import all_exist

MAX_VALUES = 30
WORD_MIN, WORD_MAX = 2, 100
_SEPARATORS = re.compile(r"[\n,;]+")

WORD_LENGTH = N_("Each word or phrase must have 2 to 100 characters.")
TOO_MANY = N_("At most 30 values of one kind.")
UNKNOWN_VALUE = N_("Choose among the values offered.")


@dataclass(frozen=True)
class CampaignRules:
    """Several values of one kind: any of them; several kinds: all of them."""

    themes: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    sources: tuple[int, ...] = ()
    actors: tuple[int, ...] = ()
    departments: tuple[str, ...] = ()

    def cleaned(self) -> CampaignRules:
        return CampaignRules(_unique(self.themes), _unique(" ".join(w.split())
                                                           for w in self.words),
                             _unique(self.sources), _unique(self.actors),
                             _unique(self.departments))

    def columns(self) -> dict[str, list]:
        """The campaign's columns (``rule_themes``...) holding these rules."""
        return {f"rule_{kind}": list(getattr(self, kind)) for kind in self.__dataclass_fields__}

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, kind) for kind in self.__dataclass_fields__)


def read_words(text: str) -> tuple[str, ...]:
    """Words or phrases typed one per line (or separated by commas or semicolons)."""
    return tuple(part.strip() for part in _SEPARATORS.split(text or "") if part.strip())


def rule_errors(session: Session, rules: CampaignRules, *, themes: set[str],
                departments: set[str]) -> dict[str, str]:
    """The problems of (cleaned) ``rules``, by field (``rule_words``...); ``themes`` and
    ``departments`` are the region's."""
    errors = {f"rule_{kind}": TOO_MANY for kind in rules.__dataclass_fields__
              if len(getattr(rules, kind)) > MAX_VALUES}
    if any(not WORD_MIN <= len(word) <= WORD_MAX for word in rules.words):
        errors.setdefault("rule_words", WORD_LENGTH)
    checks = {"rule_themes": set(rules.themes) <= themes,
              "rule_departments": set(rules.departments) <= departments,
              "rule_sources": all_exist(session, Source.id, rules.sources),
              "rule_actors": all_exist(session, Actor.id, rules.actors)}
    errors.update({name: UNKNOWN_VALUE for name, ok in checks.items()
                   if not ok and name not in errors})
    return errors


def _unique(values) -> tuple:
    return tuple(dict.fromkeys(values))
