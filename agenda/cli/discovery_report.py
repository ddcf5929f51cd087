"""What ``agenda source add|check`` print: what discovery found and why, the diagnosis, or
why the address was refused; in the instance's language, with the sentences of the web pages.
"""

from __future__ import annotations

from datetime import date

import click
from babel.dates import format_date

from agenda.collectors.discovery import DiscoveryError
from agenda.collectors.doctor import Diagnosis
from agenda.messages import N_
from agenda.services.source_discovery import Discovery
from agenda.text_clean import printable
from agenda.wording import doctor_sentences as sentences
from agenda.wording.language import Language, in_language

LANGUAGES = ("fr", "en")


class Speaker:
    """One language for the command line: its sentences and how it writes a date."""

    def __init__(self, code: str):
        self.code = code if code in LANGUAGES else "fr"
        self.language: Language = in_language(self.code)

    def date_text(self, day: date) -> str:
        return format_date(day, format="long", locale=self.code)

    def _(self, msgid: str, **values) -> str:
        return self.language.gettext(msgid, **values)


def discovery_lines(found: Discovery, speaker: Speaker) -> list[str]:
    """What was found, why, the URL collected, then the diagnosis."""
    _ = speaker._
    lines = [_(N_("Found: %(format)s"), format=sentences.format_label(found.kind,
                                                                          speaker.language))]
    lines += [sentences.say_reason(code, params, speaker.language)
              for code, params in found.reasons]
    lines.append(_(N_("Address collected: %(url)s"), url=printable(found.url)))
    return lines + [""] + diagnosis_lines(found.diagnosis, speaker)


def diagnosis_lines(diagnosis: Diagnosis, speaker: Speaker) -> list[str]:
    said = sentences.say_diagnosis(diagnosis, speaker.language, speaker.date_text)
    lines = [speaker._(N_("Diagnosis")), f"  {said.format}"]
    if said.generator:
        lines.append(f"  {printable(said.generator)}")
    lines.append(f"  {said.events}")
    if said.upcoming:
        lines.append(f"  {said.upcoming}")
    if not said.findings:
        lines.append(f"  {speaker._(N_('No problem found.'))}")
    for finding in said.findings:
        colon = speaker._(":")  # " :" in French
        lines += [f"  - {finding.label}{colon} {finding.problem}", f"    → {finding.fix}"]
    return lines


def refusal_lines(error: DiscoveryError, speaker: Speaker) -> list[str]:
    sentence, hint = sentences.say_refusal(error, speaker.language)
    lines = [speaker._(N_("Refused: %(reason)s"), reason=printable(sentence))]
    if hint:
        lines.append(f"  → {hint}")
    diagnosis = getattr(error, "diagnosis", None)
    if diagnosis is not None:
        lines += [""] + diagnosis_lines(diagnosis, speaker)
    return lines


def echo_lines(lines: list[str], *, err: bool = False) -> None:
    for line in lines:
        click.echo(line, err=err)
