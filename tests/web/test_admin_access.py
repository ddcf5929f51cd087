"""Every page and action under /admin/ (but the login page) refuses anonymous visitors: a page
sends them to the login page, any other method gets 401.  Walked over the app's URL map, so a
staff page added later without its guard makes this fail."""

from __future__ import annotations

import pytest

from agenda.db import transaction
from agenda.store.actors import get_or_create_actor
from tests.web.staff import ADMIN, accounts, csrf_token, post, sign_in

__all__ = ["accounts"]

OPEN = {"admin.login", "static"}


def admin_rules(app):
    rules = [rule for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/admin") and rule.endpoint not in OPEN]
    assert {"admin.dashboard", "admin.logout", "admin.audit", "moderation.queue",
            "moderation.approve"} <= {rule.endpoint for rule in rules}
    return rules


def example_path(app, rule) -> str:
    """The rule's URL with 1 for every variable part (a value every converter accepts)."""
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, {name: 1 for name in rule.arguments},
                         method=next(iter(rule.methods - {"HEAD", "OPTIONS"})))


def test_anonymous_pages_go_to_the_login_page(app, client):
    for rule in admin_rules(app):
        if "GET" in rule.methods:
            path = example_path(app, rule)
            response = client.get(path)
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/admin/login?next=/admin"), path


def test_anonymous_actions_are_refused_with_401_even_with_a_valid_csrf_token(app, client):
    token = csrf_token(client, "/admin/login")
    for rule in admin_rules(app):
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            path = example_path(app, rule)
            response = client.open(path, method=method, data={"csrf_token": token,
                                                             "trusted": "1", "reason": "x"})
            assert response.status_code == 401, (method, path)


def test_the_login_page_itself_is_open(client):
    assert client.get("/admin/login").status_code == 200


@pytest.mark.parametrize("email, status", [("moderatrice@region.example", 403), (ADMIN, 302)])
def test_only_admins_decide_which_actors_are_trusted(client, accounts, factory, email, status):
    with transaction(factory) as session:
        actor_id = get_or_create_actor(session, "Répar'37").id
    sign_in(client, email)
    response = post(client, f"/admin/actors/{actor_id}/trust", {"trusted": "1"})
    assert response.status_code == status
