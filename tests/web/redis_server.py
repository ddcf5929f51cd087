"""The machine's Redis (127.0.0.1:6379, started by scripts/ensure-services), one database
number per test module so that tests never see each other's counts."""

from __future__ import annotations

import pytest
import redis


def redis_connection(db: int) -> redis.Redis:
    """A connection to database ``db``; the test fails with what to run if Redis is down."""
    connection = redis.Redis(host="127.0.0.1", port=6379, db=db, socket_timeout=2)
    try:
        connection.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is not running at 127.0.0.1:6379 ({error}): run scripts/ensure-services")
    return connection
