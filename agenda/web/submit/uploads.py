"""Images sent with an event proposal: taken from the form, cleaned (``agenda.services.images``),
stored under the instance folder (``agenda.store.images``) and served at ``/images/<name>``.

An accepted image is stored as soon as the form is checked, and its public address put in the
form's image address: if another field is refused, the page comes back with that address, so
the image does not have to be sent again.  A refused file gets its message next to the field,
and the rest of the form is kept.

Served images are WebP that we encoded ourselves, under random names: their own Content-Type,
``nosniff``, a Content-Security-Policy that allows nothing (no script, even opened directly),
and a year of cache (a name is never reused for other bytes).
"""

from __future__ import annotations

from flask import Blueprint, abort, send_file, url_for
from flask_babel import gettext
from werkzeug.datastructures import FileStorage
from wtforms.validators import StopValidation

from agenda.errors import ProposalError
from agenda.services.images import CONTENT_TYPE, EXTENSION, MAX_BYTES, clean_image
from agenda.store.images import image_path, save_image
from agenda.web import state

bp = Blueprint("images", __name__)

YEAR = 365 * 24 * 3600
IMAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": f"public, max-age={YEAR}, immutable",
    "Cross-Origin-Resource-Policy": "same-site",
}


@bp.get("/images/<name>")
def image(name: str):
    path = image_path(state().settings.instance_path, name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=CONTENT_TYPE, conditional=True, etag=True)
    response.headers.update(IMAGE_HEADERS)
    return response


def store_upload(upload: FileStorage | None) -> str | None:
    """The public address of the image sent in ``upload`` (None when no file was chosen);
    StopValidation with a sentence when it is refused."""
    if upload is None or not isinstance(upload, FileStorage) or not upload.filename:
        return None
    data = upload.stream.read(MAX_BYTES + 1)
    try:
        cleaned = clean_image(data)
    except ProposalError as error:
        raise StopValidation(gettext(error.message)) from error
    name = save_image(state().settings.instance_path, cleaned.data, extension=EXTENSION)
    return image_address(name)


def image_address(name: str) -> str:
    """The absolute address of a stored image (on the site's public address: pages and feeds
    show only absolute http(s) image addresses)."""
    return state().settings.public_url.rstrip("/") + url_for("images.image", name=name)


def is_own_image(address: str | None) -> bool:
    """True for the address of an image stored here."""
    return bool(address) and address.startswith(image_address("x").rsplit("/", 1)[0] + "/")
