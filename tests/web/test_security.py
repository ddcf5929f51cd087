"""The app's defences that every page shares: the secret key, the rate-limit settings, the
address a visitor is counted under behind a reverse proxy."""

from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from agenda.errors import ConfigError
from agenda.web import create_app
from agenda.web.shared.security import instance_secret


def test_the_secret_key_is_created_once_private_and_reused(tmp_path):
    first = instance_secret(tmp_path)
    assert len(first) == 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert instance_secret(tmp_path) == first  # sessions survive a restart


def test_workers_starting_together_share_one_whole_key(tmp_path):
    """Regression: a worker reading the key file between its creation and its writing by
    another got an empty key and answered 500 (seen once with two gunicorn workers)."""
    for attempt in range(20):
        folder = tmp_path / str(attempt)
        start = threading.Barrier(8)

        def read_key(folder=folder, start=start):
            start.wait()
            return instance_secret(folder)

        with ThreadPoolExecutor(8) as pool:
            keys = set(pool.map(lambda _: read_key(), range(8)))
        assert len(keys) == 1 and len(keys.pop()) == 64
        assert [p.name for p in folder.iterdir()] == ["secret_key"]  # no draft left behind


def test_an_empty_secret_key_file_is_a_clear_error(tmp_path):
    (tmp_path / "secret_key").write_text("")
    with pytest.raises(ConfigError, match="empty"):
        instance_secret(tmp_path)


def test_a_configured_secret_key_wins(settings, engine):
    app = create_app(settings.with_overrides(secret_key="k" * 40))
    assert app.config["SECRET_KEY"] == "k" * 40


@pytest.mark.parametrize("name", ["submit_rate_limit", "login_rate_limit"])
def test_an_unreadable_rate_limit_is_a_configuration_error(settings, engine, name):
    with pytest.raises(ConfigError, match=name):
        create_app(settings.with_overrides(**{name: "ten a minute"}))


def _seen_address(app) -> str:
    from flask import request

    app.add_url_rule("/whoami-for-test", "whoami", lambda: request.remote_addr)
    response = app.test_client().get("/whoami-for-test",
                                     headers={"X-Forwarded-For": "203.0.113.7"})
    return response.get_data(as_text=True)


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_visitors(settings, engine):
    assert _seen_address(create_app(settings.with_overrides(trusted_proxies=1))) == "203.0.113.7"


def test_without_a_proxy_a_forged_forwarded_header_is_ignored(settings, engine):
    assert _seen_address(create_app(settings)) == "127.0.0.1"


def test_secret_links_never_reach_the_access_logs(settings, engine, caplog):
    import logging

    create_app(settings)
    secret = "HcunrCXn2f0TM62Dc0O_rT1nhHBlQ1sRvpah1_Sset0"
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info('%s - - [%s] "%s" %s', "127.0.0.1", "now",
                                           f"GET /submit/manage/{secret}/edit HTTP/1.1", 200)
        logging.getLogger("gunicorn.access").info("%(r)s", {"r": f"GET /submit/manage/{secret}"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert secret not in logged
    assert "GET /submit/manage/…/edit HTTP/1.1" in logged
