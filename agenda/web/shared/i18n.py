"""Languages of the pages: French first, English beside it (Flask-Babel).

The language of a request is, in order: ``?lang=fr|en`` (then remembered in a cookie), the
cookie, the browser's Accept-Language, else French. Message ids are English; the French
catalogue lives in ``agenda/translations/fr/LC_MESSAGES/messages.po`` and is compiled to
``messages.mo`` by ``make install`` (``pybabel compile``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, Response, request
from flask_babel import Babel, get_locale
from markupsafe import Markup

from agenda.messages import N_  # noqa: F401  (re-exported)
from agenda.region import Theme

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
CONTENT_LANGUAGE = "fr"  # what the region's actors write in
LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"


def init_babel(app: Flask, *, timezone: str) -> Babel:
    """Set up Flask-Babel on ``app``: our catalogue, the region's zone, the language choice."""
    app.config["BABEL_DEFAULT_LOCALE"] = DEFAULT_LANGUAGE
    app.config["BABEL_DEFAULT_TIMEZONE"] = timezone
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    babel = Babel(app, locale_selector=select_language)
    app.after_request(remember_language)
    app.jinja_env.globals.update(current_language=current_language, language_url=language_url,
                                 content_lang=content_lang)
    return babel


def select_language() -> str:
    """The language of this request: ?lang=, then the cookie, then Accept-Language, then fr."""
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def remember_language(response: Response) -> Response:
    """Keep a ``?lang=`` choice in a cookie; pages vary with the language."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES and request.cookies.get(LANG_COOKIE) != wanted:
        response.set_cookie(LANG_COOKIE, wanted, max_age=LANG_COOKIE_MAX_AGE, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    if response.mimetype == "text/html":
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def current_language() -> str:
    """'fr' or 'en': the language the page is written in (for <html lang> and labels)."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def content_lang() -> Markup:
    """The ``lang`` attribute for text written by the region's actors (titles, descriptions,
    places): empty on French pages, `` lang="fr"`` on English ones, so that screen readers
    read French content with a French voice."""
    if current_language() == CONTENT_LANGUAGE:
        return Markup("")
    return Markup(f' lang="{CONTENT_LANGUAGE}"')


def language_url(language: str) -> str:
    """This page's URL in ``language`` (the same query string, with ``lang=``)."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    path = "/" + request.path.lstrip("/")  # never '//host/...' (a link to another site)
    return f"{path}?{urlencode(pairs + [('lang', language)])}"


def theme_label(theme: Theme) -> str:
    """The theme's label in the page's language."""
    return theme.label_en if current_language() == "en" else theme.label_fr
