"""A parser's warning that pages can say in their own language.

A :class:`Notice` is the English sentence itself (a ``str``: logs, the CLI and the stored
``warnings`` column read it as before) carrying a stable ``code`` and the values written in it.
Pages rebuild the sentence in French or English from the code and the values (the catalogue is
``agenda/web/shared/source_messages.py``).  A value may itself be a Notice (the reason an item
was skipped, the name of an event...), so that every fragment is translated too.

A ``variant`` value tells apart sentences that share one code (``fetch.timeout`` while
connecting or while downloading); it is part of the catalogue's key, not of the sentence.
"""

from __future__ import annotations

from agenda.text_clean import printable


class Notice(str):
    """An English sentence with its ``code`` and ``params`` (Notice, str or numbers)."""

    code: str
    params: dict

    def __new__(cls, message: str, code: str = "", **params):
        notice = super().__new__(cls, message)
        notice.code = code
        notice.params = params
        return notice

    def __reduce__(self):  # pickled as a Notice, not as a plain str
        return (_rebuild, (str(self), self.code, self.params))

    def details(self) -> dict:
        """What is stored beside the sentence: ``{"code": ..., "params": {...}}`` (JSON)."""
        return {"code": self.code, "params": json_params(self.params)}


def _rebuild(message: str, code: str, params: dict) -> Notice:
    return Notice(message, code, **params)


def json_params(params: dict) -> dict:
    """``params`` as JSON values: nested notices as their details, text kept printable."""
    return {key: _json_value(value) for key, value in params.items()}


def _json_value(value):
    if isinstance(value, Notice):
        return value.details()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value
    return printable(value)


def notice_details(warnings: list) -> list:
    """The stored details of each warning, in order (None for a plain sentence)."""
    return [w.details() if isinstance(w, Notice) else None for w in warnings]


class UnreadableItem(Exception):
    """One item of a document cannot become an event; ``reason`` says why (a Notice). The
    parser skips and counts it, and the document carries on."""

    def __init__(self, reason: Notice):
        super().__init__(reason)
        self.reason = reason
