"""The environment the `agenda` command runs with in the tests: this test's instance folder and
database, loopback sources allowed, no jitter."""

from __future__ import annotations


def cli_env(settings) -> dict[str, str]:
    return {"AGENDA_INSTANCE_PATH": str(settings.instance_path),
            "AGENDA_DATABASE_URL": settings.database_url, "AGENDA_ALLOW_PRIVATE_URLS": "1",
            "AGENDA_JITTER_SECONDS": "0"}
