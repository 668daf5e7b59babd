"""DOCX: the editable edition that goes back to editors, built on real paragraph styles.

Every kind of text gets a named style (Title, Subtitle, Heading 1, and custom styles for the
speaker line, the editor's note, its signature and the body), so Word's navigation pane, outline
and table of contents work and an editor restyles the book in one place. Chinese fonts are set
the way Word reads them: `w:rFonts w:eastAsia` beside the Latin face, and the first-line indent
in characters (`w:firstLineChars`).
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Literal, assert_never

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from compiler.fonts import FACES, FAMILIES, subset_faces
from compiler.model import Book, Compilation, ParagraphRole, Speech
from compiler.output import write_atomically
from compiler.styles import Role, Style, TextStyle
from compiler.writers.common import (
    as_book,
    build_date,
    characters_to_embed,
    clipped,
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

CORE_PROPERTY_LIMIT = 255
"""python-docx (and Word) refuse longer core properties (found on a 100× seed: 800 speakers)."""
# Word's own style names where Word has one (navigation and TOC rely on them), ours elsewhere.
STYLE_NAMES: dict[Role, str] = {
    Role.KICKER: "Kicker",
    Role.TITLE: "Title",
    Role.SUBTITLE: "Subtitle",
    Role.NOTE: "Editor Note",
    Role.SIGNATURE: "Editor Note Signature",
    Role.TOC: "TOC Title",
    Role.HEADING: "Heading 1",
    Role.SPEAKER: "Speaker",
    Role.BODY: "Speech Body",
    Role.SUBHEADING: "Heading 2",
    Role.CREDIT: "Speech Credit",
}
BookLevel = Literal["part", "book-heading", "book-subheading"]
"""In a book of several parts, headings move down a level under the part titles."""
BOOK_STYLE_NAMES: dict[BookLevel, str] = {
    "part": "Heading 1",
    "book-heading": "Heading 2",
    "book-subheading": "Heading 3",
}
BOOK_ROLE_LOOKS: dict[BookLevel, Role] = {
    "part": Role.TITLE,
    "book-heading": Role.HEADING,
    "book-subheading": Role.SUBHEADING,
}
BOOK_LEVELS: dict[Role, BookLevel] = {Role.HEADING: "book-heading", Role.SUBHEADING: "book-subheading"}
Block = tuple[Role | BookLevel | Literal["toc-field"], str]
"""A paragraph to write: its kind (a role, a book level, or where the TOC field goes) and its text."""
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def write(doc: Compilation | Book, style: Style, out: Path) -> Path:
    """Write a page, or a book of several (parts as Heading 1, speeches as Heading 2), as .docx."""
    book = as_book(doc)
    style = style_for(book, style)
    document = Document()
    _without_template_leftovers(document, style)
    _page_setup(document, style)
    embedded_faces = faces_used(style) if style.embed_fonts else set()
    if embedded_faces:
        style = _naming_embedded_faces(style)
    _define_styles(document, style)
    if not book.page:
        _define_book_styles(document, style)
    style_ids: dict[Role | BookLevel, str] = {
        role: document.styles[name].style_id for role, name in STYLE_NAMES.items()
    }
    style_ids.update((level, document.styles[name].style_id) for level, name in BOOK_STYLE_NAMES.items())
    after_contents = False
    for role, text in _blocks(book, style):
        if role == "toc-field":
            _add_toc_field(document, book)
            after_contents = True
            continue
        paragraph = _add_styled(document, xml_safe(text), style_ids[role])
        if role is Role.TOC or after_contents:  # the contents on pages of their own
            paragraph.paragraph_format.page_break_before = True
            after_contents = False
    speeches_style = STYLE_NAMES[Role.HEADING] if book.page else BOOK_STYLE_NAMES["book-heading"]
    first_heading = next((s.heading for part in book.parts for s in part.speeches if s.heading), None)
    _header_and_footer(document, book.title, style, speeches_style, first_heading)
    _core_properties(
        document, book.parts[0], style, title=book.title, speakers=speaker_names(book), words=keywords(book)
    )
    _ask_to_update_fields(document)
    if embedded_faces:
        _embed_fonts(document, subset_faces(embedded_faces, characters_to_embed(book, style, "0123456789 \u3000")))
    buffer = io.BytesIO()
    document.save(buffer)
    return write_atomically(out, reproducible_zip(buffer.getvalue(), build_date()))


JAPANESE_FACES = ("ＭＳ 明朝", "ＭＳ ゴシック", "MS Mincho", "MS Gothic")
"""Faces python-docx's template lists in its font table: Word would offer them for Chinese text."""


def _without_template_leftovers(document: DocumentObject, style: Style) -> None:
    """python-docx's template is Japanese-flavoured: its theme language for East Asian text is ja-JP,
    its font table lists ＭＳ 明朝 and ＭＳ ゴシック, and its Subtitle is letter-spaced. The book's
    language, no Japanese faces, no letter spacing."""
    theme_language = document.settings.element.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:eastAsia"), style.language)
    part = _font_table_part(document)
    table = parse_xml(part.blob)
    for font in list(table):
        if font.get(qn("w:name")) in JAPANESE_FACES:
            table.remove(font)
    part._blob = serialize_part_xml(table)
    subtitle = document.styles["Subtitle"].element.rPr
    if subtitle is not None:
        for spacing in subtitle.findall(qn("w:spacing")):
            subtitle.remove(spacing)


def _font_table_part(document: DocumentObject) -> Part:
    """word/fontTable.xml, which python-docx keeps as a plain part (its XML edited as bytes)."""
    found: Part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    return found


OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_FONT_KEYS = uuid.UUID("0c6c5a8e-5d1b-4a8f-9f3e-2b7d9c1e4f60")  # ours: font keys are uuid5 in it
_FONT_CHILDREN_AFTER_ALT_NAME = ("w:charset", "w:family", "w:pitch")


def _naming_embedded_faces(style: Style) -> Style:
    """The style with each role's East Asian face named as the embedded file names itself (Speech
    Song…): Word and LibreOffice match a run's font to an embedded one by that name."""
    renamed = {
        role.value: replace(style.roles.of(role), east_asian_font=FAMILIES[style.roles.of(role).east_asian_font])
        for role in Role
        if style.roles.of(role).east_asian_font in FAMILIES
    }
    return replace(style, roles=replace(style.roles, **renamed))


def _embed_fonts(document: DocumentObject, fonts: dict[str, bytes]) -> None:
    """The bundled faces, subset to the book's characters (and the folios' digits), inside the file
    (ECMA-376 Part 1, 17.8.1: each an obfuscated part of the font table, named in it with its Chinese
    name as `altName`), so Song body, Hei headings and Kai speaker lines show on a machine without
    them."""
    package = document.part.package
    table_part = _font_table_part(document)
    table = parse_xml(table_part.blob)
    for n, (face, data) in enumerate(sorted(fonts.items()), start=1):
        key = uuid.uuid5(_FONT_KEYS, f"{FACES[face]}/{hashlib.sha256(data).hexdigest()}")
        part = Part(PackURI(f"/word/fonts/font{n}.odttf"), OBFUSCATED_FONT, _obfuscated(data, key), package)
        relation = table_part.relate_to(part, RELATIONSHIP_TYPE.FONT)
        table.append(_font_entry(FAMILIES[face], face, relation, key))
    table_part._blob = serialize_part_xml(table)
    settings = document.settings.element
    zoom = settings.find(qn("w:zoom"))
    at = 0 if zoom is None else list(settings).index(zoom) + 1
    for n, name in enumerate(("w:embedTrueTypeFonts", "w:saveSubsetFonts")):
        settings.insert(at + n, OxmlElement(name))


def _font_entry(family: str, face: str, relation: str, key: uuid.UUID) -> object:
    """A font table entry for an embedded face: its name, the Chinese name readers know it by, and
    the embedded data for regular and bold (the Hei file is bold already: no synthetic bold)."""
    font = OxmlElement("w:font")
    font.set(qn("w:name"), family)
    alternative = OxmlElement("w:altName")
    alternative.set(qn("w:val"), face)
    font.append(alternative)
    for name, value in zip(_FONT_CHILDREN_AFTER_ALT_NAME, ("86", "auto", "variable"), strict=True):
        child = OxmlElement(name)
        child.set(qn("w:val"), value)
        font.append(child)
    for kind in ("w:embedRegular", "w:embedBold"):
        embedded = OxmlElement(kind)
        embedded.set(qn("r:id"), relation)
        embedded.set(qn("w:fontKey"), "{" + str(key).upper() + "}")
        font.append(embedded)
    return font


def _obfuscated(data: bytes, key: uuid.UUID) -> bytes:
    """ECMA-376's font obfuscation: the first 32 bytes XORed with the key's 16 bytes, read from the
    GUID's last hex pair to its first."""
    mask = bytes.fromhex(key.hex)[::-1]
    head = bytes(byte ^ mask[n % 16] for n, byte in enumerate(data[:32]))
    return head + data[32:]


def _blocks(book: Book, style: Style) -> Iterator[Block]:
    """(kind, text) for every paragraph, in reading order. A page opens with its own title block and
    note; a book with its title page, then each part's title (Heading 1), note and speeches
    (Heading 2)."""
    if book.page:
        yield from title_block(book.parts[0])
        yield from _note_blocks(book.parts[0])
    else:
        yield Role.TITLE, book.title
        for role, value in ((Role.SUBTITLE, book.subtitle), (Role.KICKER, book.editor)):
            if value:
                yield role, value
    if style.toc and (not book.page or book.parts[0].speeches):
        yield Role.TOC, style.toc_title
        yield "toc-field", ""  # the entries are written by _add_toc_field
    for part in book.parts:
        if not book.page:
            for role, value in title_block(part):
                yield ("part" if role is Role.TITLE else role), value
            yield from _note_blocks(part)
        for speech in part.speeches:
            for role, value in _speech_blocks(speech):
                yield (role if book.page else BOOK_LEVELS.get(role, role)), value


def _note_blocks(doc: Compilation) -> Iterator[tuple[Role, str]]:
    if doc.editor_note is not None:
        for paragraph in doc.editor_note.paragraphs:
            yield Role.NOTE, paragraph.text
        if doc.editor_note.signature:
            yield Role.SIGNATURE, doc.editor_note.signature


def _define_book_styles(document: DocumentObject, style: Style) -> None:
    """In a book, parts take Heading 1 (set like a title, each on a new page), speeches Heading 2."""
    for role, name in BOOK_STYLE_NAMES.items():
        docx_style = _paragraph_style_or_new(document, name)
        _apply_text_style(docx_style, style.roles.of(BOOK_ROLE_LOOKS[role]))
        docx_style.paragraph_format.keep_with_next = True
        docx_style.paragraph_format.page_break_before = role == "part" or (
            role == "book-heading" and style.speech_starts_new_page
        )


def _paragraph_style_or_new(document: DocumentObject, name: str) -> ParagraphStyle:
    try:
        found = document.styles[name]
    except KeyError:
        found = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        found.base_style = document.styles["Normal"]
    assert isinstance(found, ParagraphStyle)
    return found


def _speech_blocks(speech: Speech) -> Iterator[tuple[Role, str]]:
    if speech.heading:
        yield Role.HEADING, speech.heading
    if speech.speaker is not None:
        yield Role.SPEAKER, speaker_line(speech.speaker)
    for paragraph in speech.paragraphs:
        match paragraph.role:  # a new role fails here (and in mypy) until it has a style
            case ParagraphRole.BODY:
                yield Role.BODY, paragraph.text
            case ParagraphRole.SUBHEADING:
                yield Role.SUBHEADING, paragraph.text
            case ParagraphRole.BYLINE | ParagraphRole.CREDIT | ParagraphRole.CAPTION:
                yield Role.CREDIT, paragraph.text
            case _:
                assert_never(paragraph.role)


def _page_setup(document: DocumentObject, style: Style) -> None:
    section = document.sections[0]
    page = style.page
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.top_margin, section.bottom_margin = Mm(page.margin_top_mm), Mm(page.margin_bottom_mm)
    section.left_margin, section.right_margin = Mm(page.margin_inner_mm), Mm(page.margin_outer_mm)
    # Mirror margins: inner and outer swap on even pages, as in a bound book.
    settings = document.settings.element
    if settings.find(qn("w:mirrorMargins")) is None:
        settings.append(OxmlElement("w:mirrorMargins"))


def _define_styles(document: DocumentObject, style: Style) -> None:
    """Create or adjust one paragraph style per role, and set Chinese as the East Asian language."""
    _set_document_language(document, style.language)
    for role, name in STYLE_NAMES.items():
        try:
            docx_style = document.styles[name]
        except KeyError:
            docx_style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            docx_style.base_style = document.styles["Normal"]
            docx_style.quick_style = True
        assert isinstance(docx_style, ParagraphStyle)
        _apply_text_style(docx_style, style.roles.of(role))
        if role is Role.HEADING:
            docx_style.paragraph_format.page_break_before = style.speech_starts_new_page
            docx_style.paragraph_format.keep_with_next = True
        if role in (Role.SPEAKER, Role.SUBHEADING):
            docx_style.paragraph_format.keep_with_next = True
    _apply_text_style(_paragraph_style(document, "Normal"), style.roles.body)


def _paragraph_style(document: DocumentObject, name: str) -> ParagraphStyle:
    found = document.styles[name]
    assert isinstance(found, ParagraphStyle)
    return found


def _apply_text_style(docx_style: ParagraphStyle, text: TextStyle) -> None:
    font = docx_style.font
    font.name = text.latin_font
    font.size = Pt(text.size_pt)
    font.bold = text.bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    fonts = docx_style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the names below
    fonts.set(qn("w:eastAsia"), text.east_asian_font)
    fonts.set(qn("w:ascii"), text.latin_font)
    fonts.set(qn("w:hAnsi"), text.latin_font)
    paragraph = docx_style.paragraph_format
    paragraph.alignment = _ALIGN[text.align]
    paragraph.line_spacing = text.leading
    paragraph.space_before = Pt(text.space_before_pt)
    paragraph.space_after = Pt(text.space_after_pt)
    _set_first_line_chars(docx_style, text)
    _drop_borders(docx_style)


def _set_first_line_chars(docx_style: ParagraphStyle, text: TextStyle) -> None:
    _set_first_line_chars_value(docx_style, text.first_line_indent_chars, text.size_pt)


def _set_first_line_chars_value(docx_style: ParagraphStyle, chars: float, size_pt: float = 0.0) -> None:
    """Indent in characters (Word's firstLineChars, hundredths), with the twips value for others."""
    indent = docx_style.element.get_or_add_pPr().get_or_add_ind()
    indent.set(qn("w:firstLineChars"), str(round(chars * 100)))
    indent.set(qn("w:firstLine"), str(round(chars * size_pt * 20)))


def _drop_borders(docx_style: ParagraphStyle) -> None:
    """Word's Title style has a rule under it; a Chinese title page has none."""
    properties = docx_style.element.pPr
    if properties is not None:
        for border in properties.findall(qn("w:pBdr")):
            properties.remove(border)


def _set_document_language(document: DocumentObject, language: str) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _add_styled(document: DocumentObject, text: str, style_id: str) -> DocxParagraph:
    """A paragraph in a style given by id: python-docx's lookup by name scans every style each time
    (0.2 s for the seed's 77 paragraphs)."""
    paragraph = document.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def _add_toc_field(document: DocumentObject, book: Book) -> None:
    """A TOC field whose shown result already lists the speech headings (page numbers come when
    Word or LibreOffice update it), so the contents read right even before an update."""
    if "toc 1" not in [s.name for s in document.styles]:
        entry_style = document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
        entry_style.base_style = document.styles["Normal"]
        assert isinstance(entry_style, ParagraphStyle)
        entry_style.paragraph_format.first_line_indent = Pt(0)
        _set_first_line_chars_value(entry_style, 0)
    headings = [
        xml_safe(h)
        for part in book.parts
        for h in ["" if book.page else part.title or "", *(s.heading or "" for s in part.speeches)]
        if h
    ]
    headings = headings or ["（更新域以生成目录）"]
    entry_id = document.styles["toc 1"].style_id
    paragraphs = [_add_styled(document, "", entry_id) for _ in headings]
    _add_field_char(paragraphs[0], "begin")
    _add_instruction(paragraphs[0], 'TOC \\o "1-2" \\h \\z \\u')
    _add_field_char(paragraphs[0], "separate")
    for paragraph, heading in zip(paragraphs, headings, strict=True):
        paragraph.add_run(heading)
    _add_field_char(paragraphs[-1], "end")


def _add_field(paragraph: DocxParagraph, instruction: str, placeholder: str) -> None:
    """A complex field (begin, instruction, separate, shown result, end) that Word updates."""
    _add_field_char(paragraph, "begin")
    _add_instruction(paragraph, instruction)
    _add_field_char(paragraph, "separate")
    paragraph.add_run(placeholder)
    _add_field_char(paragraph, "end")


def _add_instruction(paragraph: DocxParagraph, instruction: str) -> None:
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    paragraph.add_run()._r.append(text)


def _add_field_char(paragraph: DocxParagraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        char.set(qn("w:dirty"), "true")  # ask the reader to recompute the result
    paragraph.add_run()._r.append(char)


def _header_and_footer(
    document: DocumentObject, title: str | None, style: Style, speeches_style: str, first_heading: str | None
) -> None:
    """Running heads as the PDF prints them: the book's title on even pages, the current speech's
    heading on odd ones (a STYLEREF field to the speeches' heading style, which Word and LibreOffice
    fill page by page); page numbers centred in the footer; neither on the title page."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    document.settings.odd_and_even_pages_header_footer = True
    if style.running_heads and title:
        even = section.even_page_header.paragraphs[0]
        even.text = xml_safe(title)
        odd = section.header.paragraphs[0]
        _add_field(odd, f'STYLEREF "{speeches_style}"', xml_safe(first_heading or title))
        for head in (even, odd):
            head.style = _paragraph_style(document, "Header")
            head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if style.folios:
        for footer in (section.footer, section.even_page_footer):
            folio = footer.paragraphs[0]
            folio.style = _paragraph_style(document, "Footer")
            folio.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_field(folio, "PAGE", "1")


def _core_properties(
    document: DocumentObject,
    doc: Compilation,
    style: Style,
    *,
    title: str | None,
    speakers: list[str],
    words: list[str],
) -> None:
    """Title, author, subject, keywords, dates; Word limits each text property to 255 characters."""
    properties = document.core_properties
    properties.title = clipped(xml_safe(title or ""), CORE_PROPERTY_LIMIT)
    properties.subject = clipped(xml_safe(plain_subtitle(doc)), CORE_PROPERTY_LIMIT)
    properties.author = clipped(xml_safe("、".join(speakers)), CORE_PROPERTY_LIMIT)
    properties.keywords = clipped(xml_safe(", ".join(words)), CORE_PROPERTY_LIMIT)
    properties.language = style.language
    when = build_date()
    properties.created = when
    properties.modified = when
    properties.last_modified_by = "speech-compiler"
    if style.publisher:
        properties.category = clipped(xml_safe(style.publisher), CORE_PROPERTY_LIMIT)  # no publisher field
    properties.revision = 1


def _ask_to_update_fields(document: DocumentObject) -> None:
    """Word and LibreOffice then fill the table of contents and page numbers on opening."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
