"""The secret link in a real browser: proposed, copied with its button, still there after a
reload (and not in another browser), then lost and recovered through “Lien perdu ?” from the
e-mail a loopback SMTP server receives.  And a failed send puts the focus on the summary."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import pytest
from werkzeug.serving import make_server

from agenda.web import create_app
from agenda.web.submit.lost_link import wait_for_mail

pytestmark = pytest.mark.browser

EMAIL = "benevole@example.org"
_LINK = re.compile(r"http://127\.0\.0\.1:\d+/submit/manage/[\w-]+")



@pytest.fixture
def site(settings, engine, sink):
    """The app with e-mail sent to the sink, served on a loopback port."""
    server = make_server("127.0.0.1", 0, None, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    server.app = create_app(settings.with_overrides(
        smtp_host="127.0.0.1", smtp_port=sink.port, smtp_starttls=False, public_url=base))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="fr-FR",
                                  permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(10_000)
    yield context
    context.close()


def propose(page, site: str) -> None:
    day = (date.today() + timedelta(days=10)).isoformat()
    page.goto(f"{site}/submit")
    for field, value in {"#title": "Atelier vélo partagé", "#start_date": day,
                         "#start_time": "14:30", "#end_time": "17:00", "#city": "Tours",
                         "#new_actor_name": "La Rustine", "#contact_email": EMAIL}.items():
        page.fill(field, value)
    page.select_option("#new_actor_kind", "association")
    page.click("form.proposal-form button[type=submit]")
    page.wait_for_url(f"{site}/submit/received")


def test_the_secret_link_is_copied_kept_on_reload_and_recovered(browser, context, site, sink):
    page = context.new_page()
    propose(page, site)
    link = page.input_value("#lien-secret")
    assert _LINK.fullmatch(link)
    assert "Nous vous l’avons aussi envoyé par e-mail" in page.inner_text(".secret-link")

    page.click("button[data-copy=lien-secret]")
    page.wait_for_function("document.getElementById('lien-copie').textContent.length > 0")
    assert page.inner_text("#lien-copie") == "Lien copié"
    assert page.evaluate("navigator.clipboard.readText()") == link

    page.reload()
    assert page.input_value("#lien-secret") == link  # the same browser sees it again

    stranger = browser.new_context(locale="fr-FR")
    other = stranger.new_page()
    other.goto(f"{site}/submit/received")
    assert other.locator("#lien-secret").count() == 0
    stranger.close()

    sink.messages.clear()
    page.click("text=Le recevoir à nouveau")
    page.fill("#email", EMAIL)
    page.click("form.lost-link-form button[type=submit]")
    page.wait_for_url(f"{site}/submit/lost-link/sent")
    wait_for_mail()
    assert "un e-mail contenant leurs liens secrets est en route" in page.inner_text("main")
    [mail] = sink.messages
    [new_link] = _LINK.findall(mail.message.get_content())
    page.goto(new_link)
    assert "Atelier vélo partagé" in page.inner_text("main")


def test_a_failed_send_focuses_the_summary_and_its_links_lead_to_the_fields(context, site):
    page = context.new_page()
    page.goto(f"{site}/submit")
    page.fill("#title", "Atelier")
    page.fill("#url", "bricoleurs-tourangeaux.fr/repair")
    page.click("form.proposal-form button[type=submit]")
    page.wait_for_load_state()
    assert page.title().startswith("Erreur\u00a0: Proposer un évènement")
    assert page.evaluate("document.activeElement.id") == "erreurs"
    assert page.input_value("#url") == "https://bricoleurs-tourangeaux.fr/repair"
    page.click("#erreurs a[href='#contact_email']")
    assert page.evaluate("document.activeElement.id") == "contact_email"
    page.click("#erreurs a[href='#actor_id']")
    assert page.evaluate("document.activeElement.id") == "actor_id"


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_nothing_on_the_states_a_walk_cannot_reach(browser, site, width):
    """The confirmation with its link, the form with errors, the lost-link form (e-mail on)
    with an error and its answer, in French and English (the walk of site_pages.py sees them
    without a proposal and without SMTP)."""
    from tests.e2e.test_accessibility import violations

    context = browser.new_context(locale="fr-FR", bypass_csp=True,
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    propose(page, site)
    found = {}
    for lang in ("fr", "en"):
        page.goto(f"{site}/submit/received?lang={lang}")
        found[f"received-{lang}"] = violations(page)
        page.goto(f"{site}/submit?lang={lang}")
        page.click("form.proposal-form button[type=submit]")
        page.wait_for_load_state()
        found[f"form errors-{lang}"] = violations(page)
        page.goto(f"{site}/submit/lost-link?lang={lang}")
        page.click("form.lost-link-form button[type=submit]")
        page.wait_for_load_state()
        found[f"lost link error-{lang}"] = violations(page)
        page.fill("#email", EMAIL)
        page.click("form.lost-link-form button[type=submit]")
        page.wait_for_load_state()
        found[f"lost link sent-{lang}"] = violations(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}


def test_all_day_takes_the_required_marking_off_the_times(context, site):
    page = context.new_page()
    page.goto(f"{site}/submit")
    assert page.get_attribute("#start_time", "aria-required") == "true"
    page.check("#all_day")
    assert page.get_attribute("#start_time", "aria-required") == "false"
    assert page.get_attribute("#end_time", "aria-required") == "false"
    assert not page.locator("label[for=start_time] .required").is_visible()
    page.uncheck("#all_day")
    assert page.get_attribute("#end_time", "aria-required") == "true"
    assert page.locator("label[for=end_time] .required").is_visible()
