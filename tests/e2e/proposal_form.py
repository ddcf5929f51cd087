"""Filling the public proposal form in the browser, as a newcomer does (shared by the journeys)."""

from __future__ import annotations

from datetime import date


def send_event_proposal(page, *, title: str, day: date, hours: tuple[str, str], place: dict,
                        description: str, theme: str, organiser: str) -> None:
    """Fill the form already open in ``page`` and send it; it must be accepted."""
    fields = {"#title": title, "#start_date": day.isoformat(), "#start_time": hours[0],
              "#end_date": day.isoformat(), "#end_time": hours[1],
              **{f"#{name}": value for name, value in place.items()},
              "#description": description, "#new_actor_name": organiser,
              "#contact_email": "benevole@example.org"}
    for selector, value in fields.items():
        page.fill(selector, value)
    page.check(f"input[name=themes][value={theme}]")
    page.select_option("#new_actor_kind", "association")
    page.click("form.proposal-form button[type=submit]")
    page.wait_for_load_state()
    errors = page.locator(".field-error").all_inner_texts()
    assert not errors, errors
