"""What several writers need from the model in the same way: dates, keywords, display lines."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache

from compiler.errors import CompilerWarning, InputError
from compiler.model import Book, Compilation, Speaker, Speech
from compiler.styles import Role, Style

KEYWORD_COUNT = 8
MAX_KEYWORD_CHARS = 8
# Characters XML 1.0 forbids: they cannot be in a .docx or an .epub at all.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def build_date() -> datetime:
    """The date a build is stamped with: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise InputError(f"SOURCE_DATE_EPOCH must be a number of seconds, not {epoch!r}") from None


def as_book(doc: Compilation | Book) -> Book:
    """The one tree every writer walks: a book, or a page as a one-part book printed as itself."""
    return doc if isinstance(doc, Book) else Book.of_page(doc)


def style_for(book: Book, style: Style) -> Style:
    """The style a writer sets `book` in: a manifest names its book's language, which wins over the
    style's, on every path of every writer (one place, so no writer can forget it)."""
    if not book.page and book.language != style.language:
        return dataclasses.replace(style, language=book.language)
    return style


SUBTITLE_DASHES = "—─- "


def plain_subtitle(doc: Compilation | Book) -> str:
    """The subtitle without its leading dash (——2025中国品牌论坛发言摘编): metadata fields and
    covers carry the words, the page carries the dash as printed."""
    return (doc.subtitle or "").lstrip(SUBTITLE_DASHES)


Locator = tuple[int, str, int, int]
"""Where a text of the book sits, the same for every writer: (part, kind, speech, index), kind one of
title (index: place in `title_block`), note (index: paragraph), signature, heading, speaker, para
(index: paragraph); speech -1 outside speeches. The EPUB marks the print edition's page starts
(from the PDF's layout) at these places."""

PageStarts = dict[Locator, list[tuple[int, int]]]
"""For each text of the book that a printed page starts in: (offset, page number) of each such
start, the offset counted in non-space characters of the text (spaces at line ends are not set)."""


def title_block(doc: Compilation) -> Iterator[tuple[Role, str]]:
    """(role, text) of the title block in reading order: series tag and kicker, title, subtitle."""
    for role, value in (
        (Role.KICKER, doc.series),
        (Role.KICKER, doc.kicker),
        (Role.TITLE, doc.title),
        (Role.SUBTITLE, doc.subtitle),
    ):
        if value:
            yield role, value
    for paragraph in doc.front_matter:  # captions, a byline, a chart source: printed small, never lost
        yield Role.CREDIT, paragraph.text


def speaker_names(book: Book) -> list[str]:
    """Each speaker's name once, in order of first appearance (across all parts of a book)."""
    return list(dict.fromkeys(s.speaker.name for part in book.parts for s in part.speeches if s.speaker))


def faces_used(style: Style) -> set[str]:
    """The East Asian faces a style's roles name."""
    return {style.roles.of(role).east_asian_font for role in Role}


def characters_to_embed(book: Book, style: Style, extra: str) -> set[int]:
    """The code points an embedded font must hold for this book: its text, the contents' title and
    the characters the writer adds itself (`extra`: spaces, leaders, folio digits)."""
    return {ord(char) for text in (*book.texts(), style.toc_title, extra) for char in text}


def contents_entry(speech: Speech) -> str:
    """A speech in the contents: its heading and its speaker's name after a full-width space (a
    Western " — " has no place in Chinese text), or whichever of the two it has."""
    return speech.label("正文", separator="\u3000")


def clipped(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis when cut (metadata fields have limits)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def speaker_line(speaker: Speaker) -> str:
    """The speaker line as printed: verbatim when the source gave one, else affiliation and name."""
    return speaker.printed


def keywords(doc: Book) -> list[str]:
    """The compilation's keywords by TF-IDF against jieba's corpus statistics, most telling first.

    Words are found by longest match against jieba's IDF table itself (up to 8 characters), not
    by a full segmentation: the same keywords on the seed (7 of the top 8 in common with
    jieba.analyse.extract_tags) at half the cost, and no dictionary load for a text without cuts.
    """
    return list(_keywords("\n".join(doc.texts())))


@lru_cache(maxsize=8)
def _keywords(text: str) -> tuple[str, ...]:
    from compiler.lexicon import idf_table

    idf, _ = idf_table()
    idf.ensure(text)
    table = idf.table
    counts: Counter[str] = Counter()
    position = 0
    while position < len(text):
        for size in range(min(MAX_KEYWORD_CHARS, len(text) - position), 1, -1):
            word = text[position : position + size]
            if word in table:
                counts[word] += 1
                position += size
                break
        else:
            position += 1
    total = sum(counts.values()) or 1
    score = {word: count * table[word] / total for word, count in counts.items()}
    return tuple(sorted(score, key=lambda word: (-score[word], word))[:KEYWORD_COUNT])


def xml_safe(text: str) -> str:
    """The text without characters XML forbids; warns once per text that had any."""
    cleaned, dropped = _XML_FORBIDDEN.subn("", text)
    if dropped:
        warnings.warn(
            CompilerWarning(f"dropped {dropped} character(s) that XML forbids, near «{cleaned[:12]}»"),
            stacklevel=2,
        )
    return cleaned


def reproducible_zip(data: bytes, when: datetime) -> bytes:
    """The same archive with every entry stamped `when` (or 1980, zip's first day): same input, same bytes.

    Entries keep their order: EPUB needs `mimetype` first (stored, not compressed), DOCX needs
    `[Content_Types].xml` first.
    """
    stamp = max(when, datetime(1980, 1, 1, tzinfo=when.tzinfo)).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()
