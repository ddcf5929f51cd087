"""The rate limit of the proposal forms counted in Redis (production: several workers share one
count).  Redis runs on every development and CI machine at 127.0.0.1:6379 (see
scripts/ensure-services); this test uses its own database number and removes its keys."""

from __future__ import annotations

import pytest

from tests.web.redis_server import redis_connection
from tests.web.submitting import EVENT_FORM, make_app, post_form

REDIS_DB = 15
STORAGE = f"redis://127.0.0.1:6379/{REDIS_DB}"


@pytest.fixture
def redis_db():
    connection = redis_connection(REDIS_DB)
    clear_limits(connection)
    yield connection
    clear_limits(connection)
    connection.close()


def clear_limits(connection) -> None:
    for key in connection.scan_iter("LIMITS*"):
        connection.delete(key)


def client_of(app, address: str = "127.0.0.9"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.set_cookie("lang", "en")
    return client


def test_two_app_instances_share_one_count_in_redis(settings, engine, monkeypatch, redis_db):
    overrides = {"ratelimit_storage_uri": STORAGE, "submit_rate_limit": "3 per minute"}
    first = client_of(make_app(settings, monkeypatch, **overrides))
    assert [post_form(first, "/submit", EVENT_FORM, title="").status_code
            for _ in range(2)] == [422, 422]
    assert list(redis_db.scan_iter("LIMITS*"))  # the count lives in Redis, not in a process

    # A second instance (another worker) sees the same count: one post left, then 429.
    second = client_of(make_app(settings, monkeypatch, **overrides))
    assert post_form(second, "/submit", EVENT_FORM, title="").status_code == 422
    refused = post_form(second, "/submit", EVENT_FORM, title="")
    assert refused.status_code == 429
    assert "You have sent many forms in a short time" in refused.get_data(as_text=True)
    other = client_of(make_app(settings, monkeypatch, **overrides), address="127.0.0.10")
    assert post_form(other, "/submit", EVENT_FORM, title="").status_code == 422
