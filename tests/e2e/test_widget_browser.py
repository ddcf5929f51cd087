"""The widget embedded in another site, in a browser: a page served by a second loopback server
(another port: another origin) holds the widget as a plain <iframe> and through the one-line
script; both frames show the events, the script's frame takes the height the widget posts, and
a frame of any other page of the site is refused by the browser."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = pytest.mark.browser


def host_page(site: str) -> bytes:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A member's site</title></head>
<body>
<h1>Our network's events</h1>
<iframe id="plain" src="{site}/widget/events?lang=en&amp;limit=2" title="Agenda commun"
        width="100%" height="300"></iframe>
<div id="scripted"><script src="{site}/widget.js" data-lang="en" data-limit="4"
        data-dept="18, 41,45,37,36,28" data-title="Upcoming events" async></script></div>
<iframe id="refused" src="{site}/sources" title="Not a widget" width="100%" height="200"></iframe>
</body></html>""".encode()


@pytest.fixture
def other_site(site):
    """A second loopback server (another port: another origin) serving the host page."""
    body = host_page(site)

    class Host(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Host)
    thread = threading.Thread(target=server.serve_forever, name="e2e-host", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def test_the_widget_shows_in_another_sites_frames_sized_by_the_script(browser, site,
                                                                       other_site):
    assert other_site.rsplit(":", 1)[1] != site.rsplit(":", 1)[1]
    context = browser.new_context(locale="fr-FR", viewport={"width": 1000, "height": 900})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{other_site}/")

    plain = page.frame_locator("#plain")
    plain.locator(".widget-title").wait_for()
    assert plain.locator(".widget-event").count() == 2
    assert plain.locator(".widget-title").inner_text() == "Upcoming events"

    frame = page.locator("#scripted iframe")
    frame.wait_for(state="attached")
    assert frame.get_attribute("title") == "Upcoming events"
    src = frame.get_attribute("src")
    assert src.startswith(f"{site}/widget/events?")
    for part in ("dept=18", "dept=41", "dept=45", "limit=4", "lang=en"):
        assert part in src
    scripted = page.frame_locator("#scripted iframe")
    scripted.locator(".widget-event").first.wait_for()
    assert scripted.locator(".widget-event").count() == 4
    link = scripted.locator(".widget-event a").first
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("href").startswith(f"{site}/evenements/")

    # the frame took the height of its content (the script's 480 px at first)
    page.wait_for_function("""() => {
        const frame = document.querySelector('#scripted iframe');
        return frame.style.height && frame.style.height !== '480px';
    }""")
    inner = page.frame(url=lambda url: "limit=4" in url).evaluate(
        "() => Math.ceil(document.documentElement.getBoundingClientRect().height)")
    outer = page.evaluate("() => document.querySelector('#scripted iframe').clientHeight")
    assert abs(outer - inner) <= 2, (outer, inner)

    # any other page of the site refuses to be framed
    refused = page.frame(url=lambda url: url.endswith("/sources"))
    assert refused is None or refused.locator("h1").count() == 0
    assert any("frame-ancestors 'none'" in text for text in console), console
    assert not any("widget/events" in text and "Refused" in text for text in console)
    context.close()


def test_messages_from_another_origin_do_not_resize_the_frame(browser, site, other_site):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{other_site}/")
    page.frame_locator("#scripted iframe").locator(".widget-event").first.wait_for()
    page.wait_for_function("() => document.querySelector('#scripted iframe').style.height "
                           "!== '480px'")
    before = page.evaluate("() => document.querySelector('#scripted iframe').style.height")
    # the host page itself (another origin than the widget's) posts a height
    page.evaluate("() => window.postMessage({type: 'agenda-commun:height', height: 3}, '*')")
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.querySelector('#scripted iframe').style.height") \
        == before
    context.close()
