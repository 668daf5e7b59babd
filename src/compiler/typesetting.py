"""Chinese line breaking and justification (clreq), independent of any PDF library.

Text is cut into units that may not be split: one ideograph, a Latin word or number, a run of
dashes or ellipses. Punctuation that may not start a line is glued to the unit before it, and
opening marks that may not end a line to the unit after it, so any break between units obeys
the rules of Requirements for Chinese Text Layout (W3C clreq, §3.1.7 prohibition rules). Lines
are filled greedily and every line but a paragraph's last is justified by spreading the spare
width over the gaps between units, so both edges are flush and nothing passes the measure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# clreq: characters not allowed at the start of a line (closing marks, pauses, stops) …
NOT_AT_LINE_START = frozenset("。．，、；：？！）」』”’》〉】〕〗］｝…—‥·・～%‰℃°,.;:?!)]}")
# … and not at the end of one (opening marks).
NOT_AT_LINE_END = frozenset("（「『“‘《〈【〔〖［｛([{")
# Unbreakable runs: Latin words and numbers (with their inner punctuation), dash and ellipsis pairs.
_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:%'’\-/+_@#&]*|—+|…+|\s+|.", re.DOTALL)

Measure = Callable[[str], float]
"""Width of a piece of text in points, in the paragraph's font and size."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of a line that is never split, with its natural width."""

    text: str
    width: float
    space: bool = False
    """A word space: a break may replace it, and it is dropped at the end of a line."""


@dataclass(frozen=True, slots=True)
class Line:
    """One set line: its units and where each starts, relative to the line's left edge."""

    units: tuple[Unit, ...]
    positions: tuple[float, ...]
    last: bool
    """The paragraph's last line: set flush left, not justified."""

    @property
    def text(self) -> str:
        return "".join(unit.text for unit in self.units)


def split_units(text: str, measure: Measure) -> list[Unit]:
    """The text as unbreakable units, punctuation glued where the prohibition rules require."""
    pieces = _RUN.findall(text)
    glued: list[str] = []
    for piece in pieces:
        if glued and (piece[0] in NOT_AT_LINE_START or glued[-1][-1] in NOT_AT_LINE_END) and not piece.isspace():
            glued[-1] += piece
        else:
            glued.append(piece)
    return [Unit(piece, measure(piece), space=piece.isspace()) for piece in glued]


def set_paragraph(text: str, width: float, measure: Measure, first_indent: float = 0.0) -> list[Line]:
    """Break and justify a paragraph into lines of exactly `width` points (the last one ragged)."""
    units = split_units(text, measure)
    lines: list[Line] = []
    start = 0
    while start < len(units):
        available = width - (first_indent if not lines else 0.0)
        end = _fill(units, start, available)
        lines.append(_justify(units[start:end], available, width - available, last=end >= len(units)))
        start = end
        while start < len(units) and units[start].space:  # no line starts with a word space
            start += 1
    return lines


def _fill(units: Sequence[Unit], start: int, available: float) -> int:
    """Index after the last unit that fits from `start`; at least one unit (split if it alone is too wide)."""
    used = 0.0
    end = start
    while end < len(units) and used + units[end].width <= available + 1e-6:
        used += units[end].width
        end += 1
    return max(end, start + 1)


def _justify(units: Sequence[Unit], available: float, indent: float, last: bool) -> Line:
    """Positions that put the line's last unit flush with the measure (unless it ends the paragraph)."""
    kept = list(units)
    while len(kept) > 1 and kept[-1].space:
        kept.pop()
    natural = sum(unit.width for unit in kept)
    gaps = len(kept) - 1
    extra = 0.0 if last or gaps == 0 else max(0.0, available - natural) / gaps
    positions = []
    x = indent
    for unit in kept:
        positions.append(x)
        x += unit.width + extra
    return Line(units=tuple(kept), positions=tuple(positions), last=last)


def violations(lines: Sequence[str]) -> list[str]:
    """Lines that break the prohibition rules: the checker used on text read back from a PDF."""
    found = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        if text[0] in NOT_AT_LINE_START:
            found.append(f"starts with {text[0]!r}: {text[:12]}…")
        if text[-1] in NOT_AT_LINE_END:
            found.append(f"ends with {text[-1]!r}: …{text[-12:]}")
    return found
