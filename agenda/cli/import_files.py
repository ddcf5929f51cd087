"""What the import commands (``import``, ``import-directory``) share: the file read with a size
cap, a file that cannot be used said on stderr (exit 2, nothing imported), and the report
printed with the exit code (1 if some lines were refused)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from agenda.cli.runtime import EXIT_FAILURES, EXIT_OK, EXIT_USAGE
from agenda.imports.problems import SpreadsheetError
from agenda.text_clean import printable

MAX_FILE_BYTES = 50 * 1024 * 1024

T = TypeVar("T")


def read_import_file(path: Path) -> bytes:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SpreadsheetError("This file is larger than 50 MB.", code="import.too_large")
    return path.read_bytes()


def prepared_or_exit(prepare: Callable[[], T]) -> T:
    """What ``prepare`` returns, or the file's problem on stderr and exit 2."""
    try:
        return prepare()
    except SpreadsheetError as error:
        click.echo(f"Error ({error.code}): {printable(error.message)} Nothing was imported.",
                   err=True)
        sys.exit(EXIT_USAGE)


def print_report(lines: Iterable[str], *, refused: bool) -> NoReturn:
    for line in lines:
        click.echo(line)
    sys.exit(EXIT_FAILURES if refused else EXIT_OK)
