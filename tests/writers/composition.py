"""A composition checker: reads a PDF back (poppler for lines, pdfminer for glyph positions) and
counts what a typesetter would send back (issue 14): punctuation pairs wider than 1.6 em, runts,
widows and orphans, lonely pages, facing pages that end at different depths, contents leaders
short of their number, display lines broken inside a word."""

from __future__ import annotations

import itertools
import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from compiler.lexicon import lexicon
from compiler.model import Speech
from compiler.styles import Style
from compiler.typesetting import CLOSING_HALF, OPENING_HALF
from compiler.writers import pdf as pdf_writer
from tests.writers.conftest import require_tool

SIZE_TOLERANCE = 0.05
Glyph = tuple[str, float, float, float]
"""(char, left, right, font size) as glyph_rows reads it."""
PAIR_LIMIT_EM = 1.6
"""clreq sets two adjacent marks in 1.5 em; the rest is the line's justification."""


class SetLine:
    """One line as drawn, read back with poppler (which applies character spacing exactly)."""

    def __init__(self, page: int, element: etree._Element) -> None:
        self.page = page
        words = element.findall("{http://www.w3.org/1999/xhtml}word")
        self.text = " ".join(word.text or "" for word in words)
        self.x0, self.x1 = float(element.get("xMin")), float(element.get("xMax"))
        self.y0 = float(element.get("yMin"))
        self.size = float(element.get("yMax")) - float(element.get("yMin"))


def set_lines(path: Path) -> list[SetLine]:
    """Every line of every page, in reading order (pdftotext -bbox-layout)."""
    layout = subprocess.run(
        [require_tool("pdftotext"), "-bbox-layout", str(path), "-"], capture_output=True, check=True
    ).stdout
    root = etree.fromstring(layout, etree.XMLParser(recover=True))
    namespace = "{http://www.w3.org/1999/xhtml}"
    lines: list[SetLine] = []
    for number, page in enumerate(root.iter(f"{namespace}page")):
        lines += _by_baseline([SetLine(number, line) for line in page.iter(f"{namespace}line")])
    return lines


def _by_baseline(lines: list[SetLine]) -> list[SetLine]:
    """One line per baseline: poppler starts a new line where a glyph's box overlaps the one
    before (a compressed mark, drawn half an em into its neighbour's em), though both sit on one
    baseline in one line of type."""
    merged: list[SetLine] = []
    for line in lines:
        same = next(
            (m for m in merged if abs(m.y0 - line.y0) < 0.5 and abs(m.size - line.size) < SIZE_TOLERANCE), None
        )
        if same is None:
            merged.append(line)
            continue
        left, right = (same, line) if same.x0 <= line.x0 else (line, same)
        same.text = left.text + right.text
        same.x0, same.x1 = min(same.x0, line.x0), max(same.x1, line.x1)
    return merged


def body_lines(lines: list[SetLine], style: Style) -> list[SetLine]:
    """Lines set at the body size (the running text, and TOC entries, which share it)."""
    size = style.roles.body.size_pt
    return [line for line in lines if abs(line.size - size) < SIZE_TOLERANCE]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def paragraph_lines(lines: list[SetLine], speeches: Sequence[Speech], style: Style) -> list[list[SetLine]]:
    """Every paragraph of the speeches with its lines as read back, in order (all must be found):
    body paragraphs, subheadings and credits, at their roles' sizes."""
    paragraphs = [_compact(p.text) for s in speeches for p in s.paragraphs]
    found: list[list[SetLine]] = [[] for _ in paragraphs]
    current, index = "", 0
    sizes = {style.roles.body.size_pt, style.roles.subheading.size_pt, style.roles.credit.size_pt}
    in_paragraphs = [line for line in lines if any(abs(line.size - size) < SIZE_TOLERANCE for size in sizes)]
    for line in in_paragraphs:
        current += _compact(line.text)
        if index >= len(paragraphs) or not paragraphs[index].startswith(current):
            current = ""
            continue
        found[index].append(line)
        if current == paragraphs[index]:
            current, index = "", index + 1
    assert index == len(paragraphs), f"paragraph {index} not found: {paragraphs[index][:20]}"
    return found


def glyph_rows(path: Path) -> list[list[Glyph]]:
    """Each baseline's glyphs as drawn, left to right, (char, left, right, font size), read back
    with pdfminer (grouped by baseline, not by its text boxes, which split a line at a gap)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTContainer, LTItem

    def chars(item: LTItem) -> Iterator[LTChar]:
        if isinstance(item, LTChar):
            yield item
        elif isinstance(item, LTContainer):
            for child in item:
                yield from chars(child)

    rows = []
    for page in extract_pages(str(path)):
        by_baseline: dict[float, list[LTChar]] = {}
        for char in chars(page):
            by_baseline.setdefault(round(char.y0, 1), []).append(char)
        for _, row in sorted(by_baseline.items(), reverse=True):
            rows.append([(c.get_text(), c.x0, c.x1, c.size) for c in sorted(row, key=lambda c: c.x0)])
    return rows


@dataclass
class Composition:
    """What the checker found; every list empty is a clean page."""

    wide_pairs: list[str] = field(default_factory=list)
    runts: list[str] = field(default_factory=list)
    widows_and_orphans: list[str] = field(default_factory=list)
    lonely_pages: list[int] = field(default_factory=list)
    facing_depths: list[tuple[int, float]] = field(default_factory=list)
    """(verso page, difference in lines) of spreads whose pages end at different depths, where
    neither page ends a speech."""
    short_leaders: list[str] = field(default_factory=list)
    display_breaks: list[str] = field(default_factory=list)
    pairs_seen: int = 0
    paragraphs_seen: int = 0
    spreads_seen: int = 0

    def faults(self) -> dict[str, list[object]]:
        return {
            name: list(value)
            for name, value in vars(self).items()
            if isinstance(value, list) and value
        }


def inspect(path: Path, speeches: Sequence[Speech], displays: Sequence[str], style: Style) -> Composition:
    """Read `path` back and count its composition faults (`displays`: the display texts set on it)."""
    lines = set_lines(path)
    found = Composition()
    paragraphs = paragraph_lines(lines, speeches, style)
    found.paragraphs_seen = len(paragraphs)
    _paragraph_faults(paragraphs, found)
    _page_faults(lines, paragraphs, speeches, style, found)
    rows = glyph_rows(path)
    _pair_faults(rows, found)
    _leader_faults(rows, found)
    _display_faults(lines, displays, found)
    return found


def is_runt(lines: Sequence[SetLine]) -> bool:
    """A paragraph of several lines whose last holds fewer than three characters besides punctuation."""
    return len(lines) > 1 and sum(char.isalnum() for char in lines[-1].text) < 3


def _paragraph_faults(paragraphs: list[list[SetLine]], found: Composition) -> None:
    for lines in paragraphs:
        if is_runt(lines):
            found.runts.append(lines[-1].text)
        pages = [line.page for line in lines]
        if len(set(pages)) > 1 and (pages[0] != pages[1] or pages[-1] != pages[-2]):
            found.widows_and_orphans.append(lines[0].text[:12])


def _page_faults(
    lines: list[SetLine], paragraphs: list[list[SetLine]], speeches: Sequence[Speech], style: Style, found: Composition
) -> None:
    furniture = {pdf_writer.RUNNING_HEAD_PT, pdf_writer.FOLIO_PT}
    content: dict[int, list[SetLine]] = {}
    for line in lines:
        if not any(abs(line.size - size) < SIZE_TOLERANCE for size in furniture):
            content.setdefault(line.page, []).append(line)
    heading = style.roles.heading.size_pt
    for page, page_lines in sorted(content.items()):
        only_heading = len(page_lines) <= 2 and all(abs(line.size - heading) < SIZE_TOLERANCE for line in page_lines)
        if page > 0 and (len(page_lines) <= 1 or only_heading):  # one line, or a heading and nothing under it
            found.lonely_pages.append(page + 1)
    ends: set[int] = set()
    first = 0
    for speech in speeches:
        last = first + len(speech.paragraphs) - 1
        if speech.paragraphs:
            ends.add(paragraphs[last][-1].page)
        first = last + 1
    grid = style.roles.body.size_pt * style.roles.body.leading
    depth = {page: max(line.y0 for line in page_lines) for page, page_lines in content.items()}
    text_starts = paragraphs[0][0].page if paragraphs and paragraphs[0] else 0
    for verso in sorted(depth):
        recto = verso + 1  # 0-based: page numbers verso + 1 (even, left) and verso + 2 (odd, right)
        if (verso + 1) % 2 or recto not in depth or verso in ends or recto in ends or verso < text_starts:
            continue
        found.spreads_seen += 1
        difference = abs(depth[verso] - depth[recto]) / grid
        if difference > 0.1:
            found.facing_depths.append((verso + 1, round(difference, 2)))


def punctuation_pairs(rows: list[list[Glyph]]) -> list[tuple[str, float]]:
    """Every two full-width marks side by side at one size, with the span they take in ems."""
    marks = CLOSING_HALF | OPENING_HALF
    return [
        (a[0] + b[0], (b[2] - a[1]) / a[3])
        for row in rows
        for a, b in itertools.pairwise(row)
        if a[0] in marks and b[0] in marks and abs(a[3] - b[3]) < 0.1
    ]


def leaders(rows: list[list[Glyph]]) -> list[tuple[list[Glyph], list[Glyph]]]:
    """Each contents line's leader dots and the digits after them."""
    found = []
    for row in rows:
        dots = [c for c in row if c[0] == pdf_writer.LEADER_DOT]
        if len(dots) >= 5:
            found.append((dots, [c for c in row if c[0].isdigit() and c[1] > dots[-1][1]]))
    return found


def leader_reaches(dots: list[Glyph], number: list[Glyph]) -> bool:
    """The last dot ends at most half an em before the number, not over it."""
    return bool(number) and 0 <= number[0][1] - dots[-1][2] <= dots[0][3] / 2


def _pair_faults(rows: list[list[Glyph]], found: Composition) -> None:
    pairs = punctuation_pairs(rows)
    found.pairs_seen += len(pairs)
    found.wide_pairs += [pair for pair, span in pairs if span > PAIR_LIMIT_EM]


def _leader_faults(rows: list[list[Glyph]], found: Composition) -> None:
    for dots, number in leaders(rows):
        if not leader_reaches(dots, number):
            found.short_leaders.append("leader to page " + ("".join(c[0] for c in number) or "?"))


def word_boundaries(text: str) -> set[int]:
    """Where the segmenter (compiler.lexicon) ends a word in `text`, as character offsets."""
    boundaries, at = set(), 0
    for word in lexicon().segment(text):
        at += len(word)
        boundaries.add(at)
    return boundaries


def breaks_inside_words(lines: Sequence[str]) -> list[int]:
    """The offsets of the breaks between `lines` that fall inside a word of their joined text."""
    boundaries = word_boundaries("".join(lines))
    ends = list(itertools.accumulate(len(line) for line in lines[:-1]))
    return [at for at in ends if at not in boundaries]


def _display_faults(lines: list[SetLine], displays: Sequence[str], found: Composition) -> None:
    """Each display text read back: where it runs over several lines, every break a word boundary."""
    texts = [_compact(line.text) for line in lines]
    for display in displays:
        compact = _compact(display)
        for start in range(len(texts)):
            parts, joined = [], ""
            for text in texts[start:]:
                if not text or not compact.startswith(joined + text):
                    break
                parts.append(text)
                joined += text
                if joined == compact:
                    break
            if joined == compact and len(parts) > 1:
                found.display_breaks += [f"{compact[:at]}|{compact[at:]}" for at in breaks_inside_words(parts)]
                break
