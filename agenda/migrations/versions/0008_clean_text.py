"""existing rows cleaned of control and invisible characters

Every text stored before issue 8 is cleaned as the door now cleans new ones: control
characters (C0 but tab and newline, DEL, C1) and invisible formatting characters (Unicode Cf,
bidi overrides among them) removed, NFC; one-line columns squeezed to one line; URLs without
white space; error sentences escaped (ESC shown as \\x1b).  The cleaning is copied here, frozen,
so that later changes to ``agenda.text_clean`` never change what this migration did.  Rows are
read and written in batches, and only changed rows are written.  An identity (an event's source
UID, an actor's name) is left as it is when its cleaned form is already taken.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 18:30:00
"""
import re
import unicodedata
from urllib.parse import quote

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

BATCH = 1000

# --- The cleaning of 2026-12 (agenda/text_clean.py), frozen -----------------------------------
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_UNWANTED = re.compile(f"[{_CONTROL}{_FORMAT}\ud800-\udfff\u2028\u2029]")
_KEPT = re.compile(
    "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    f"|(?<=[^\\s{_CONTROL}{_FORMAT}])[\u200c\u200d](?=[^\\s{_CONTROL}{_FORMAT}])"
)
_LINE_ENDS = re.compile("\r\n?|[\u2028\u2029]")


def _text(value):
    if not isinstance(value, str) or not value:
        return value
    if _UNWANTED.search(value) is not None:
        value = _LINE_ENDS.sub("\n", value)
        pieces, position = [], 0
        for kept in _KEPT.finditer(value):
            pieces += [_UNWANTED.sub("", value[position:kept.start()]), kept.group()]
            position = kept.end()
        value = "".join(pieces) + _UNWANTED.sub("", value[position:])
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value


def _line(value):
    return " ".join(_text(value).split()) if isinstance(value, str) else value


def _url(value):
    if not isinstance(value, str):
        return value
    value = _text(value).strip().replace("\t", "").replace("\n", "")
    return re.sub(r"\s", lambda match: quote(match.group()), value)


def _escaped(value):
    """An error sentence as the errors now write them: every non-printable character escaped."""
    if not isinstance(value, str) or value.isprintable():
        return value
    return "".join(_escaped_char(ch) for ch in value)


def _escaped_char(ch):
    if ch.isprintable() or unicodedata.category(ch) == "Zs":
        return ch
    if ch in "\t\n\r":
        return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _lines(values):
    if not isinstance(values, list):
        return values
    return [item for item in (_line(v) if isinstance(v, str) else v for v in values) if item]


_PROPOSAL_URLS = frozenset({"online_url", "image_url", "url", "website"})


def _proposal(value, key=None):
    """A proposal's JSON data: URLs, the description (lines kept), every other string."""
    if isinstance(value, str):
        if key in _PROPOSAL_URLS:
            return _url(value)
        return _text(value) if key == "description_html" else _line(value)
    if isinstance(value, dict):
        return {k: _proposal(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_proposal(v, key) for v in value]
    return value


# --- What is cleaned, table by table ---------------------------------------------------------
TABLES = {
    "events": ("id", {
        "title": _line, "location_name": _line, "address": _line, "postcode": _line,
        "city": _line, "department": _line, "organizer": _line, "timezone": _line,
        "rrule": _line, "source_uid": _text, "recurrence_id": _text,
        "description_html": _text, "description_text": _text,
        "online_url": _url, "url": _url, "image_url": _url,
        "categories": _lines, "themes": _lines, "rdate": _lines, "exdate": _lines,
    }),
    "actors": ("id", {"name": _line, "kind": _line, "website": _url}),
    "initiatives": ("id", {
        "title": _line, "territory": _line, "department": _line,
        "description_html": _text, "description_text": _text, "url": _url, "themes": _lines,
    }),
    "sources": ("id", {"name": _line, "last_error": _escaped}),
    "collection_runs": ("id", {"error_message": _escaped, "warnings": _lines}),
    "submissions": ("id", {"data": _proposal, "published_data": _proposal,
                           "reject_reason": _text}),
    "campaigns": ("id", {"name": _line, "description": _text}),
}
JSON_COLUMNS = {"categories", "themes", "rdate", "exdate", "warnings", "data", "published_data"}
# Cleaned only when the cleaned value is not already another row's.
IDENTITIES = {"events": ("source_uid", ("source_id", "recurrence_id")), "actors": ("name", ())}


def upgrade() -> None:
    connection = op.get_bind()
    for name, (key, cleaners) in TABLES.items():
        _clean_table(connection, name, key, cleaners)


def downgrade() -> None:
    pass  # what was removed is not put back


def _table(name, key, columns):
    extra = IDENTITIES.get(name, (None, ()))[1]
    names = dict.fromkeys([key, *columns, *extra])
    return sa.table(name, *(sa.column(column, sa.JSON() if column in JSON_COLUMNS else None)
                            for column in names))


def _clean_table(connection, name, key, cleaners) -> None:
    table = _table(name, key, cleaners)
    last = None
    while True:
        query = sa.select(table).order_by(table.c[key]).limit(BATCH)
        if last is not None:
            query = query.where(table.c[key] > last)
        rows = connection.execute(query).mappings().all()
        if not rows:
            return
        for row in rows:
            changes = {column: clean(row[column]) for column, clean in cleaners.items()
                       if row[column] is not None and clean(row[column]) != row[column]}
            changes = _without_taken_identity(connection, table, name, row, changes)
            if changes:
                connection.execute(sa.update(table).where(table.c[key] == row[key])
                                   .values(**changes))
        last = rows[-1][key]


def _without_taken_identity(connection, table, name, row, changes):
    column, scope = IDENTITIES.get(name, (None, ()))
    if column not in changes:
        return changes
    taken = connection.execute(sa.select(sa.func.count()).select_from(table).where(
        table.c[column] == changes[column], *(table.c[s] == row[s] for s in scope))).scalar()
    return {k: v for k, v in changes.items() if k != column} if taken else changes
