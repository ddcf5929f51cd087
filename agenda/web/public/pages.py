"""Numbered pages of a listing (pure): 1 2 3 … 149, the current page and its neighbours, the
first and the last, gaps shown as one "…"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap ("…")
    url: str | None = None
    current: bool = False


@dataclass(frozen=True)
class PageLinks:
    first: str
    previous: str | None
    next: str | None
    numbers: list[PageLink]


def page_numbers(page: int, pages: int, around: int = 1) -> list[int | None]:
    """The page numbers to show, None for a gap: [1, None, 4, 5, 6, None, 149] for page 5.
    A gap of a single page shows that page instead."""
    kept = sorted(n for n in {1, pages, *range(page - around, page + around + 1)}
                  if 1 <= n <= pages)
    shown: list[int | None] = []
    before = 0
    for number in kept:
        if number - before == 2:
            shown.append(number - 1)
        elif number - before > 2:
            shown.append(None)
        shown.append(number)
        before = number
    return shown


def page_links(page: int, pages: int, page_url: Callable[[int], str]) -> PageLinks:
    """Links to the first, previous, next and numbered pages (``page_url(n)`` makes one)."""
    numbers = [PageLink(None) if n is None else PageLink(n, page_url(n), n == page)
               for n in page_numbers(page, pages)]
    return PageLinks(first=page_url(1),
                     previous=page_url(page - 1) if page > 1 else None,
                     next=page_url(page + 1) if page < pages else None,
                     numbers=numbers)
