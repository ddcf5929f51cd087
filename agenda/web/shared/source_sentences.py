"""The catalogue moved to ``agenda.wording.source_sentences`` (no Flask there: the e-mails to a
source's owner say the same sentences); kept importable from here."""

from agenda.wording.source_sentences import ERRORS, HINTS, HTTP_REASONS, SENTENCES, WARNINGS

__all__ = ["ERRORS", "HINTS", "HTTP_REASONS", "SENTENCES", "WARNINGS"]
