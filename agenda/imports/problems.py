"""What can be wrong with an imported spreadsheet: the whole file (``SpreadsheetError``, nothing
is imported) or one line (``LineError``, that line only is left out).

Each carries a stable code and an English sentence made from a template and its values; the
pages translate the template (``N_`` marks it) and fill in the same values."""

from __future__ import annotations

from dataclasses import dataclass, field

from agenda.errors import AgendaError
from agenda.messages import N_

# Line errors: code -> sentence template (values: %(value)s, %(other)s, %(cells)s...)
LINE_SENTENCES = {
    "import.no_title": N_("The title is empty."),
    "import.no_start": N_("The start date is empty."),
    "import.bad_date": N_("%(column)s “%(value)s”: this is not a date (write 12/11/2026, "
                          "2026-11-12 or 12 novembre 2026)."),
    "import.bad_time": N_("%(column)s “%(value)s”: this is not a time (write 14:30 or "
                          "14h30)."),
    "import.end_before_start": N_("The end (%(end)s) comes before the start (%(start)s)."),
    "import.end_time_alone": N_("An end time is given without a start time."),
    "import.bad_postcode": N_("The postcode “%(value)s” is not a French postcode of five "
                              "digits."),
    "import.bad_url": N_("%(column)s “%(value)s”: this is not a web address starting with "
                         "http:// or https://."),
    "import.formula": N_("The cell %(cell)s holds a formula whose result was not saved with "
                         "the file: open it in your spreadsheet program, save it, and send it "
                         "again (formulas are never computed here)."),
    "import.error_value": N_("The cell %(cell)s holds a spreadsheet error (%(value)s)."),
    "import.short_line": N_("Cells on this line: %(cells)s, columns in the header: "
                            "%(columns)s. A separator is probably missing: the columns would "
                            "be shifted."),
    "import.long_line": N_("Cells on this line: %(cells)s, columns in the header: %(columns)s. "
                           "A separator too many (in a text without quotes?): the columns "
                           "would be shifted."),
    "import.duplicate_id": N_("The identifier “%(value)s” was already used on line %(other)s."),
    "import.duplicate_line": N_("This line repeats line %(other)s (same title, start and "
                                "place)."),
    "import.unreadable_line": N_("This line could not be read (a value the import does not "
                                 "expect); it has been logged for the administrators."),
    "import.too_long": N_("%(column)s: the text is too long (%(length)s characters, at most "
                          "%(limit)s)."),
}

# What the columns are called in the sentences above (translated by the pages; the same
# words as the mapping's labels)
COLUMN_WORDS = {
    "start_date": N_("Start date"), "end_date": N_("End date"), "start_time": N_("Start time"),
    "end_time": N_("End time"), "url": N_("Link"), "image": N_("Image"),
    "online_url": N_("Online link"), "title": N_("Title"), "description": N_("Description"),
}


@dataclass(frozen=True)
class LineError:
    """Why one line of the file was left out: its number as the spreadsheet shows it."""

    line: int
    code: str
    params: dict = field(default_factory=dict)

    @property
    def template(self) -> str:
        return LINE_SENTENCES[self.code]

    @property
    def message(self) -> str:
        """The English sentence (the CLI's; pages translate ``template``)."""
        values = {k: COLUMN_WORDS.get(v, v) if k == "column" else v
                  for k, v in self.params.items()}
        return self.template % values


class SpreadsheetError(AgendaError):
    """The file as a whole cannot be imported (not a spreadsheet, no title column...): nothing
    of it is imported.  ``template`` is the sentence with %(name)s for each value of ``data``."""

    code = "import.failed"

    def __init__(self, template: str, *, code: str, **data):
        super().__init__(template % data if data else template, code=code, **data)
        self.template = template
