"""Sets of document numbers as Python ints, bit n for document n (pure).

Intersections, unions and counts then run in C over the whole set (a 100,000-document set is a
12.5 kB int: ``a & b`` and ``.bit_count()`` take microseconds), which is what makes filters and
facet counts cheap.
"""

from __future__ import annotations

from typing import Iterable

_BITS = BIT_FLAGS = tuple(1 << n for n in range(8))  # the bit of position n within its byte


def from_positions(positions: Iterable[int], size: int) -> int:
    """The set of ``positions`` (each below ``size``)."""
    mask = bytearray((size + 7) >> 3)
    for position in positions:
        mask[position >> 3] |= _BITS[position & 7]
    return int.from_bytes(mask, "little")


def full(size: int) -> int:
    return (1 << size) - 1


def as_mask(bits: int, size: int) -> bytes:
    """Bytes in which ``mask[n >> 3] >> (n & 7) & 1`` tells membership (fast per document)."""
    return bits.to_bytes((size + 7) >> 3, "little")


def positions(bits: int, size: int) -> list[int]:
    """The members, in increasing order."""
    found = []
    for index, byte in enumerate(as_mask(bits, size)):
        if byte:
            base = index << 3
            found.extend(base + n for n in range(8) if byte >> n & 1)
    return found


def contains(mask: bytes, position: int) -> int:
    return mask[position >> 3] >> (position & 7) & 1
