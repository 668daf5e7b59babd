"""EPUB 3: the e-book, one XHTML document per speech, that epubcheck passes without a warning.

Named steps, as in Sphinx's EPUB builder: metadata → stylesheet → cover → documents →
navigation → zip. All text is escaped (a source with `<script>` or `]]>` shows those characters),
every document carries the language, and the archive is written with fixed timestamps in a fixed
order, so the same model and style give the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import unicodedata
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import assert_never

from ebooklib import epub

from compiler.fonts import FACES, FAMILIES, subset_faces
from compiler.lexicon import lexicon
from compiler.model import Book, Compilation, ParagraphRole, Speech
from compiler.output import write_atomically
from compiler.styles import Role, Style, TextStyle
from compiler.typesetting import display_lines
from compiler.writers.common import (
    Locator,
    PageStarts,
    as_book,
    build_date,
    characters_to_embed,
    contents_entry,
    faces_used,
    keywords,
    plain_subtitle,
    reproducible_zip,
    speaker_line,
    speaker_names,
    style_for,
    title_block,
    xml_safe,
)

# Font stacks per face: the names Chinese readers' systems use, then common free faces.
FONT_STACKS = {
    "宋体": '"宋体", SimSun, "Songti SC", STSong, "Noto Serif CJK SC", "Source Han Serif SC", serif',
    "黑体": '"黑体", SimHei, "Heiti SC", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
    "楷体": '"楷体", KaiTi, "Kaiti SC", STKaiti, "LXGW WenKai", "AR PL UKai CN", serif',
}
_NAMESPACE = uuid.UUID("6f1d3c1e-8a57-4d0b-9e0e-3c6a1f1b2d4c")  # ours: identifiers are uuid5 in it


@dataclass(frozen=True, slots=True)
class _Page:
    """One XHTML document of the book."""

    file_name: str
    title: str
    body: str


def write(doc: Compilation | Book, style: Style, out: Path) -> Path:
    """Write a page, or a book of several, as an EPUB 3 file (with an EPUB 2 toc.ncx)."""
    tree = as_book(doc)
    style = style_for(tree, style)
    book = epub.EpubBook()
    when = build_date()
    starts = _print_page_starts(tree, style) if style.page_list else {}
    _package_metadata(book, tree, style, when, paged=bool(starts))
    embedded = _embedded_fonts(tree, style) if style.embed_fonts else {}
    for face, data in embedded.items():
        book.add_item(
            epub.EpubItem(uid=f"font-{FACES[face]}", file_name=_font_path(face), media_type="font/ttf", content=data)
        )
    stylesheet = epub.EpubItem(
        uid="stylesheet",
        file_name="style/book.css",
        media_type="text/css",
        content=_stylesheet(style, embedded=set(embedded)).encode(),
    )
    book.add_item(stylesheet)
    _add_cover(book, tree, style)

    def add(page: _Page) -> epub.EpubHtml:
        item = epub.EpubHtml(file_name=page.file_name, title=page.title, lang=style.language)
        item.content = _digits_upright(page.body) if style.vertical_writing else page.body
        item.add_item(stylesheet)
        book.add_item(item)
        return item

    if tree.page:  # the page's own title page and note open it; its speeches are the contents
        documents = [add(page) for page in _pages(tree.parts[0], _Marks(0, starts))]
        cut = 2 if tree.parts[0].editor_note else 1
        front, body = documents[:cut], documents[cut:]
        book.toc = [_link(d) for d in body]
    else:  # a title page for the book; each part's pages, its speeches nested under it in the contents
        front = [add(_book_title_page(tree))]
        parts = [
            [add(page) for page in _pages(part, _Marks(p - 1, starts), prefix=f"part-{p:02d}-")]
            for p, part in enumerate(tree.parts, 1)
        ]
        book.toc = [
            (epub.Section(items[0].title, items[0].file_name), [_link(d) for d in items if "speech-" in d.file_name])
            for items in parts
        ]
        body = [item for items in parts for item in items]
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title=style.toc_title)
    nav.lang = style.language
    nav.add_item(stylesheet)
    book.add_item(nav)
    book.spine = ["cover", *front, nav, *body]
    if style.vertical_writing:
        book.set_direction("rtl")
    buffer = io.BytesIO()
    options = {"mtime": when, "epub3_pages": bool(starts), "pages_title": "页码", "spine_direction": True}
    epub.write_epub(buffer, book, options)
    return write_atomically(out, reproducible_zip(buffer.getvalue(), when))


COVER_CSS = (
    "html, body { height: 100%; margin: 0; padding: 0; writing-mode: horizontal-tb; }\n"
    "body { display: flex; align-items: center; justify-content: center; }\n"
    "img { display: block; width: auto; height: auto; max-width: 100%; max-height: 100vh; object-fit: contain; }\n"
)
"""The cover image scaled to fit whole in any viewport, centred (unstyled, a reader crops it)."""


def _add_cover(book: epub.EpubBook, tree: Book, style: Style) -> None:
    """The cover image and its page, with a stylesheet of its own (the book's may set vertical
    writing) and the book's title as the image's text alternative."""
    css = epub.EpubItem(uid="cover-style", file_name="style/cover.css", media_type="text/css", content=COVER_CSS)
    book.add_item(css)
    book.set_cover("cover.svg", _cover_svg(tree, style).encode("utf-8"))
    page = book.get_item_with_id("cover")
    page.title = xml_safe(tree.title or "封面")
    page.lang = style.language
    page.add_item(css)


def _link(document: epub.EpubHtml) -> epub.Link:
    return epub.Link(document.file_name, document.title, document.file_name.removesuffix(".xhtml"))


def _book_title_page(book: Book) -> _Page:
    parts = [f'<h1 class="title">{_text(book.title)}</h1>']
    if book.subtitle:
        parts.append(f'<p class="subtitle">{_text(book.subtitle)}</p>')
    if book.editor:
        parts.append(f'<p class="kicker">{_text(book.editor)}</p>')
    return _Page("title.xhtml", xml_safe(book.title), _section("titlepage", parts))


def identifier(doc: Compilation | Book) -> str:
    """A stable identifier from the text itself: the same content always gets the same one."""
    digest = hashlib.sha256("\u241e".join(doc.texts()).encode("utf-8")).hexdigest()
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, digest)}"


def _package_metadata(book: epub.EpubBook, doc: Book, style: Style, when: datetime, *, paged: bool) -> None:
    parts = doc.parts
    book.set_identifier(identifier(doc))
    book.set_title(xml_safe(doc.title or "（无标题）"))
    book.set_language(style.language)
    for n, name in enumerate(speaker_names(doc), start=1):
        book.add_author(xml_safe(name), uid=f"creator-{n}")
    book.add_metadata("DC", "date", doc.date or when.date().isoformat())
    publisher = doc.publisher or style.publisher
    if publisher:
        book.add_metadata("DC", "publisher", xml_safe(publisher))
    if doc.isbn:
        book.add_metadata("DC", "source", xml_safe(f"urn:isbn:{doc.isbn}"))
    for word in keywords(doc):
        book.add_metadata("DC", "subject", xml_safe(word))
    note = next((part.editor_note for part in parts if part.editor_note is not None), None)
    if note is not None:
        book.add_metadata("DC", "description", xml_safe("".join(p.text for p in note.paragraphs)))
    for prop, value in (
        ("schema:accessMode", "textual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        *(("schema:accessibilityFeature", feature) for feature in ("pageBreakMarkers", "pageNavigation") if paged),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", "纯文本电子书，标题结构完整，附目录。"),
    ):
        book.add_metadata(None, "meta", value, {"property": prop})


def _print_page_starts(tree: Book, style: Style) -> PageStarts:
    """Where the print edition's pages begin, from the PDF writer's layout in the same style (the
    one layout decides them: the e-book's page list cites the PDF this style prints)."""
    from compiler.writers.pdf import page_starts  # the layout and its fonts, only when asked for

    return page_starts(tree, style)


@dataclass(frozen=True, slots=True)
class _Marks:
    """One part's texts, escaped for XHTML, with a page-break marker where a printed page begins."""

    part: int
    starts: PageStarts

    def text(self, value: str, kind: str, speech: int = -1, index: int = 0) -> str:
        locator: Locator = (self.part, kind, speech, index)
        out = []
        done = 0  # characters of `value` written
        seen = 0  # non-space characters of `value` written
        for offset, page in self.starts.get(locator, ()):
            at = done
            while at < len(value) and (seen < offset or value[at].isspace()):
                seen += not value[at].isspace()
                at += 1
            out.append(_text(value[done:at]) + _page_break(page))
            done = at
        return "".join(out) + _text(value[done:])


def _page_break(page: int) -> str:
    """A marker of where printed page `page` begins (EPUB 3 Structural Semantics, DPUB-ARIA)."""
    return f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{page}" aria-label="{page}"></span>'


def _pages(doc: Compilation, marks: _Marks, prefix: str = "") -> Iterator[_Page]:
    """Title page, editor's note, then one document per speech, in reading order (file names prefixed
    for each part of a book)."""
    title = xml_safe(doc.title or "")
    markup = {"kicker": '<p class="kicker">{}</p>', "title": '<h1 class="title">{}</h1>',
              "subtitle": '<p class="subtitle">{}</p>', "credit": '<p class="credit">{}</p>'}  # fmt: skip
    parts = [markup[role].format(marks.text(value, "title", -1, n)) for n, (role, value) in enumerate(title_block(doc))]
    if not doc.title:
        parts.append('<h1 class="title"></h1>')  # every title page has its heading, even an empty one
    yield _Page(f"{prefix}title.xhtml", title or "标题", _section("titlepage", parts))
    if doc.editor_note is not None:
        paragraphs = enumerate(doc.editor_note.paragraphs)
        note = [f'<p class="note">{marks.text(p.text, "note", -1, n)}</p>' for n, p in paragraphs]
        if doc.editor_note.signature:
            note.append(f'<p class="signature">{marks.text(doc.editor_note.signature, "signature")}</p>')
        yield _Page(f"{prefix}note.xhtml", "编者按", _section("preface", note))
    for n, speech in enumerate(doc.speeches, start=1):
        yield _Page(
            f"{prefix}speech-{n:03d}.xhtml",
            xml_safe(contents_entry(speech)),
            _section("chapter", list(_speech_parts(speech, n - 1, marks))),
        )


def _speech_parts(speech: Speech, number: int, marks: _Marks) -> Iterator[str]:
    if speech.heading:
        yield f'<h2 class="heading">{marks.text(speech.heading, "heading", number)}</h2>'
    if speech.speaker is not None:
        yield f'<p class="speaker">{marks.text(speaker_line(speech.speaker), "speaker", number)}</p>'
    for i, paragraph in enumerate(speech.paragraphs):
        text = marks.text(paragraph.text, "para", number, i)
        match paragraph.role:  # a new role fails here (and in mypy) until it has a rendering
            case ParagraphRole.BODY:
                yield f"<p>{text}</p>"
            case ParagraphRole.SUBHEADING:
                yield f'<h3 class="subheading">{text}</h3>'
            case ParagraphRole.BYLINE | ParagraphRole.CREDIT | ParagraphRole.CAPTION:
                yield f'<p class="credit">{text}</p>'
            case _:
                assert_never(paragraph.role)


def _section(kind: str, parts: list[str]) -> str:
    return f'<section epub:type="{kind}">\n' + "\n".join(parts) + "\n</section>"


def _text(value: str) -> str:
    return html.escape(xml_safe(value), quote=False)


def embedded_font_sizes(doc: Compilation | Book, style: Style) -> dict[str, int]:
    """Bytes each embedded face adds to the book (reported by `make bench`)."""
    return {FACES[face]: len(data) for face, data in _embedded_fonts(as_book(doc), style).items()}


def _embedded_fonts(doc: Book, style: Style) -> dict[str, bytes]:
    """Each face the style uses, subset to exactly the characters of this book."""
    used = characters_to_embed(doc, style, "\u3000 —·")  # the speaker-line space, word spaces, TOC leaders
    return subset_faces(faces_used(style), used, vertical=style.vertical_writing)


def _font_path(face: str) -> str:
    return f"fonts/{FACES[face]}.ttf"


SELECTORS: dict[Role, str] = {
    Role.KICKER: "p.kicker, p.series",
    Role.TITLE: "h1.title",
    Role.SUBTITLE: "p.subtitle",
    Role.NOTE: "p.note",
    Role.SIGNATURE: "p.signature",
    Role.TOC: "nav h1, nav h2",
    Role.HEADING: "h2.heading",
    Role.SPEAKER: "p.speaker",
    Role.BODY: "section p",
    Role.SUBHEADING: "h3.subheading",
    Role.CREDIT: "p.credit",
}
"""Where each role's text sits in our XHTML (a test checks every role has one)."""


def _stylesheet(style: Style, embedded: Collection[str] = ()) -> str:
    """CSS from the style: sizes relative to the body, faces as stacks that work without our fonts."""
    body = style.roles.body
    rules = [
        '@namespace epub "http://www.idpf.org/2007/ops";',
        *(
            f'@font-face {{ font-family: "{FAMILIES[face]}"; src: url("../{_font_path(face)}"); }}'
            for face in sorted(embedded)
        ),
        "html { writing-mode: vertical-rl; -epub-writing-mode: vertical-rl; }" if style.vertical_writing else "",
        f"body {{ {_font_rules(body, body, embedded, style.vertical_writing)} line-break: strict;"
        " -epub-line-break: strict; word-break: normal;"
        + (" margin-block: 0; margin-inline: 5%; }" if style.vertical_writing else " margin: 0 5%; }"),
        ".tcy { text-combine-upright: all; -webkit-text-combine: horizontal; -epub-text-combine: horizontal; }"
        if style.vertical_writing
        else "",
        "p { margin: 0; }",
        "section { page-break-before: always; }",
    ]
    for role, selector in SELECTORS.items():
        rules.append(f"{selector} {{ {_font_rules(style.roles.of(role), body, embedded, style.vertical_writing)} }}")
    rules.append(
        "section p.speaker, section p.signature, section p.credit, section p.kicker, section p.subtitle,"
        " section p.series { text-indent: 0; }"
    )
    return "\n".join(rule for rule in rules if rule) + "\n"


def _font_rules(text: TextStyle, body: TextStyle, embedded: Collection[str], vertical: bool = False) -> str:
    """A role's face, size, leading, indent and spacing. Space before and after a paragraph is
    written as block-start and block-end in vertical books (logical margins: to the right and left
    of a column there, not above and below it)."""
    family = FONT_STACKS.get(text.east_asian_font, f'"{text.east_asian_font}", serif')
    if text.east_asian_font in embedded:
        family = f'"{FAMILIES[text.east_asian_font]}", {family}'  # the book's own face first
    before, after = ("margin-block-start", "margin-block-end") if vertical else ("margin-top", "margin-bottom")
    return (
        f"font-family: {family}; font-size: {text.size_pt / body.size_pt:.3g}em; "
        f"line-height: {text.leading:.3g}; text-indent: {text.first_line_indent_chars:g}em; "
        f"text-align: {text.align}; {before}: {text.space_before_pt / text.size_pt:.3g}em; "
        f"{after}: {text.space_after_pt / text.size_pt:.3g}em; "
        f"font-weight: {'bold' if text.bold else 'normal'};"
    )


_TEXT_NODE = re.compile(r">([^<]+)<")
_SHORT_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])([0-9]{1,2})(?![0-9A-Za-z.,])")
"""A run of one or two ASCII digits standing alone (12月, 第3次), not part of 2025, 3.5 or A4."""


def _digits_upright(markup: str) -> str:
    """Short numbers set upright in a vertical column, as one em (tate-chu-yoko, `.tcy`), instead of
    lying on their side; only text between tags is touched."""
    return _TEXT_NODE.sub(
        lambda text: ">" + _SHORT_NUMBER.sub(r'<span class="tcy">\1</span>', text.group(1)) + "<", markup
    )


def _cover_svg(doc: Book, style: Style) -> str:
    """A typographic cover: kicker, title and subtitle set in the book's faces on a plain ground."""
    width, height = 1200, 1600
    lines: list[tuple[str, str, int, int]] = []  # (text, face, size px, baseline y)
    y = 560
    kicker = doc.parts[0].kicker if doc.page else doc.editor
    for line in _wrap(kicker or "", 20):
        lines.append((line, style.roles.kicker.east_asian_font, 44, y))
        y += 70
    y += 40
    for line in _wrap(doc.title or "", 11):
        lines.append((line, style.roles.title.east_asian_font, 92, y))
        y += 130
    y += 30
    for line in _wrap(plain_subtitle(doc), 18):
        lines.append((line, style.roles.subtitle.east_asian_font, 48, y))
        y += 72
    texts = "\n".join(
        f'<text x="{width // 2}" y="{baseline}" text-anchor="middle" font-size="{size}" '
        f"font-family='{FONT_STACKS.get(face, 'serif')}'>{_text(line)}</text>"
        for line, face, size, baseline in lines
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">\n'
        f'<rect width="{width}" height="{height}" fill="#f4efe6"/>\n'
        f'<rect x="60" y="60" width="{width - 120}" height="{height - 120}" fill="none" stroke="#8b1a1a" '
        'stroke-width="6"/>\n'
        f"{texts}\n</svg>\n"
    )


def _wrap(text: str, width: int) -> list[str]:
    """A cover line of `width` ems broken as the PDF breaks its display lines: between words,
    balanced (typesetting.display_lines), Chinese characters an em wide, Latin half."""
    if not text:
        return []
    return display_lines(text, float(width), _ems, lexicon().segment)


def _ems(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.5 for char in text)
