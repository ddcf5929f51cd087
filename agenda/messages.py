"""User-facing sentences outside the web layer are English msgids marked with ``N_`` so that
``make messages`` extracts them; the views translate them when they show them (French first)."""


def N_(message: str) -> str:
    """Mark a msgid for extraction (pybabel -k N_); it is translated at display time."""
    return message
