"""One language to say things in, without Flask: its translations and its number format.

The pages use Flask-Babel's (``agenda.web.shared.source_messages``); e-mails sent by the worker
load the compiled catalogue themselves (``in_language``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"


@dataclass(frozen=True)
class Language:
    """``gettext(msgid, **values)`` fills ``%(name)s``; ``number(value)`` writes a number."""

    gettext: Callable[..., str]
    number: Callable[[float], str]


@lru_cache(maxsize=4)
def in_language(code: str) -> Language:
    """``code`` ('fr', 'en') from the compiled catalogue (English msgids as they are)."""
    translations = Translations.load(str(TRANSLATIONS_DIR), [code])
    if not isinstance(translations, Translations):
        translations = NullTranslations()

    def gettext(msgid: str, **values) -> str:
        text = translations.gettext(msgid)
        return text % values if values else text

    return Language(gettext=gettext, number=lambda value: format_decimal(value, locale=code))
