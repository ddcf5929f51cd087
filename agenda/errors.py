"""One error root for the whole project.

Every error carries a stable ``code`` (``fetch.timeout``, ``parse.not_ical``...) and a sentence
a person understands.  Library errors are wrapped with ``raise ... from e``.  Messages are English
msgids; the web layer translates them (French first) through the Babel catalogues.
"""

from __future__ import annotations

from agenda.text_clean import printable


class AgendaError(Exception):
    """Root of every error raised on purpose by Agenda commun."""

    code = "agenda.error"

    def __init__(self, message: str, *, code: str | None = None, **data):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.data = data

    def __str__(self) -> str:
        return self.message


class ConfigError(AgendaError):
    """The settings or the region configuration are invalid."""

    code = "config.invalid"


class CollectError(AgendaError):
    """Collecting one source failed; recorded on that source, the others carry on."""

    code = "collect.failed"

    def __init__(self, message: str, *, code: str | None = None, **data):
        # The sentence goes to the database, the terminal and the logs: printable only, so
        # that no code path can smuggle a source's escape sequence into them.
        super().__init__(printable(message), code=code, **data)


class FetchError(CollectError):
    """The source could not be downloaded (network, HTTP status, size, address refused...)."""

    code = "fetch.failed"


class ParseError(CollectError):
    """The bytes were downloaded but are not a usable calendar or feed."""

    code = "parse.failed"


class ClaimLost(CollectError):
    """Another worker took this source over (this worker's claim expired): nothing is written."""

    code = "collect.claim_lost"


class NotFound(AgendaError):
    """A requested object (source, event...) does not exist."""

    code = "not_found"


class ProposalError(AgendaError):
    """A proposal cannot take this step (already decided, cancelled, no reason given...)."""

    code = "proposal.invalid"
