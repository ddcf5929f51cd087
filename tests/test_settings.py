"""Settings: defaults, then the instance file, then AGENDA_* variables; validated once."""

import pytest

from agenda.errors import ConfigError
from agenda.settings import load_settings


def test_defaults_give_an_embedded_sqlite_in_the_instance_folder(tmp_path):
    settings = load_settings(env={"AGENDA_INSTANCE_PATH": str(tmp_path)})
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path / 'agenda.sqlite3'}"
    assert settings.default_timezone == "Europe/Paris"
    assert settings.allow_private_urls is False
    assert settings.default_interval_minutes == 60


def test_environment_overrides_the_instance_file(tmp_path):
    (tmp_path / "agenda.toml").write_text('default_interval_minutes = 30\njitter_seconds = 5\n')
    settings = load_settings(env={"AGENDA_INSTANCE_PATH": str(tmp_path),
                                  "AGENDA_DEFAULT_INTERVAL_MINUTES": "15",
                                  "AGENDA_DATABASE_URL": "postgresql+psycopg://u@h/db",
                                  "AGENDA_ALLOW_PRIVATE_URLS": "1"})
    assert settings.default_interval_minutes == 15
    assert settings.jitter_seconds == 5
    assert settings.sqlalchemy_url == "postgresql+psycopg://u@h/db"
    assert settings.allow_private_urls is True


@pytest.mark.parametrize("env, message", [
    ({"AGENDA_DEFAULT_INTERVAL_MINUTES": "often"}, "default_interval_minutes"),
    ({"AGENDA_DEFAULT_INTERVAL_MINUTES": "0"}, "positive"),
    ({"AGENDA_DEFAULT_TIMEZONE": "Mars/Olympus"}, "time zone"),
])
def test_bad_values_are_refused_with_a_clear_message(tmp_path, env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(env={"AGENDA_INSTANCE_PATH": str(tmp_path), **env})


def test_a_broken_instance_file_is_a_clear_error(tmp_path):
    (tmp_path / "agenda.toml").write_text("default_interval_minutes = = 3")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(env={"AGENDA_INSTANCE_PATH": str(tmp_path)})
