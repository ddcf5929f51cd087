"""Every text and URL of an event record cleaned before it is stored (pure).

The store calls :func:`clean_record` on each record it is given, collected or published from
the form: control and invisible characters removed, NFC (see ``agenda.text_clean``); titles,
places, organisers and categories on one line; descriptions keep their line breaks; the URLs
without white space.  A record that is already clean is returned as it is (no copy).
"""

from __future__ import annotations

from dataclasses import replace

from agenda.records import EventRecord, Location
from agenda.text_clean import clean_line, clean_text, clean_url, is_clean_text

# How each text field is cleaned; identity fields keep their spacing (only what is unwanted
# goes), so that the key of an event does not change with its whitespace.
_LINES = ("title", "timezone", "rrule", "organizer")
_TEXTS = ("source_uid", "recurrence_id", "description_html", "description_text")
_URLS = ("online_url", "url", "image_url")
_LISTS = ("rdate", "exdate", "categories", "themes")
_REQUIRED = ("title", "source_uid", "recurrence_id", "description_html", "description_text")
_LOCATION_LINES = ("name", "address", "postcode", "city", "department")


def clean_record(record: EventRecord) -> EventRecord:
    """``record`` with every text cleaned (the same object when nothing changed)."""
    if _looks_clean(record):
        return record
    changes = {}
    for cleaner, names in ((clean_line, _LINES), (clean_text, _TEXTS), (clean_url, _URLS)):
        for name in names:
            value = getattr(record, name)
            if value is not None and cleaner(value) != value:
                changes[name] = cleaner(value) or ("" if name in _REQUIRED else None)
    for name in _LISTS:
        values = getattr(record, name)
        cleaned = tuple(item for item in (clean_line(v) for v in values) if item)
        if cleaned != tuple(values):
            changes[name] = cleaned
    location = clean_location(record.location)
    if location is not record.location:
        changes["location"] = location
    return replace(record, **changes) if changes else record


def clean_location(location: Location) -> Location:
    values = {name: getattr(location, name) for name in _LOCATION_LINES}
    changes = {name: clean_line(value) or None for name, value in values.items()
               if value is not None and clean_line(value) != value}
    return replace(location, **changes) if changes else location


def _looks_clean(record: EventRecord) -> bool:
    """The fast path (most records are clean): all the texts of the record checked at once
    with C-speed string methods.  It may say False for a clean record (the slow path then
    finds nothing to change), never True for a dirty one.  The separators (LF, "|") compose
    with nothing, so the whole is in NFC exactly when every piece is."""
    location = record.location
    lines = [getattr(record, name) for name in _LINES]
    lines += [getattr(location, name) for name in _LOCATION_LINES]
    items = [item for name in _LISTS for item in getattr(record, name)]
    if "" in items:
        return False
    line_blob = "|".join(value for value in (*lines, *items) if value is not None)
    url_blob = "|".join(getattr(record, name) or "" for name in _URLS)
    texts = "\n".join(getattr(record, name) for name in _TEXTS)
    return (" |" not in line_blob and "| " not in line_blob
            and " ".join(line_blob.split()) == line_blob
            and (url_blob.split() == [url_blob] or not url_blob.strip("|"))
            and is_clean_text(f"{texts}\n{line_blob}\n{url_blob}"))
