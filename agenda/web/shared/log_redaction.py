"""Keep the submitters' secret links out of the access logs (Werkzeug's in ``make run``,
gunicorn's in production): the paths ``/submit/manage/<secret>`` and ``/submit/confirm/<token>``
(a trusted actor's one-time confirmation link) are logged without their secret."""

from __future__ import annotations

import logging
import re

SECRET_PATH = re.compile(r"(/submit/(?:manage|confirm)/)[^/\s?\"]+")
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


class RedactSecretLinks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: redact(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(redact(value) for value in record.args)
        return True


def redact(value):
    return SECRET_PATH.sub(r"\1…", value) if isinstance(value, str) else value


def install_redaction() -> None:
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecretLinks) for f in logger.filters):
            logger.addFilter(RedactSecretLinks())
