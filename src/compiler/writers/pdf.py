"""Print-ready PDF: embedded CJK faces, clreq line breaking, TOC, running heads, bleed and marks.

reportlab draws; the layout is ours, as named steps: choose fonts → set every paragraph into
lines (typesetting.py) → paginate (keep headings with their text, no single line stranded) →
draw pages (running heads, folios, crop marks) → outline and metadata. The table of contents
has one line per speech whatever the page numbers, so one pagination pass knows every number
before the first page is drawn.
"""

from __future__ import annotations

import io
import math
import os
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, assert_never

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from compiler.errors import CompilerWarning, OutputError, StyleError
from compiler.fonts import FACES, FONT_DIR, SYSTEM, face_file, fallback_files, system_fonts_with
from compiler.lexicon import lexicon
from compiler.model import Book, Compilation, ParagraphRole, Speech
from compiler.output import write_atomically
from compiler.styles import Role, Style, TextStyle
from compiler.typesetting import Line, display_lines, set_paragraph, set_paragraph_in
from compiler.writers.common import (
    Locator,
    PageStarts,
    as_book,
    contents_entry,
    keywords,
    plain_subtitle,
    speaker_line,
    speaker_names,
    style_for,
    title_block,
)

RUNNING_HEAD_PT = 8.5
FOLIO_PT = 9.0
CROP_MARK_MM = 10.0
"""Room outside the bleed for crop marks, when the style asks for them."""


@dataclass
class _Box:
    """A paragraph set into lines, with how it sits in the flow."""

    role: Role | Literal["toc-entry"]
    font: str
    text_style: TextStyle
    lines: list[Line]
    keep_with_next: bool = False
    new_page: bool = False
    speech: int | None = None
    """Index (across all parts) of the speech this box heads: running heads follow it."""
    anchor: str | None = None
    """Bookmark of this box's first line, for the outline and the TOC's page numbers."""
    outline: tuple[int, str] | None = None
    """(level, title) of this box's outline entry."""
    toc_target: str | None = None
    """For a TOC entry: the anchor whose page number ends the line."""
    locator: Locator | None = None
    """Which text of the book this box sets (none for the contents and a book's own title page)."""
    reset: Callable[[int], list[Line] | None] | None = None
    """The paragraph set again in a given number of lines (None where it cannot be): what evens a
    spread the pagination rules cannot. Only body paragraphs have one."""

    @property
    def leading(self) -> float:
        return self.text_style.size_pt * self.text_style.leading


@dataclass(frozen=True, slots=True)
class _Flow:
    """Where a box sits: only the first box of a speech or part opens a page, carries the running
    head's speech, the bookmark and the outline entry."""

    new_page: bool = False
    speech: int | None = None
    anchor: str | None = None
    outline: tuple[int, str] | None = None


@dataclass
class _Page:
    placed: list[tuple[_Box, Line, float]] = field(default_factory=list)
    running_speech: int | None = None
    front: bool = True


def _to_unicode_cmap(font_name: str, subset: list[int]) -> str:
    """A subset font's ToUnicode CMap, each code's text as UTF-16BE (ISO 32000-1 §9.10.3).

    reportlab 5.1 writes a code point beyond U+FFFF as five hex digits (<20000>), which readers
    cannot decode: 𬭚 or 𠀀 would print but never be found, copied or read aloud. This is its
    CMap with the text encoded as the standard asks; it replaces reportlab's at import.
    """
    entries = [f"<{code:02X}> <{chr(point).encode('utf-16-be').hex().upper()}>" for code, point in enumerate(subset)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({font_name})",
            f"/Ordering ({font_name})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{font_name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


ttfonts.makeToUnicodeCMap = _to_unicode_cmap
rl_config.useA85 = 0  # compressed streams as binary, not ASCII85 text: a quarter smaller, faster to write


DISPLAY_ROLES = frozenset({Role.KICKER, Role.TITLE, Role.SUBTITLE, Role.HEADING, Role.SPEAKER, Role.TOC})
"""Set as display lines (typesetting.display_lines): broken between words, balanced, not justified."""
LEADER_DOT = "·"
"""The contents' leader dot (U+00B7, a third of an em in the Song face): set at a half-em pitch."""


@lru_cache(maxsize=32)
def _parsed_font(name: str, path: Path) -> TTFont:
    """A face parsed and registered once per process (a 29,000-glyph face takes 0.1 s to read):
    every PDF of a batch or a book shares it. reportlab subsets per document, so sharing is safe."""
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    return font


class _Fonts:
    """The bundled faces a book uses, registered on first use; a character none of them has is
    looked up in the style's fallback fonts, then recorded as missing."""

    def __init__(self, fallbacks: list[Path | str] | None = None) -> None:
        self.registered: dict[str, TTFont] = {}
        self.missing: set[str] = set()
        self.widths: dict[tuple[str, str, float], float] = {}
        self.fallbacks = fallbacks or []
        self.unusable: set[Path] = set()

    def face(self, style_name: str) -> str:
        face_file(style_name)  # an unknown face is a style error
        return self._register(FACES[style_name])

    def _register(self, name: str, path: Path | None = None) -> str:
        if name not in self.registered:
            self.registered[name] = _parsed_font(name, path or FONT_DIR / f"{name}.ttf")
        return name

    def runs(self, text: str, primary: str) -> Iterator[tuple[str, str]]:
        """(text, font) runs: each character in the first face that has it."""
        start, current = 0, primary
        for i, char in enumerate(text):
            font = self._font_for(char, primary)
            if font != current and i > start:
                yield text[start:i], current
                start = i
            current = font
        if start < len(text):
            yield text[start:], current

    def _font_for(self, char: str, primary: str) -> str:
        if ord(char) in self.registered[primary].face.charToGlyph or char.isspace():
            return primary
        for name in FACES.values():
            if ord(char) in self._font(name).face.charToGlyph:
                return name
        fallback = self._fallback_for(char)
        if fallback is not None:
            return fallback
        self.missing.add(char)
        return primary

    def _fallback_for(self, char: str) -> str | None:
        """The first fallback font (the style's files, then fontconfig's if asked) that has `char`."""
        for entry in self.fallbacks:
            candidates = system_fonts_with(char) if entry == SYSTEM else (Path(entry),)
            for path in candidates:
                name = self._loaded(path)
                if name is not None and ord(char) in self.registered[name].face.charToGlyph:
                    return name
        return None

    def _loaded(self, path: Path) -> str | None:
        """The registered name of a fallback file, or None when reportlab cannot embed it (a
        PostScript-outline font, a collection): a style's own file then is an error."""
        name = f"Fallback-{path.stem}"
        if name in self.registered:
            return name
        if path in self.unusable:
            return None
        try:
            return self._register(name, path)
        except Exception as error:  # reportlab raises TTFError and plain errors for fonts it cannot read
            if path in self.fallbacks:
                raise StyleError(f"fallback font {path}: not a TrueType font reportlab can embed ({error})") from None
            self.unusable.add(path)
            return None

    def _font(self, name: str) -> TTFont:
        self._register(name)
        return self.registered[name]

    def width(self, text: str, primary: str, size: float) -> float:
        """The text's advance in points, remembered: the typesetter asks for the same characters
        and pieces hundreds of thousands of times in a long book."""
        key = (text, primary, size)
        found = self.widths.get(key)
        if found is None:
            found = float(sum(pdfmetrics.stringWidth(run, font, size) for run, font in self.runs(text, primary)))
            self.widths[key] = found
        return found


def write(doc: Compilation | Book, style: Style, out: Path) -> Path:
    """Write a page, or a book of several (parts, then speeches, in the outline), as a PDF."""
    book = as_book(doc)
    style = style_for(book, style)
    fonts, pages = _laid_out(book, style)
    speeches = [speech for part in book.parts for speech in part.speeches]
    if not book.page:
        _on_optical_centre(pages[0], style)
    anchor_pages = {box.anchor: n for n, page in enumerate(pages) for box, _, _ in page.placed if box.anchor}
    buffer = io.BytesIO()
    canvas = _canvas(buffer, style, style.language if book.page else book.language)
    _metadata(canvas, book)
    for number, page in enumerate(pages, start=1):
        _draw_page(canvas, page, number, book.title, speeches, style, fonts, anchor_pages)
    canvas.showOutline()
    canvas.save()
    if fonts.missing:
        named = " ".join(f"{c} (U+{ord(c):04X})" for c in sorted(fonts.missing))
        if style.missing_glyphs == "fail":
            raise OutputError(f"PDF not written: no font has these characters: {named}")
        warnings.warn(
            CompilerWarning(f"PDF: no font has these characters; they are drawn as empty boxes: {named}"),
            stacklevel=2,
        )
    return write_atomically(out, buffer.getvalue())


class _Setter:
    """Sets paragraphs of one book into boxes of lines, in the style's roles."""

    def __init__(self, style: Style, fonts: _Fonts, width: float) -> None:
        self.style, self.fonts, self.width = style, fonts, width

    def box(
        self,
        role: Role,
        text: str,
        flow: _Flow = _Flow(),
        *,
        keep_with_next: bool = False,
        locator: Locator | None = None,
    ) -> _Box:
        """One paragraph set in its role's style; `flow` says where it sits (first of a speech…)."""
        text_style = self.style.roles.of(role)
        font = self.fonts.face(text_style.east_asian_font)
        size = text_style.size_pt

        def measure(piece: str) -> float:
            return self.fonts.width(piece, font, size)

        reset = None
        if role in DISPLAY_ROLES:
            shown = display_lines(text, self.width, measure, lexicon().segment)
            lines = [line for part in shown for line in set_paragraph(part, self.width, measure)]
        else:
            indent = text_style.first_line_indent_chars * size
            half = self.style.opening_mark_at_line_start == "half"
            lines = set_paragraph(text, self.width, measure, first_indent=indent, half_opening=half)
            if role is Role.BODY:

                def reset(count: int) -> list[Line] | None:
                    return set_paragraph_in(text, self.width, measure, count, indent, half_opening=half)

        return _Box(
            role=role,
            font=font,
            text_style=text_style,
            lines=lines,
            keep_with_next=keep_with_next,
            new_page=flow.new_page,
            speech=flow.speech,
            anchor=flow.anchor,
            outline=flow.outline,
            locator=locator,
            reset=reset,
        )

    def toc_entry(self, entry: str, target: str) -> _Box:
        """A TOC line: the entry, then (when drawn) a dot leader and the page number in a fixed column;
        a long entry's turnover lines hang an em inside the entry's own start."""
        text_style = self.style.roles.body
        font = self.fonts.face(text_style.east_asian_font)
        size = text_style.size_pt
        lead = (len(entry) - len(entry.lstrip("\u3000"))) * size
        lines = set_paragraph(
            entry, self.width - 3 * size, lambda piece: self.fonts.width(piece, font, size), hang=lead + size
        )
        return _Box(role="toc-entry", font=font, text_style=text_style, lines=lines, toc_target=target)

    def title_block(self, doc: Compilation, part: int, flow: _Flow = _Flow()) -> Iterator[_Box]:
        """A page's or part's kicker, title and subtitle (the first carries `flow`), kept together
        and with what follows; the captions and credits after them run on like paragraphs (kept
        together, sixteen captions pushed the title onto a page of its own)."""
        for n, (role, value) in enumerate(title_block(doc)):
            chained = role is not Role.CREDIT
            yield self.box(role, value, flow, keep_with_next=chained, locator=(part, "title", -1, n))
            flow = _Flow()

    def note(self, doc: Compilation, part: int) -> Iterator[_Box]:
        if doc.editor_note is not None:
            for n, paragraph in enumerate(doc.editor_note.paragraphs):
                yield self.box(Role.NOTE, paragraph.text, locator=(part, "note", -1, n))
            if doc.editor_note.signature:
                yield self.box(Role.SIGNATURE, doc.editor_note.signature, locator=(part, "signature", -1, 0))

    def speeches(
        self, doc: Compilation, part: int, first: int, level: int, new_page_first: bool
    ) -> Iterator[_Box]:
        """Each speech: heading (an outline entry at `level`), speaker, paragraphs, credit. A speech
        with no body text (a label the page set over the next speeches: 民主政治, read as a caption)
        opens the next speech's page rather than a page of its own."""
        for offset, speech in enumerate(doc.speeches):
            n = first + offset
            anchor = f"speech-{n}"
            outline = (level, speech.heading or contents_entry(speech))
            after_a_label = offset > 0 and not _has_body_text(doc.speeches[offset - 1])
            new_page = (offset == 0 and new_page_first) or (self.style.speech_starts_new_page and not after_a_label)
            heads = _Flow(new_page=new_page, speech=n, anchor=anchor, outline=outline)
            if speech.heading:
                yield self.box(
                    Role.HEADING, speech.heading, heads, keep_with_next=True, locator=(part, "heading", offset, 0)
                )
                heads = _Flow()
            if speech.speaker is not None:
                line = speaker_line(speech.speaker)
                yield self.box(Role.SPEAKER, line, heads, keep_with_next=True, locator=(part, "speaker", offset, 0))
                heads = _Flow()
            for i, paragraph in enumerate(speech.paragraphs):
                where = (part, "para", offset, i)
                match paragraph.role:  # a new role fails here (and in mypy) until it has a setting
                    case ParagraphRole.BODY:
                        yield self.box(Role.BODY, paragraph.text, heads, locator=where)
                    case ParagraphRole.SUBHEADING:
                        yield self.box(Role.SUBHEADING, paragraph.text, heads, keep_with_next=True, locator=where)
                    case ParagraphRole.BYLINE | ParagraphRole.CREDIT | ParagraphRole.CAPTION:
                        yield self.box(Role.CREDIT, paragraph.text, heads, locator=where)
                    case _:
                        assert_never(paragraph.role)
                heads = _Flow()


def _has_body_text(speech: Speech) -> bool:
    return any(paragraph.role is ParagraphRole.BODY for paragraph in speech.paragraphs)


def _laid_out(book: Book, style: Style) -> tuple[_Fonts, list[_Page]]:
    """The book set into lines and placed on pages (the fonts measured with come along: they
    draw what they measured)."""
    fonts = _Fonts(fallback_files(style.fallback_fonts, style.source.parent))
    fonts.face("宋体")  # running heads, folios and the canvas's initial font
    width = (style.page.width_mm - style.page.margin_inner_mm - style.page.margin_outer_mm) * mm
    boxes = list(_boxes(book, style, fonts, width))
    limits: dict[int, float] = {}
    paginated = _without_lonely_pages(boxes, style, _paginate(boxes, style), limits)
    return fonts, _balanced_spreads(boxes, style, paginated, limits)


def page_starts(doc: Compilation | Book, style: Style) -> PageStarts:
    """Where each page of the PDF this style prints begins in the book's texts: the first line on the
    page that sets a text of the book (pages of contents only start nowhere). Page numbers are the
    folios the PDF prints, counted from its first page. For an e-book's page list, so a reader can
    cite the printed edition."""
    book = as_book(doc)
    _, pages = _laid_out(book, style_for(book, style))
    starts: PageStarts = {}
    for number, page in enumerate(pages, start=1):
        first = next(((box.locator, box, line) for box, line, _ in page.placed if box.locator is not None), None)
        if first is None:
            continue
        locator, box, line = first
        before = box.lines[: next(n for n, set_line in enumerate(box.lines) if set_line is line)]
        offset = sum(len("".join(atom.split())) for earlier in before for atom in earlier.atoms)
        starts.setdefault(locator, []).append((offset, number))
    return starts


def _boxes(book: Book, style: Style, fonts: _Fonts, width: float) -> Iterator[_Box]:
    """Every paragraph of the book, set into lines, in reading order. A page opens with its own title
    block and note; a book with its title page, each part then opening on a new page."""
    setter = _Setter(style, fonts, width)
    if book.page:
        yield from setter.title_block(book.parts[0], 0)
        yield from setter.note(book.parts[0], 0)
    else:
        yield setter.box(Role.TITLE, book.title, keep_with_next=True)
        for role, value in ((Role.SUBTITLE, book.subtitle), (Role.KICKER, book.editor)):
            if value:
                yield setter.box(role, value, keep_with_next=True)
    yield from _contents(book, style, setter)
    first = 0
    for p, part in enumerate(book.parts):
        if not book.page:
            heads = _Flow(new_page=True, anchor=f"part-{p}", outline=(0, part.title or f"第{p + 1}部分"))
            yield from setter.title_block(part, p, heads)
            yield from setter.note(part, p)
        yield from setter.speeches(part, p, first, level=0 if book.page else 1, new_page_first=book.page)
        first += len(part.speeches)


def _contents(book: Book, style: Style, setter: _Setter) -> Iterator[_Box]:
    """The table of contents: a page's speeches, or a book's parts with their speeches indented."""
    speeches = [speech for part in book.parts for speech in part.speeches]
    if not style.toc or (book.page and not speeches):
        return
    yield setter.box(Role.TOC, style.toc_title, _Flow(new_page=True), keep_with_next=True)
    if book.page:
        for n, speech in enumerate(speeches):
            yield setter.toc_entry(contents_entry(speech), f"speech-{n}")
        return
    first = 0
    for p, part in enumerate(book.parts):
        yield setter.toc_entry(part.title or f"第{p + 1}部分", f"part-{p}")
        for n, speech in enumerate(part.speeches):
            yield setter.toc_entry("\u3000\u3000" + contents_entry(speech), f"speech-{first + n}")
        first += len(part.speeches)


@dataclass(frozen=True, slots=True)
class _Cursor:
    """Where pagination stood when a page was opened: enough to go on from there with that page (and
    every later one) set to another height, the pages before it unchanged (nothing placed on a page
    depends on the pages after it)."""

    box: int
    stage: str
    """What of `box` was done: "start" (it opened the page: place it), "carried" (the lines a
    credit takes along are on the page, `space_before` left to add), "lines" (`remaining` to place)."""
    used: float
    running: int | None
    in_body: bool
    opening: tuple[tuple[_Box, Line, float], ...] = ()
    """What the page held when it was opened (lines carried from the page before)."""
    space_before: float = 0.0
    remaining: tuple[Line, ...] = ()

    def key(self) -> tuple[object, ...]:
        """The cursor by identity of what it holds: two paginations that open a page at equal keys
        go on alike, given the same heights for that page and the ones after it."""
        opening = tuple((id(box), id(line), top) for box, line, top in self.opening)
        remaining = tuple(id(line) for line in self.remaining)
        return (self.box, self.stage, self.used, self.running, self.in_body, opening, self.space_before, remaining)


_Paginated = tuple[list[_Page], list[_Cursor]]


def _opened_at(resume: tuple[_Paginated, int], last_limit: int) -> dict[tuple[object, ...], int]:
    """Where the earlier pagination opened each page after both the page it is resumed from and the
    last page set short: from such a page on, heights are the full page's in both."""
    (_, cursors), first = resume
    return {cursor.key(): n for n, cursor in enumerate(cursors) if n > max(first, last_limit)}


def _paginate(
    boxes: list[_Box],
    style: Style,
    limits: dict[int, float] | None = None,
    resume: tuple[_Paginated, int] | None = None,
) -> _Paginated:
    """Place lines on pages: headings kept with two lines of what follows, no paragraph's first line
    alone at the foot of a page (orphan) and no last line alone at the head of one (widow). Lines
    at the body's leading sit on one grid from the top of the text area, so facing pages' lines
    line up whatever headings came before them: a heading's odd height is made up below it.
    `resume` (an earlier result and a page number): keep the pages before that page and paginate
    again from where it was opened. Returns the pages and where each was opened."""
    full = (style.page.height_mm - style.page.margin_top_mm - style.page.margin_bottom_mm) * mm
    grid = style.roles.body.size_pt * style.roles.body.leading
    limits = limits or {}  # pages set short to match the page facing them
    if resume is None:
        pages, cursors = [_Page()], [_Cursor(0, "box", 0.0, None, False)]
    else:
        (earlier, opened_before), first = resume
        pages, cursors = earlier[:first], opened_before[:first]
        reopened = opened_before[first]
        pages.append(_Page(list(reopened.opening), reopened.running, not reopened.in_body))
        cursors.append(reopened)
    cursor = cursors[-1]
    i, stage, used, running, in_body = cursor.box, cursor.stage, cursor.used, cursor.running, cursor.in_body
    space_before, remaining = cursor.space_before, list(cursor.remaining)
    height = limits.get(len(pages) - 1, full)

    def on_grid(box: _Box) -> bool:
        return abs(box.leading - grid) < 1e-6

    def new_page() -> None:
        nonlocal used, height
        pages.append(_Page(running_speech=running, front=not in_body))
        used = 0.0
        height = limits.get(len(pages) - 1, full)

    last_limit = max(limits, default=-1)
    earlier_at = _opened_at(resume, last_limit) if resume is not None else {}
    earlier_pages, earlier_cursors = resume[0] if resume is not None else ([], [])

    def opened(stage: str, space_before: float = 0.0, remaining: tuple[Line, ...] = ()) -> bool:
        """Record where the page just opened; True when an earlier pagination opened one at the same
        point with no page after it set short: from there on it is that pagination, taken over."""
        cursors.append(_Cursor(i, stage, used, running, in_body, tuple(pages[-1].placed), space_before, remaining))
        same = earlier_at.get(cursors[-1].key())
        if same is None or len(pages) - 1 <= last_limit:
            return False
        pages[-1:] = earlier_pages[same:]
        cursors[-1:] = earlier_cursors[same:]
        return True

    while i < len(boxes):
        box = boxes[i]
        if stage == "box":
            if box.speech is not None and box.role != "toc-entry":
                in_body = True
            if box.new_page and pages[-1].placed:
                new_page()
                if opened("start"):
                    return pages, cursors
            stage = "start"
        if stage == "start":
            if box.speech is not None:
                running = box.speech
                if not pages[-1].placed:
                    pages[-1].running_speech = running
                    pages[-1].front = False
            space_before = box.text_style.space_before_pt if pages[-1].placed else 0.0
            if on_grid(box):  # text at the body's leading starts on the page's grid
                space_before = math.ceil((used + space_before) / grid - 1e-6) * grid - used
            needed = space_before + _keep_height(boxes, i)
            if needed > height:  # a chain kept together longer than a page (captions): only the box itself
                needed = space_before + box.leading * min(2, len(box.lines))
            if used + needed > height and pages[-1].placed:
                carried = _lines_to_carry(pages[-1], boxes[i - 1]) if box.role in KEEP_WITH_PREVIOUS and i else []
                new_page()
                for previous, line in carried:  # a credit or signature takes its paragraph's last lines along
                    pages[-1].placed.append((previous, line, used))
                    used += previous.leading
                space_before = 0.0 if not carried else space_before
                if opened("carried", space_before=space_before):
                    return pages, cursors
            stage = "carried"
        if stage == "carried":
            used += space_before
            if on_grid(box):
                used = math.ceil(used / grid - 1e-6) * grid
            remaining = list(box.lines)
            stage = "lines"
        while remaining:
            fits = int((height - used) / box.leading + 1e-9)
            here = _lines_here(len(remaining), fits)
            if here == 0 and not pages[-1].placed:
                here = max(1, min(fits, len(remaining)))  # a page too short for the rules: fill it
            for line in remaining[:here]:
                pages[-1].placed.append((box, line, used))
                used += box.leading
            remaining = remaining[here:]
            if remaining:
                new_page()
                if opened("lines", remaining=tuple(remaining)):
                    return pages, cursors
        used += box.text_style.space_after_pt
        i, stage = i + 1, "box"
    return pages, cursors


LONELY_LINES = 1
"""A page (after the first) holding this many lines or fewer is lonely: a typesetter sets the page
before it a line short, so the lonely line has company."""


def _without_lonely_pages(
    boxes: list[_Box], style: Style, paginated: _Paginated, limits: dict[int, float]
) -> _Paginated:
    """Pages re-made until none after the first holds a single line: the page before such a page is
    set one line shorter (recorded in `limits`) and everything from it paginated again. The
    widow and orphan rules may carry more than one line over; a page before that cannot give a line
    and keep two is left as it is."""
    for _ in range(len(paginated[0])):
        pages = paginated[0]
        lonely = next(
            (n for n in range(1, len(pages)) if 0 < len(pages[n].placed) <= LONELY_LINES and n - 1 not in limits),
            None,
        )
        if lonely is None or len(pages[lonely - 1].placed) < 3:
            break
        _, _, top = pages[lonely - 1].placed[-1]
        limits[lonely - 1] = top
        paginated = _paginate(boxes, style, limits, resume=(paginated, lonely - 1))
    return paginated


def _balanced_spreads(
    boxes: list[_Box], style: Style, paginated: _Paginated, limits: dict[int, float] | None = None
) -> list[_Page]:
    """Pages re-made until facing pages end on the same line: where the rules (no widow, no
    orphan, a credit with its paragraph) leave one page of a spread short and neither page ends a
    speech, first one body paragraph of the spread is set a line longer or shorter (pages stay
    full); failing that, the other page is set as short, and everything after it is paginated
    again (from where that page was opened: the pages before it cannot change). Each round evens
    the first uneven spread (a fixed cap left the later spreads of long books uneven), each round
    the work of the pages after it. Setting a paragraph again first also costs less: 100 × the
    seed took 101 paginations instead of 693 (98 spreads had taken four failed rounds each)."""
    limits = {} if limits is None else limits
    pages = paginated[0]
    position = {id(box): n for n, box in enumerate(boxes)}
    start = 1  # 0-based: page numbers 2, 4, … face 3, 5, …
    for _ in range(len(pages) // 2 + 1):
        spread = _uneven_spread(boxes, position, pages, start)
        if spread is None:
            break
        verso = _verso_of(spread[0])
        evened = _even_by_resetting(boxes, style, paginated, limits, position, verso)
        if evened is None:
            evened = _even_spread(boxes, style, paginated, limits, position, spread)
        if evened is None:
            start = verso + 2  # kept uneven: go on after it
            continue
        paginated = evened
        pages = paginated[0]
        start = verso  # the spread evened: those before it were even already
    return pages


def _verso_of(page: int) -> int:
    """The left page of the spread `page` is on (0-based: pages 1 and 2 face each other)."""
    return page if page % 2 else page - 1


SPREAD_ROUNDS = 4
"""How many times a spread's deeper page may be set short before it is left uneven: where the rules
take each shortened page a line shorter still, its facing page follows it down, a line a round.
Four even the seed's speeches made six times as long in a5 (a spread two lines short of full);
three did not."""


def _even_spread(
    boxes: list[_Box],
    style: Style,
    paginated: _Paginated,
    limits: dict[int, float],
    position: dict[int, int],
    spread: tuple[int, float],
) -> _Paginated | None:
    """The pagination with this spread's pages ending on the same line, each round setting the
    deeper page as short as the other; None (and `limits` as they were) when SPREAD_ROUNDS do not
    even it."""
    before = dict(limits)
    verso = _verso_of(spread[0])
    for _ in range(SPREAD_ROUNDS):
        deeper, depth = spread
        limits[deeper] = depth
        paginated = _paginate(boxes, style, limits, resume=(paginated, deeper))
        found = _uneven_spread(boxes, position, paginated[0], verso)
        if found is None or _verso_of(found[0]) > verso:
            return paginated
        spread = found
    limits.clear()
    limits.update(before)
    return None


RESET_CANDIDATES = 6
"""Body paragraphs of an uneven spread, from the foot of each page up, tried a line longer and a
line shorter before the spread is left uneven."""


def _even_by_resetting(
    boxes: list[_Box],
    style: Style,
    paginated: _Paginated,
    limits: dict[int, float],
    position: dict[int, int],
    verso: int,
) -> _Paginated | None:
    """The pagination with one body paragraph of the spread set a line longer or shorter, where that
    ends both pages on the same line without a lonely page; None (every box as it was) otherwise.
    The typesetter's remedy, tried before shortening pages: where the no-widow rule takes each
    shortened page a line shorter, shortening never evens the spread."""
    pages = paginated[0]
    for box in _reset_candidates(pages, verso):
        original = box.lines
        first_page = _opening_page(box, pages, verso)
        if first_page is None:
            continue  # begun before the spread: set again, it would move the spread before, evened already
        for delta in (1, -1):
            lines = box.reset(len(original) + delta) if box.reset is not None else None
            if lines is None:
                continue
            box.lines = lines
            attempt = _paginate(boxes, style, limits, resume=(paginated, first_page))
            found = _uneven_spread(boxes, position, attempt[0], verso)
            settled = found is None or _verso_of(found[0]) > verso
            lonely = any(0 < len(page.placed) <= LONELY_LINES for page in attempt[0][first_page : verso + 3])
            if settled and not lonely:
                return attempt
            box.lines = original
    return None


def _opening_page(box: _Box, pages: list[_Page], verso: int) -> int | None:
    """The page of the spread on which `box`'s first line sits, or None when it begins earlier."""
    return next((n for n in (verso, verso + 1) if any(line is box.lines[0] for _, line, _ in pages[n].placed)), None)


def _reset_candidates(pages: list[_Page], verso: int) -> list[_Box]:
    """The spread's body paragraphs that can be set again: the one at the foot of each page first
    (where the no-widow rule took its line), then the others from the foot up."""
    spread = pages[verso : verso + 2]
    by_page = [[box for box, _, _ in reversed(page.placed) if box.reset is not None] for page in spread]
    ordered = [boxes[0] for boxes in by_page if boxes] + [box for boxes in by_page for box in boxes]
    return list({id(box): box for box in ordered}.values())[:RESET_CANDIDATES]


def _uneven_spread(
    boxes: list[_Box], position: dict[int, int], pages: list[_Page], start: int
) -> tuple[int, float] | None:
    """The first spread from the one whose left page is `start` whose pages end at different depths
    though neither ends a speech or a part: (the deeper page, the other's depth). `position`: each
    box's index in `boxes`, by identity."""
    for verso in range(start, len(pages) - 1, 2):
        recto = verso + 1
        if pages[verso].front or not pages[verso].placed or not pages[recto].placed:
            continue
        if _ends_a_flow(boxes, position, pages[verso]) or _ends_a_flow(boxes, position, pages[recto]):
            continue
        depths = [_depth(pages[verso]), _depth(pages[recto])]
        if abs(depths[0] - depths[1]) > 0.5:
            return (verso, depths[1]) if depths[0] > depths[1] else (recto, depths[0])
    return None


def _depth(page: _Page) -> float:
    box, _, top = page.placed[-1]
    return top + box.leading


def _ends_a_flow(boxes: list[_Box], position: dict[int, int], page: _Page) -> bool:
    """The page's last line ends its box, and what follows starts a speech, a part or a page."""
    if not page.placed:
        return True
    box, line, _ = page.placed[-1]
    if line is not box.lines[-1]:
        return False
    index = position[id(box)]
    following = boxes[index + 1] if index + 1 < len(boxes) else None
    return following is None or following.speech is not None or following.new_page or following.anchor is not None


KEEP_WITH_PREVIOUS = frozenset({Role.CREDIT, Role.SIGNATURE})
"""Lines that close what comes before them (a credit after the last paragraph, 编者 under the
note): never alone at the head of a page."""


def _lines_here(left: int, fits: int) -> int:
    """How many of a paragraph's `left` lines to set in the `fits` lines a page has left: all when
    they fit, else at least two here (no orphan) and two carried over (no widow), else none."""
    if left <= fits:
        return left
    here = fits if left - fits >= 2 else left - 2
    return here if here >= 2 else 0


def _lines_to_carry(page: _Page, previous: _Box) -> list[tuple[_Box, Line]]:
    """The last lines of `previous` to take off `page`, to go with what follows it on the next:
    two, leaving two behind, or all of it when it has three or fewer here (and the page keeps
    something); none when it is not at the foot of the page."""
    mine = [n for n, (box, _, _) in enumerate(page.placed) if box is previous]
    if not mine or mine[-1] != len(page.placed) - 1:
        return []
    take = 2 if len(mine) >= 4 else len(mine)
    if take == len(page.placed):
        return []
    carried = [(box, line) for box, line, _ in page.placed[-take:]]
    del page.placed[-take:]
    return carried

OPTICAL_CENTRE = 0.42
"""Where the eye finds a page's middle, as a share of the text area from its top: a little above
the geometric centre (0.5), so a title set there does not seem to sink."""


def _on_optical_centre(page: _Page, style: Style) -> None:
    """Move a title page's block down so its middle sits on the optical centre."""
    if not page.placed:
        return
    height = (style.page.height_mm - style.page.margin_top_mm - style.page.margin_bottom_mm) * mm
    last_box, _, last_top = page.placed[-1]
    block = last_top + last_box.leading
    shift = max(0.0, OPTICAL_CENTRE * height - block / 2)
    page.placed = [(box, line, top + shift) for box, line, top in page.placed]


def _keep_height(boxes: list[_Box], index: int) -> float:
    """Height that must fit on this page before `boxes[index]` starts: itself (while it keeps with
    the next), then the first two lines of the first box that does not keep."""
    total = 0.0
    for box in boxes[index:]:
        if box.keep_with_next:
            total += box.leading * len(box.lines) + box.text_style.space_after_pt + box.text_style.space_before_pt
            continue
        return total + box.leading * min(2, len(box.lines))
    return total


def _canvas(buffer: io.BytesIO, style: Style, language: str) -> Canvas:
    page = style.page
    outside = page.bleed_mm + (CROP_MARK_MM if page.crop_marks else 0.0)
    media = ((page.width_mm + 2 * outside) * mm, (page.height_mm + 2 * outside) * mm)
    # reportlab's invariant mode fixes the document ID and dates: reproducible builds when asked for.
    canvas = Canvas(
        buffer,
        pagesize=media,
        invariant="SOURCE_DATE_EPOCH" in os.environ,
        pageCompression=1,
        initialFontName=FACES["宋体"],  # never a default Helvetica: every font in the file is embedded
        pdfVersion=(1, 4),
        lang=language,  # /Lang in the catalogue: screen readers and preflight read the text as Chinese
    )
    trim = (outside * mm, outside * mm, media[0] - outside * mm, media[1] - outside * mm)
    bleed_edge = (outside - page.bleed_mm) * mm
    canvas.setTrimBox(trim)
    canvas.setBleedBox((bleed_edge, bleed_edge, media[0] - bleed_edge, media[1] - bleed_edge))
    return canvas


def _metadata(canvas: Canvas, doc: Book) -> None:
    canvas.setTitle(doc.title or "")
    canvas.setAuthor("、".join(speaker_names(doc)))
    canvas.setSubject(plain_subtitle(doc))
    canvas.setKeywords(", ".join(keywords(doc)))
    canvas.setCreator("speech-compiler")


def _draw_page(
    canvas: Canvas,
    page: _Page,
    number: int,
    title: str | None,
    speeches: list[Speech],
    style: Style,
    fonts: _Fonts,
    anchor_pages: dict[str, int],
) -> None:
    geometry = style.page
    outside = (geometry.bleed_mm + (CROP_MARK_MM if geometry.crop_marks else 0.0)) * mm
    recto = number % 2 == 1
    left = outside + (geometry.margin_inner_mm if recto else geometry.margin_outer_mm) * mm
    width = (geometry.width_mm - geometry.margin_inner_mm - geometry.margin_outer_mm) * mm
    top = outside + (geometry.height_mm - geometry.margin_top_mm) * mm
    canvas.setFillColorCMYK(*style.text_colour_cmyk)
    canvas.setStrokeColorCMYK(*style.text_colour_cmyk)
    for box, line, offset in page.placed:
        baseline = top - offset - box.text_style.size_pt * 0.88 - (box.leading - box.text_style.size_pt) / 2
        x = left + _align_offset(box, line, width, fonts)
        _draw_line(canvas, line, x, baseline, box.font, box.text_style.size_pt, fonts)
        if box.anchor is not None and line is box.lines[0]:
            canvas.bookmarkHorizontal(box.anchor, left, baseline + box.text_style.size_pt)
            if box.outline is not None:
                level, entry = box.outline
                canvas.addOutlineEntry(entry, box.anchor, level=level)
        if box.toc_target is not None and line is box.lines[-1]:
            _draw_page_number(canvas, box, line, x, left + width, baseline, anchor_pages.get(box.toc_target))
    _draw_furniture(canvas, page, number, title, speeches, style, fonts, left, width, top, outside)
    canvas.showPage()


def _align_offset(box: _Box, line: Line, width: float, fonts: _Fonts) -> float:
    """Justified lines start at 0; centred and right-aligned roles shift their lines."""
    align = box.text_style.align
    if align in ("justify", "left") or not line.atoms:
        return 0.0
    natural = line.right
    return (width - natural) / 2 if align == "center" else width - natural


def _draw_line(
    canvas: Canvas, line: Line, x: float, baseline: float, primary: str, size: float, fonts: _Fonts
) -> None:
    """One text operation per run of evenly spaced characters (Tc does the justification)."""
    text = canvas.beginText()
    for start, end, spaced in _segments(line):
        piece = "".join(line.atoms[start:end])
        cursor = x + line.positions[start]
        for run, font in fonts.runs(piece, primary):
            text.setFont(font, size)
            text.setCharSpace(line.spacing if spaced else 0.0)
            text.setTextOrigin(cursor, baseline)
            text.textOut(run)
            advance = pdfmetrics.stringWidth(run, font, size)
            cursor += advance + (line.spacing * len(run) if spaced else 0.0)
    canvas.drawText(text)


def _segments(line: Line) -> Iterator[tuple[int, int, bool]]:
    """(first atom, end atom, spaced) runs: single characters together, each longer atom and each
    compressed mark (typesetting.pair_trim) alone."""
    start = 0
    while start < len(line.atoms):
        if len(line.atoms[start]) > 1 or start in line.compressed:
            yield start, start + 1, False
            start += 1
            continue
        end = start
        while end < len(line.atoms) and len(line.atoms[end]) == 1 and end not in line.compressed:
            end += 1
        yield start, end, True
        start = end


def _draw_page_number(
    canvas: Canvas, box: _Box, line: Line, x: float, right: float, baseline: float, page: int | None
) -> None:
    """The page number flush right, and a leader of dots from the entry to it: dots every half em,
    the last one a quarter em before the number, so every leader ends in the same column."""
    size = box.text_style.size_pt
    label = str((page or 0) + 1)
    label_width = pdfmetrics.stringWidth(label, box.font, size)
    canvas.setFont(box.font, size)
    canvas.drawString(right - label_width, baseline, label)
    pitch, gap = size / 2, size / 4
    dot_width = pdfmetrics.stringWidth(LEADER_DOT, box.font, size)
    end = right - label_width - gap  # where the last dot's advance ends
    dots = int(max(0.0, end - (x + line.right + gap)) // pitch)
    if dots <= 0:
        return
    leader = canvas.beginText()
    leader.setFont(box.font, size)
    leader.setCharSpace(pitch - dot_width)
    leader.setTextOrigin(end - dots * pitch + (pitch - dot_width), baseline)
    leader.textOut(LEADER_DOT * dots)
    canvas.drawText(leader)


def _draw_furniture(
    canvas: Canvas, page: _Page, number: int, title: str | None, speeches: list[Speech], style: Style,
    fonts: _Fonts, left: float, width: float, top: float, outside: float,
) -> None:  # fmt: skip
    """Running head (book title on even pages, speech heading on odd ones; none where a speech
    opens, whose heading is printed just below), folio, crop marks."""
    geometry = style.page
    font = FACES["宋体"]
    if style.running_heads and not page.front and page.running_speech is not None and not _opens_speech(page):
        speech = speeches[page.running_speech]
        head = (title or "") if number % 2 == 0 else (speech.heading or title or "")
        if head:
            def measure(piece: str) -> float:
                return fonts.width(piece, font, RUNNING_HEAD_PT)

            (line,) = set_paragraph(head, measure(head) + 1.0, measure)  # one line, its pairs compressed
            y = top + 6 * mm
            _draw_line(canvas, line, left + (width - line.right) / 2, y, font, RUNNING_HEAD_PT, fonts)
            canvas.setLineWidth(0.4)
            canvas.line(left, y - 2 * mm, left + width, y - 2 * mm)
    if style.folios and number > 1:
        canvas.setFont(font, FOLIO_PT)
        canvas.drawCentredString(left + width / 2, outside + geometry.margin_bottom_mm * mm / 2, str(number))
    if geometry.crop_marks:
        _crop_marks(canvas, style, outside)


def _opens_speech(page: _Page) -> bool:
    """A speech's heading starts on this page."""
    return any(box.role is Role.HEADING and line is box.lines[0] for box, line, _ in page.placed)


def _crop_marks(canvas: Canvas, style: Style, outside: float) -> None:
    """Hairline marks at the trim corners, outside the bleed, in registration colour."""
    page = style.page
    canvas.saveState()
    canvas.setStrokeColorCMYK(1, 1, 1, 1)
    canvas.setLineWidth(0.25)
    x0, y0 = outside, outside
    x1, y1 = outside + page.width_mm * mm, outside + page.height_mm * mm
    gap, end = (page.bleed_mm + 1) * mm, outside
    for x, y, dx, dy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        canvas.line(x + dx * gap, y, x + dx * end, y)
        canvas.line(x, y + dy * gap, x, y + dy * end)
    canvas.restoreState()
