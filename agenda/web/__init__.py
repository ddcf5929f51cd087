"""The Flask application factory, made of small ``configure_*`` steps."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, g, render_template, request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException

from agenda.db import make_engine, make_session_factory
from agenda.settings import Settings, load_settings


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    search: object | None = None  # the search index (agenda.search), when configured


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__, instance_path=str(settings.instance_path))
    configure_state(app, settings)
    configure_search(app)
    configure_sessions(app)
    configure_security(app, settings)
    configure_babel(app, settings)
    configure_blueprints(app)
    configure_error_pages(app)
    return app


def configure_state(app: Flask, settings: Settings) -> None:
    engine = make_engine(settings)
    app.extensions["agenda"] = AppState(settings, engine, make_session_factory(engine))
    app.config["JSON_SORT_KEYS"] = False


def configure_search(app: Flask) -> None:
    """The instance's search index, opened on first use; a missing or damaged one is rebuilt
    (meanwhile listings are answered from SQL), never an error page."""
    from agenda.search import open_search

    agenda = app.extensions["agenda"]
    agenda.search = open_search(agenda.settings, agenda.session_factory)


def configure_sessions(app: Flask) -> None:
    @app.teardown_appcontext
    def close_session(_exc) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def configure_security(app: Flask, settings: Settings) -> None:
    from agenda.web.shared.auth import init_auth
    from agenda.web.shared.security import init_security

    init_security(app, settings)
    init_auth(app)


def configure_babel(app: Flask, settings: Settings) -> None:
    from agenda.web.shared.doctor_sentences import init_doctor_sentences
    from agenda.web.shared.i18n import init_babel
    from agenda.web.shared.source_messages import init_source_messages

    init_babel(app, timezone=settings.default_timezone)
    init_source_messages(app)
    init_doctor_sentences(app)


def configure_blueprints(app: Flask) -> None:
    from agenda.web.actors.admin import bp as admin_actors_bp
    from agenda.web.actors.views import bp as actors_bp
    from agenda.web.admin.matches import bp as admin_matches_bp
    from agenda.web.admin.views import bp as admin_bp
    from agenda.web.api.views import bp as api_bp
    from agenda.web.campaigns.admin import bp as campaign_admin_bp
    from agenda.web.campaigns.views import bp as campaigns_bp
    from agenda.web.directory_import.views import bp as directory_import_bp
    from agenda.web.feeds.views import bp as feeds_bp
    from agenda.web.finder.api import bp as directory_api_bp
    from agenda.web.finder.views import bp as finder_bp
    from agenda.web.imports.views import bp as imports_bp
    from agenda.web.initiatives.views import bp as initiatives_bp
    from agenda.web.links.views import bp as event_links_bp
    from agenda.web.map.views import bp as map_bp
    from agenda.web.moderation.views import bp as moderation_bp
    from agenda.web.public.views import bp as public_bp
    from agenda.web.submit.uploads import bp as images_bp
    from agenda.web.submit.views import bp as submit_bp
    from agenda.web.territory.views import bp as territory_bp
    from agenda.web.widget.views import bp as widget_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(admin_bp)
    app.register_blueprint(admin_matches_bp)  # /admin/matches: possible duplicates to review
    app.register_blueprint(moderation_bp)
    app.register_blueprint(campaigns_bp)
    app.register_blueprint(initiatives_bp)
    app.register_blueprint(campaign_admin_bp)
    app.register_blueprint(imports_bp)  # /admin/import: spreadsheets imported by staff
    app.register_blueprint(submit_bp)
    app.register_blueprint(images_bp)  # /images/<name>: the images sent with proposals
    app.register_blueprint(actors_bp)  # /actors/: the actors' directory and pages
    app.register_blueprint(admin_actors_bp)  # staff: actors, their numbers and links
    app.register_blueprint(event_links_bp)  # staff: an event's actors and initiatives
    app.register_blueprint(directory_import_bp)  # staff: actors and initiatives imported
    app.register_blueprint(finder_bp)  # /search: events, initiatives and actors together
    app.register_blueprint(directory_api_bp, url_prefix="/api")  # /api/search, actors...
    app.register_blueprint(territory_bp)  # staff: the territory at a glance
    app.register_blueprint(map_bp)  # /map: events, actors and initiatives on a map
    app.register_blueprint(widget_bp)  # /widget/: the embeddable list (framed by others)


ERROR_PAGES = (400, 401, 403, 404, 405, 410, 413, 429, 500)


def configure_error_pages(app: Flask) -> None:
    """Errors as pages in the visitor's language (the API and the feeds keep their own)."""
    def error_page(error: HTTPException):
        if request.blueprint in ("api", "feeds") or request.path.startswith("/api/"):
            return error
        return render_template("error.html", status=error.code), error.code

    for status in ERROR_PAGES:
        app.register_error_handler(status, error_page)


def state() -> AppState:
    from flask import current_app

    return current_app.extensions["agenda"]


def db_session() -> Session:
    """The request's session (read-mostly; views that write commit it themselves)."""
    if "db_session" not in g:
        g.db_session = state().session_factory()
    return g.db_session
