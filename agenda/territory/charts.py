"""Charts drawn on the server as inline SVG: horizontal bars, columns, and paired bars (this
edition against the previous one).  Pure: values in, a ``Markup`` string out, every text
escaped (labels come from the configuration, but a label is never trusted as markup).

Each drawing is readable without JavaScript and without colour: ``role="img"`` with a
``<title>`` and a ``<desc>`` (``aria-labelledby``), every bar carries its label and its number
as text, and the two series of paired bars differ by fill (solid and hatched) as well as by
colour, with a legend.  The page shows the same numbers in a table beside the drawing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

INK = "#1a1a1a"  # text: 17:1 on white
BAR = "#1f4e79"  # bars: 9:1 on white
PREVIOUS = "#5c5c5c"  # the previous edition's outline and hatching: 6.7:1 on white
FONT = 'font-family="system-ui, sans-serif"'
WIDTH = 480  # the viewBox's width; the drawing scales to its box (width 100 %)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    note: str = ""  # a second line under a column's label (the year of a month)


@dataclass(frozen=True)
class Pair:
    label: str
    current: int
    previous: int


def horizontal_bars(bars: list[Bar], *, chart_id: str, title: str, description: str,
                    empty: str = "No data") -> Markup:
    """One bar a row, its label above it and its number after it."""
    row, top = 42, 8
    height = top + row * max(len(bars), 1) + 4
    most = max((bar.value for bar in bars), default=0)
    parts = [_open(chart_id, height, title, description)]
    if not bars:
        parts.append(_text(8, 24, empty))
    room = WIDTH - 70  # keeps space for the number after the longest bar
    for index, bar in enumerate(bars):
        y = top + index * row
        length = _scaled(bar.value, most, room)
        parts.append(_text(0, y + 14, bar.label))
        parts.append(f'<rect x="0" y="{y + 19}" width="{_fmt(length)}" height="14" '
                     f'fill="{BAR}"/>')
        parts.append(_text(_fmt(length + 6), y + 31, _number(bar.value)))
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(bars: list[Bar], *, chart_id: str, title: str, description: str,
            empty: str = "No data") -> Markup:
    """One column a bar (the months), its number above it, its label (and note) below."""
    height, base, room = 230, 180, 150
    most = max((bar.value for bar in bars), default=0)
    step = WIDTH / max(len(bars), 1)
    width = max(step * 0.7, 1)
    parts = [_open(chart_id, height, title, description)]
    if not bars:
        parts.append(_text(8, 24, empty))
    for index, bar in enumerate(bars):
        x = index * step + (step - width) / 2
        middle = _fmt(index * step + step / 2)
        length = _scaled(bar.value, most, room)
        parts.append(f'<rect x="{_fmt(x)}" y="{_fmt(base - length)}" width="{_fmt(width)}" '
                     f'height="{_fmt(length)}" fill="{BAR}"/>')
        parts.append(_text(middle, _fmt(base - length - 4), _number(bar.value), "middle", 11))
        parts.append(_text(middle, base + 16, bar.label, "middle", 11))
        if bar.note:
            parts.append(_text(middle, base + 30, bar.note, "middle", 11))
    parts.append(f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="{INK}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def paired_bars(pairs: list[Pair], *, chart_id: str, title: str, description: str,
                current_label: str, previous_label: str, empty: str = "No data") -> Markup:
    """Two bars a row: this edition (solid) above the previous one (hatched, outlined),
    each with its number; a legend (one line each, long names fit) says which is which."""
    row, top = 60, 52  # the legend takes two lines above
    height = top + row * max(len(pairs), 1) + 4
    most = max((max(p.current, p.previous) for p in pairs), default=0)
    pattern = f"{_safe_id(chart_id)}-hatch"
    parts = [_open(chart_id, height, title, description), _hatching(pattern)]
    parts.append(_legend(pattern, current_label, previous_label))
    if not pairs:
        parts.append(_text(8, top + 18, empty))
    room = WIDTH - 70
    for index, pair in enumerate(pairs):
        y = top + index * row
        parts.append(_text(0, y + 14, pair.label))
        now, before = _scaled(pair.current, most, room), _scaled(pair.previous, most, room)
        parts.append(f'<rect x="0" y="{y + 19}" width="{_fmt(now)}" height="14" '
                     f'fill="{BAR}"/>')
        parts.append(_text(_fmt(now + 6), y + 31, _number(pair.current)))
        if before:
            parts.append(f'<rect x="0.5" y="{y + 36.5}" width="{_fmt(before)}" height="13" '
                         f'fill="url(#{pattern})" stroke="{PREVIOUS}"/>')
        parts.append(_text(_fmt(before + 6), y + 48, _number(pair.previous)))
    parts.append("</svg>")
    return Markup("".join(parts))


# --- The pieces ---------------------------------------------------------------------------

def _open(chart_id: str, height: int, title: str, description: str) -> str:
    ident = _safe_id(chart_id)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{ident}" role="img" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
            f'aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="15" fill="{INK}">'
            f'<title id="{ident}-title">{escape(title)}</title>'
            f'<desc id="{ident}-desc">{escape(description)}</desc>')


def _text(x, y, words: str, anchor: str = "start", size: int | None = None) -> str:
    extra = f' text-anchor="{anchor}"' if anchor != "start" else ""
    extra += f' font-size="{size}"' if size else ""
    return f'<text x="{x}" y="{y}"{extra}>{escape(words)}</text>'


def _hatching(pattern: str) -> str:
    return (f'<defs><pattern id="{pattern}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{PREVIOUS}" stroke-width="3"/>'
            f'</pattern></defs>')


def _legend(pattern: str, current_label: str, previous_label: str) -> str:
    return (f'<rect x="0" y="4" width="14" height="14" fill="{BAR}"/>'
            + _text(20, 16, _fit(current_label))
            + f'<rect x="0.5" y="26.5" width="13" height="13" fill="url(#{pattern})" '
              f'stroke="{PREVIOUS}"/>'
            + _text(20, 38, _fit(previous_label)))


def _fit(words: str, most: int = 48) -> str:
    """A legend's words cut to what the drawing's width holds (the table says them whole)."""
    return words if len(words) <= most else words[:most - 1].rstrip() + "…"


def _scaled(value: int, most: int, room: float) -> float:
    """The length of a bar of ``value`` when the longest, ``most``, is ``room`` long."""
    if most <= 0 or value <= 0:
        return 0.0
    return max(room * value / most, 1.0)


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")  # a narrow no-break space between thousands


_UNSAFE_ID = re.compile(r"[^a-z0-9_-]+")


def _safe_id(chart_id: str) -> str:
    """An id usable in attributes and url(#...): lower-case letters, digits, - and _."""
    return _UNSAFE_ID.sub("-", chart_id.lower()).strip("-") or "chart"
