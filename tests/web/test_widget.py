"""The embeddable widget: /widget/events (the next events of a selection, light, framed by
other sites), /widget.js (the one-line embed script) and /widget/ (the builder); only the
widget page may be framed: every other page keeps frame-ancestors 'none' and X-Frame-Options."""

from __future__ import annotations

import re

import pytest

from agenda.db import transaction
from agenda.models import Actor
from tests.web.pages import CALENDAR, read_page, store


@pytest.fixture
def calendar_with_actor(factory):
    stored = store(factory, CALENDAR, removed=("gone",))
    with transaction(factory) as session:
        actor = Actor(name="Répar'37", status="confirmed")
        session.add(actor)
        session.flush()
        try:
            from agenda.store.link_edits import link_event_actor
        except ImportError:
            pass
        else:
            link_event_actor(session, stored.ids["Repair café"], actor.id)
        return {"ids": stored.ids, "actor": actor.id}


def widget(client, query: str = "", **headers):
    return client.get(f"/widget/events?{query}", headers=headers)


def event_titles(html: str) -> list[str]:
    return [text.removesuffix(" (opens a new tab)").removesuffix(" (ouvre un nouvel onglet)")
            for href, text in read_page(html).links if "/evenements/" in href]


def test_the_widget_lists_the_next_events_linked_to_the_main_site(client, calendar_with_actor):
    response = widget(client, "lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # soonest first, one line per event (the weekly one once, at its next date)
    assert event_titles(html) == ["Permanence numérique", "Forum de l'emploi solidaire",
                                  "Repair café", "Conférence finance solidaire",
                                  "Webinaire ESS", "Festival des solidarités"]
    assert "Retiré par sa source" not in html
    page = read_page(html)
    [repair] = [a for a in page.all("a") if "/evenements/" in a.get("href", "")
                and calendar_with_actor["ids"]["Repair café"] in a["href"]]
    assert repair["href"].startswith("http://localhost/evenements/")
    assert repair["target"] == "_blank" and repair["rel"] == "noopener"
    assert "Wednesday, November 25, 2026" in html  # the date in words
    assert "Ressourcerie du Cher, Tours" in html  # the place


def test_the_widget_is_its_own_light_page(client, calendar_with_actor):
    html = widget(client, "lang=en").get_data(as_text=True)
    page = read_page(html)
    assert page.lang == "en"
    styles = [a["href"] for a in page.all("link") if a.get("rel") == "stylesheet"]
    assert styles == ["/static/widget.css"]  # not the site's stylesheet
    assert "site-header" not in html and "main-nav" not in html
    assert [a["src"] for a, _ in page.scripts] == ["/static/js/widget-frame.js"]
    assert not [text for _, text in page.scripts if text.strip()]  # no inline script
    assert len(page.all("main")) == 1 and page.text_headings[0] == "Upcoming events"


def test_subscribe_links_and_the_site_link_keep_the_filters(client, calendar_with_actor):
    html = widget(client, "lang=en&dept=45&theme=finance-solidaire").get_data(as_text=True)
    page = read_page(html)
    assert event_titles(html) == ["Conférence finance solidaire"]
    webcal = page.hrefs("webcal://")
    assert webcal and "/calendar.ics?dept=45&theme=finance-solidaire" in webcal[0]
    assert page.hrefs("http://localhost/calendar.ics?dept=45&theme=finance-solidaire")
    assert page.hrefs("calendar.google.com") and page.hrefs("outlook.live.com")
    assert page.link_text("http://localhost/?dept=45&theme=finance-solidaire") == [
        "More on Agenda commun (opens a new tab)"]


@pytest.mark.parametrize("query, expected", [
    ("dept=41", ["Permanence numérique"]),
    ("theme=reemploi", ["Repair café"]),
    ("commune=45234", ["Forum de l'emploi solidaire", "Conférence finance solidaire"]),
    ("limit=1&dept=45", ["Forum de l'emploi solidaire"]),
])
def test_the_filters_choose_the_events(client, calendar_with_actor, query, expected):
    assert event_titles(widget(client, f"lang=en&{query}").get_data(as_text=True)) == expected


def test_the_actor_filter(client, calendar_with_actor):
    html = widget(client, f"lang=en&actor={calendar_with_actor['actor']}").get_data(as_text=True)
    assert event_titles(html) == ["Repair café"]


def test_the_limit_bounds_the_list(client, calendar_with_actor):
    assert len(event_titles(widget(client, "lang=en&limit=2").get_data(as_text=True))) == 2
    assert len(event_titles(widget(client, "lang=en").get_data(as_text=True))) == 6


@pytest.mark.parametrize("query", ["limit=0", "limit=51", "limit=ten", "dept=75", "theme=x",
                                   "actor=abc", "campaign=inconnue", "commune=1"])
def test_a_bad_filter_is_a_400_with_a_sentence_inside_the_frame(client, calendar_with_actor,
                                                                  query):
    response = widget(client, f"lang=en&{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and "/static/widget.css" in html
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers


@pytest.mark.parametrize("query, headers, lang, day", [
    ("lang=en", {}, "en", "Wednesday, November 25, 2026"),
    ("lang=fr", {"Accept-Language": "en"}, "fr", "mercredi 25 novembre 2026"),
    ("", {"Accept-Language": "en-GB,en;q=0.8"}, "en", "Wednesday, November 25, 2026"),
    ("", {"Accept-Language": "fr-FR"}, "fr", "mercredi 25 novembre 2026"),
    ("", {}, "fr", "mercredi 25 novembre 2026"),
])
def test_the_language_by_lang_or_the_browser(client, calendar_with_actor, query, headers,
                                             lang, day):
    html = widget(client, f"theme=reemploi&{query}", **headers).get_data(as_text=True)
    assert read_page(html).lang == lang
    assert day in html
    assert ("Upcoming events" in html) == (lang == "en")


def test_only_the_widget_may_be_framed(client, calendar_with_actor):
    framed = widget(client, "lang=en")
    policy = framed.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "frame-ancestors 'none'" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "X-Frame-Options" not in framed.headers
    for path in ("/", "/widget/", "/map", "/sources", "/widget.js", "/map.json",
                 "/page-qui-n-existe-pas"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_the_frame_ancestors_come_from_the_settings(settings, engine, monkeypatch,
                                                    calendar_with_actor):
    from agenda.web import create_app
    from agenda.web.shared import dates
    from tests.web.pages import NOW

    monkeypatch.setattr(dates, "_clock", lambda: NOW)
    app = create_app(settings.with_overrides(
        widget_frame_ancestors="https://www.cress-centre.example https://*.example.org"))
    response = app.test_client().get("/widget/events")
    assert ("frame-ancestors https://www.cress-centre.example https://*.example.org"
            in response.headers["Content-Security-Policy"])
    assert "X-Frame-Options" not in response.headers


def test_the_widget_is_cached_with_an_etag(client, calendar_with_actor):
    first = widget(client, "lang=en")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = widget(client, "lang=en", **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "frame-ancestors *" in again.headers["Content-Security-Policy"]


def test_the_embed_script(client):
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"].startswith("public")
    body = response.get_data(as_text=True)
    assert "widget/events" in body and "postMessage" not in body.split("message")[0]
    assert "event.origin !== source.origin" in body
    assert client.get("/widget.js", headers={"If-None-Match": response.headers["ETag"]}
                      ).status_code == 304


def test_the_builder_writes_both_snippets_and_a_preview(client, calendar_with_actor):
    actor = calendar_with_actor["actor"]
    response = client.get(f"/widget/?lang=en&actor={actor}&theme=reemploi&theme=mobilite"
                          "&dept=37&limit=5&widget_lang=fr")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = read_page(html)
    [iframe_code] = re.findall(r'<textarea id="code-iframe"[^>]*>(.*?)</textarea>', html, re.S)
    [script_code] = re.findall(r'<textarea id="code-script"[^>]*>(.*?)</textarea>', html, re.S)
    from html import unescape
    iframe_code, script_code = unescape(iframe_code), unescape(script_code)
    url = (f"http://localhost/widget/events?dept=37&theme=reemploi&theme=mobilite&actor={actor}"
           "&limit=5&lang=fr")
    assert f'<iframe src="{url.replace("&", "&amp;")}"' in iframe_code
    assert script_code.startswith('<script src="http://localhost/widget.js"')
    assert f'data-actor="{actor}"' in script_code and 'data-theme="reemploi,mobilite"' in script_code
    assert 'data-dept="37"' in script_code and 'data-limit="5"' in script_code
    assert 'data-lang="fr"' in script_code and script_code.endswith(" async></script>")
    [preview] = page.all("iframe")
    assert preview["src"] == url and preview["title"]
    # the builder is a page of the site: never framed
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_builders_bad_filter_is_a_400_with_the_form(client, calendar_with_actor):
    response = client.get("/widget/?lang=en&limit=100")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "between 1 and 50" in html and "<form" in html and 'role="alert"' in html


@pytest.mark.parametrize("value, accepted", [
    ("*", True), ("'self' https://www.cress-centre.example", True),
    ("https://*.example.org:8443", True), ("", False), ("'none'; script-src *", False),
    ("javascript:", False), ("https://a.example.org/path;x", False),
])
def test_the_frame_ancestors_setting_is_checked(value, accepted):
    from agenda.errors import ConfigError
    from agenda.settings import load_settings

    if accepted:
        assert load_settings(env={}, widget_frame_ancestors=value).widget_frame_ancestors == value
    else:
        with pytest.raises(ConfigError, match="widget_frame_ancestors"):
            load_settings(env={}, widget_frame_ancestors=value)
