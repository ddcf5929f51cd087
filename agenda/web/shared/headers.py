"""The security headers every answer carries: pages, error pages, static files, feeds, the API.

One app-wide ``after_request`` adds them, after the blueprints' own hooks, and never replaces a
value a view or a blueprint set (the secret-link pages' ``no-referrer``, the staff pages'
``no-store`` stay as they are).  Flask runs it for the answers of error handlers too (404, 405,
413, 429 and 500 included) and for ``/static/*``.

``Strict-Transport-Security`` is added when the site is served over HTTPS: ``public_url``
starts with https://, or this request came over HTTPS (directly, or through a trusted proxy's
``X-Forwarded-Proto``).

``X-Frame-Options: DENY`` is the older twin of the policy's ``frame-ancestors 'none'``: it is
added only when the answer's policy forbids framing, so that the pages other sites may frame
(the widget, ``agenda.web.widget``, which sets its own policy) carry neither.
"""

from __future__ import annotations

from flask import Flask, Response, request

# data: images: Leaflet blanks the map tiles it removes with one (the event page and /map)
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' https: http: data:; "
                           "script-src 'self'; "
                           "style-src 'self'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
STRICT_TRANSPORT = "max-age=31536000"  # one year; subdomains are not ours to decide


def init_headers(app: Flask, *, public_url: str) -> None:
    served_over_https = public_url.lower().startswith("https://")

    @app.after_request
    def security_headers(response: Response) -> Response:
        add_security_headers(response, https=served_over_https or request.is_secure)
        return response


def add_security_headers(response: Response, *, https: bool) -> None:
    for name, value in SECURITY_HEADERS.items():
        if name == "X-Frame-Options" and not forbids_framing(response):
            continue
        response.headers.setdefault(name, value)
    if https:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT)


def forbids_framing(response: Response) -> bool:
    policy = response.headers.get("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return "frame-ancestors 'none'" in policy
