"""Staff add a source of kind "initiatives" (a feed of projects) from the add form: the
address is read as a feed of initiatives, not discovered; its page and the sources list count
its initiatives instead of events; a page that is no feed is refused with a sentence."""

from __future__ import annotations

from sqlalchemy import select

from agenda.collectors.refresh import refresh_source
from agenda.db import transaction
from agenda.models import Source
from tests.test_refresh_initiatives import projects
from tests.web.staff import accounts, form_values, sign_in

__all__ = ["accounts"]


def test_staff_add_a_feed_of_projects_and_see_its_initiatives(httpserver, client, accounts,
                                                             factory, settings, now):
    httpserver.expect_request("/projets.rss").respond_with_data(
        projects(), content_type="application/rss+xml")
    sign_in(client)
    page = client.get("/admin/sources/new").get_data(as_text=True)
    values = form_values(page, "/admin/sources/new")
    values.update(url=httpserver.url_for("/projets.rss"), name="Projets du Grenier",
                  owner="Le Grenier (test)", as_initiatives="y", step="look")
    looked = client.post("/admin/sources/new?lang=en", data=values)
    shown = " ".join(looked.get_data(as_text=True).split())
    assert looked.status_code == 200 and "feed of projects (initiatives)" in shown
    assert "whose 2 items will be collected as initiatives" in shown
    values = form_values(looked.get_data(as_text=True), "/admin/sources/new")
    values.update(step="save")
    saved = client.post("/admin/sources/new?lang=en", data=values)
    assert saved.status_code == 302
    with transaction(factory) as session:
        source = session.scalars(select(Source)).one()
        assert source.kind == "initiatives"
        sid = source.id
    refresh_source(factory, sid, now=now, settings=settings)
    page = " ".join(client.get(f"/admin/sources/{sid}?lang=en").get_data(as_text=True).split())
    assert 'id="source-initiatives">2<' in page and "New initiatives" in page
    listing = " ".join(client.get("/admin/sources?lang=en").get_data(as_text=True).split())
    assert "2 initiatives" in listing


def test_a_page_that_is_no_feed_is_refused_for_projects(httpserver, client, accounts, factory):
    httpserver.expect_request("/page").respond_with_data("<html><body>Bonjour</body></html>",
                                                         content_type="text/html")
    sign_in(client)
    values = form_values(client.get("/admin/sources/new").get_data(as_text=True),
                         "/admin/sources/new")
    values.update(url=httpserver.url_for("/page"), name="Projets", as_initiatives="y",
                  step="look")
    answer = client.post("/admin/sources/new?lang=en", data=values)
    assert 'id="discovery-refusal"' in answer.get_data(as_text=True)
    with transaction(factory) as session:
        assert session.scalars(select(Source)).all() == []

