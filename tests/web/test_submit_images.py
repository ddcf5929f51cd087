"""An image file sent with an event proposal: JPEG, PNG and WebP re-encoded as a small WebP
without metadata, stored under the instance folder and served with its own type and no script;
anything else (not an image, HTML or SVG under an image's name, too large in bytes or pixels)
refused with a message next to the field and the rest of the form kept."""

from __future__ import annotations

import io
import struct
import zlib
from html import unescape

import pytest
from PIL import Image

from agenda.db import transaction
from agenda.models import Submission
from agenda.services.images import clean_image
from agenda.services.moderation import approve
from tests.services.proposals import add_staff
from tests.web.pages import NOW
from tests.web.submitting import EVENT_FORM, field_errors, make_app, post_form, stored

PUBLIC = "https://agenda.example.org"


@pytest.fixture
def app(settings, engine, monkeypatch):
    return make_app(settings, monkeypatch, public_url=PUBLIC)


@pytest.fixture
def client(app):
    client = app.test_client()
    client.set_cookie("lang", "en")
    return client


def picture(kind: str, size=(400, 300), *, gps: bool = False) -> bytes:
    """An image made here, in ``kind`` (JPEG, PNG, WEBP), with a camera and GPS EXIF."""
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (47.0, 23.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, format=kind, exif=exif.tobytes())
    return out.getvalue()


def send(client, data: bytes, name: str, **changes):
    return post_form(client, "/submit", EVENT_FORM, image_url="",
                     image_file=(io.BytesIO(data), name), **changes)


def served(client, address: str):
    assert address.startswith(PUBLIC + "/images/") and address.endswith(".webp")
    return client.get(address.removeprefix(PUBLIC))


@pytest.mark.parametrize("kind, name", [("JPEG", "affiche.jpg"), ("PNG", "affiche.png"),
                                        ("WEBP", "affiche.webp"), ("PNG", "vraiment-png.jpg")])
def test_an_image_is_re_encoded_without_metadata_and_served_safely(client, factory, kind, name):
    response = send(client, picture(kind, gps=True), name)
    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    [submission] = stored(factory)
    image = served(client, submission.data["image_url"])
    assert image.status_code == 200
    assert image.headers["Content-Type"] == "image/webp"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "immutable" in image.headers["Cache-Control"]
    decoded = Image.open(io.BytesIO(image.data))
    assert decoded.format == "WEBP" and decoded.size == (400, 300)
    assert not decoded.getexif() and "exif" not in decoded.info and "icc_profile" not in decoded.info
    assert b"Camera Maker" not in image.data


def test_a_large_image_is_made_at_most_1600_pixels(client, factory):
    assert send(client, picture("JPEG", (3200, 2000)), "grande.jpg").status_code == 302
    image = served(client, stored(factory)[0].data["image_url"])
    assert Image.open(io.BytesIO(image.data)).size == (1600, 1000)


def test_the_image_is_stored_under_the_instance_folder(client, factory, app):
    send(client, picture("PNG"), "a.png")
    name = stored(factory)[0].data["image_url"].rsplit("/", 1)[1]
    folder = app.extensions["agenda"].settings.instance_path / "images"
    assert (folder / name).is_file()


def bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header announces ``width`` x ``height`` pixels."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(
        b"IEND", b"")


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(1)</script></svg>')


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    return out.getvalue()


REFUSED = {
    "text": (lambda: b"Bonjour, ceci n'est pas une image.", "affiche.jpg",
             "not a JPEG, PNG or WebP"),
    "html named jpg": (lambda: b"<!doctype html><script>alert(1)</script>", "affiche.jpg",
                       "not a JPEG, PNG or WebP"),
    "svg": (lambda: SVG, "logo.svg", "not a JPEG, PNG or WebP"),
    "gif": (gif, "anim.gif", "not a JPEG, PNG or WebP"),
    "truncated jpeg": (lambda: picture("JPEG", (800, 600))[:2000], "photo.jpg", "damaged"),
    "over 5 MB": (lambda: b"\xff\xd8" + b"\x00" * (5 * 1024 * 1024), "huge.jpg",
                  "larger than 5 MB"),
    "too many pixels": (lambda: bomb_png(8000, 6000), "big.png", "too many pixels"),
    "decompression bomb": (lambda: bomb_png(60000, 60000), "bomb.png", "too many pixels"),
}


@pytest.mark.parametrize("make, name, message", REFUSED.values(), ids=REFUSED.keys())
def test_a_bad_file_is_refused_and_the_rest_of_the_form_kept(client, factory, app, make, name,
                                                            message):
    response = send(client, make(), name)
    assert response.status_code == 422
    html = unescape(response.get_data(as_text=True))
    assert message in field_errors(html)["image_file"]
    assert 'href="#image_file"' in html  # the summary leads to the field
    assert 'value="Repair café solidaire"' in html and 'value="06 12 34 56 78"' in html
    assert stored(factory) == []
    folder = app.extensions["agenda"].settings.instance_path / "images"
    assert not folder.exists() or not any(folder.iterdir())


def test_an_accepted_image_is_kept_when_another_field_is_refused(client, factory):
    refused = send(client, picture("JPEG"), "a.jpg", title="")
    assert refused.status_code == 422
    html = unescape(refused.get_data(as_text=True))
    address = html.split('name="image_url" type="url" value="', 1)[1].split('"', 1)[0]
    assert address.startswith(PUBLIC + "/images/")
    assert f'<img src="{address}" alt="">' in html  # shown, with a sentence saying it is kept
    again = post_form(client, "/submit", EVENT_FORM, image_url=address)
    assert again.status_code == 302
    assert stored(factory)[0].data["image_url"] == address


def test_the_form_sends_files_and_its_csrf_still_works(client, factory):
    html = client.get("/submit").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html and 'accept="image/jpeg,image/png,image/webp"' in html
    forged = client.post("/submit", data={**EVENT_FORM, "csrf_token": "forged",
                                          "image_file": (io.BytesIO(picture("PNG")), "a.png")})
    assert forged.status_code == 400 and stored(factory) == []


def test_the_published_event_shows_the_image(client, factory, app):
    send(client, picture("JPEG"), "a.jpg")
    with transaction(factory) as session:
        submission = session.query(Submission).one()
        approve(session, submission, user=add_staff(session), now=NOW,
                settings=app.extensions["agenda"].settings)
        event_id, address = submission.event_id, submission.data["image_url"]
    page = client.get(f"/evenements/{event_id}").get_data(as_text=True)
    assert f'src="{address}"' in page


@pytest.mark.parametrize("name", ["nope.webp", "../secret_key", "x" * 30 + ".png"])
def test_an_unknown_image_is_404(client, name):
    assert client.get(f"/images/{name}").status_code == 404


def test_a_refusal_is_said_in_french_on_the_french_form(app, factory):
    client = app.test_client()
    response = post_form(client, "/submit", EVENT_FORM, image_url="",
                         image_file=(io.BytesIO(SVG), "logo.svg"))
    assert response.status_code == 422
    assert "Ce fichier n’est pas une image JPEG, PNG ou WebP." in unescape(
        response.get_data(as_text=True))


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()


def upright_photo() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; shown rotated 90°
    return encoded(Image.new("RGB", (200, 100)), "JPEG", exif=exif.tobytes())


PHONE_AND_ODD_FILES = {
    "turned photo": (upright_photo, (100, 200)),
    "phone MPO": (lambda: encoded(Image.new("RGB", (120, 90)), "MPO", save_all=True,
                                  append_images=[Image.new("RGB", (120, 90))]), (120, 90)),
    "CMYK JPEG": (lambda: encoded(Image.new("CMYK", (60, 40)), "JPEG"), (60, 40)),
    "16-bit PNG": (lambda: encoded(Image.new("I;16", (60, 40)), "PNG"), (60, 40)),
    "transparent palette PNG": (lambda: encoded(Image.new("P", (60, 40)), "PNG",
                                                transparency=0), (60, 40)),
}


@pytest.mark.parametrize("make, size", PHONE_AND_ODD_FILES.values(),
                         ids=PHONE_AND_ODD_FILES.keys())
def test_phone_photos_and_odd_modes_become_an_upright_webp(make, size):
    cleaned = clean_image(make())
    decoded = Image.open(io.BytesIO(cleaned.data))
    assert decoded.format == "WEBP" and decoded.size == size == (cleaned.width, cleaned.height)
    assert not decoded.getexif()
