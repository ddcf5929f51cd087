"""The confirmation after a proposal (``/submit/received``), shown again in the same browser for
an hour: the secret link, in a field with a copy button, and whether it was e-mailed.

What the page needs (reference, secret, what happened) travels in a cookie of its own: signed
with the app's key, HttpOnly, SameSite=Strict, sent by the browser to ``/submit/received`` only,
and dropped after an hour (by the browser, and by the server, which reads the time written
inside on the app's clock).  Another browser has no such cookie and gets the thanks alone; the
secret never goes into a URL other than the link itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from agenda.web.shared.dates import now_utc

COOKIE = "agenda_receipt"
LIFETIME = timedelta(hours=1)
_SALT = "agenda.submit.receipt"
_KEYS = ("reference", "secret", "kind", "published", "sent", "confirming")


def keep_receipt(response, info: dict):
    """Put the receipt of a proposal just made on ``response`` (for an hour)."""
    payload = {key: info[key] for key in _KEYS} | {"at": now_utc().isoformat()}
    response.set_cookie(COOKIE, _serializer().dumps(payload),
                        max_age=int(LIFETIME.total_seconds()), path=_path(), httponly=True,
                        samesite="Strict",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def forget_receipt(response):
    response.delete_cookie(COOKIE, path=_path())
    return response


def read_receipt() -> dict | None:
    """This browser's receipt, while it is less than an hour old (else None)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        payload = _serializer().loads(raw)
        made = datetime.fromisoformat(payload["at"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if not timedelta(0) <= now_utc() - made < LIFETIME:
        return None
    return {**payload, "until": made + LIFETIME}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def _path() -> str:
    return url_for("submit.received")
