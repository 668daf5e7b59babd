"""EPUB writer: epubcheck clean with every option, and read back: order, text, navigation, identity."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
import warnings
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from compiler.errors import CompilerWarning
from compiler.model import Compilation, Paragraph, from_json
from compiler.styles import Style, load_style
from compiler.writers import epub as epub_writer
from tests.writers.conftest import DATA, HOSTILE_BODY, HOSTILE_TITLE, epubcheck_command, hostile

XHTML = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_OPS = "{http://www.idpf.org/2007/ops}type"


class Book:
    """An EPUB read back with nothing but zipfile and lxml."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.opf = etree.fromstring(self.zip.read("EPUB/content.opf"))

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(f"EPUB/{name}"))

    def spine(self) -> list[str]:
        hrefs = {i.get("id"): i.get("href") for i in self.opf.iterfind(".//opf:manifest/opf:item", XHTML)}
        return [hrefs[ref.get("idref")] for ref in self.opf.iterfind(".//opf:spine/opf:itemref", XHTML)]

    def paragraphs(self, name: str) -> list[str]:
        return ["".join(p.itertext()) for p in self.xml(name).iterfind(".//x:section/x:p", XHTML)]


def build(doc: Compilation, style: Style, folder: Path, name: str = "book.epub") -> Path:
    return epub_writer.write(doc, style, folder / name)


@pytest.mark.slow  # epubcheck starts a JVM: about 6 s each
@pytest.mark.parametrize("style_name", ["default", "a5", "vertical", "embedded"])
def test_epubcheck_finds_nothing(seed_doc: Compilation, tmp_path: Path, style_name: str) -> None:
    path = build(seed_doc, load_style(style_name), tmp_path)
    run = subprocess.run([*epubcheck_command(), str(path)], capture_output=True, text=True, timeout=300, check=False)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "0 fatals / 0 errors / 0 warnings" in report, report


def test_spine_text_and_navigation_follow_the_model(seed_doc: Compilation, tmp_path: Path) -> None:
    book = Book(build(seed_doc, load_style("default"), tmp_path))
    spine = book.spine()
    assert spine[:3] == ["cover.xhtml", "title.xhtml", "note.xhtml"]
    chapters = [name for name in spine if name.startswith("speech-")]
    assert len(chapters) == len(seed_doc.speeches)
    for name, speech in zip(chapters, seed_doc.speeches, strict=True):
        texts = book.paragraphs(name)
        body = [t for t in texts if speech.speaker is None or t != speech.speaker.printed]
        assert body == [p.text for p in speech.paragraphs]
        heading = book.xml(name).find(".//x:h2", XHTML)
        assert heading is not None and "".join(heading.itertext()) == speech.heading  # a page break may open it
    nav = book.xml("nav.xhtml")
    toc = next(n for n in nav.iterfind(".//x:nav", XHTML) if n.get(EPUB_OPS) == "toc")
    entries = ["".join(a.itertext()) for a in toc.iterfind(".//x:a", XHTML)]
    assert entries == [f"{s.heading}\u3000{s.speaker.name}" for s in seed_doc.speeches if s.speaker]
    assert book.paragraphs("note.xhtml")[-1] == "——编者"


def test_language_is_on_the_package_and_every_document(seed_doc: Compilation, tmp_path: Path) -> None:
    book = Book(build(seed_doc, load_style("default"), tmp_path))
    assert book.opf.findtext(".//{http://purl.org/dc/elements/1.1/}language") == "zh-CN"
    for name in book.spine():
        root = book.xml(name)
        assert root.get("lang") == "zh-CN" and root.get(XML_LANG) == "zh-CN", name


def test_metadata(seed_doc: Compilation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    book = Book(build(seed_doc, load_style("default"), tmp_path))
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert book.opf.findtext(f".//{dc}title") == seed_doc.title
    assert len(book.opf.findall(f".//{dc}creator")) == 8
    assert len(book.opf.findall(f".//{dc}subject")) >= 3
    assert book.opf.findtext(f".//{dc}description", "").startswith("习近平总书记关于")
    modified = book.opf.find(".//opf:meta[@property='dcterms:modified']", XHTML)
    assert modified is not None and modified.text == "2023-11-14T22:13:20Z"
    cover = book.opf.find(".//opf:item[@properties='cover-image']", XHTML)
    assert cover is not None and cover.get("media-type") == "image/svg+xml"


def test_identifier_is_stable_and_builds_are_reproducible(
    seed_doc: Compilation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build(seed_doc, load_style("default"), tmp_path, "a.epub").read_bytes()
    second = build(seed_doc, load_style("default"), tmp_path, "b.epub").read_bytes()
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    same_text = from_json((DATA / "seed.model.json").read_text(encoding="utf-8"))  # another object, same text
    assert same_text is not seed_doc
    assert epub_writer.identifier(same_text) == epub_writer.identifier(seed_doc)
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", epub_writer.identifier(seed_doc))
    assert epub_writer.identifier(seed_doc).encode("utf-8") in zipfile.ZipFile(io.BytesIO(first)).read(
        next(n for n in zipfile.ZipFile(io.BytesIO(first)).namelist() if n.endswith(".opf"))
    )
    other = Compilation(title="别的书", speeches=seed_doc.speeches)
    assert epub_writer.identifier(other) != epub_writer.identifier(seed_doc)


@pytest.mark.slow  # epubcheck starts a JVM: about 6 s each
def test_markup_shows_literally_and_the_book_stays_valid(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = build(hostile(), load_style("default"), tmp_path)
    book = Book(path)
    title = book.xml("title.xhtml").find(".//x:h1", XHTML)
    assert title is not None and "".join(title.itertext()) == HOSTILE_TITLE
    assert HOSTILE_BODY * 3 in book.paragraphs("speech-001.xhtml")
    assert book.paragraphs("note.xhtml")[0] == "编者按有控制字符。"
    assert any(isinstance(w.message, CompilerWarning) for w in caught)
    run = subprocess.run([*epubcheck_command(), str(path)], capture_output=True, text=True, timeout=300, check=False)
    assert "0 fatals / 0 errors / 0 warnings" in run.stdout + run.stderr, run.stdout + run.stderr


def test_embedded_fonts_hold_exactly_the_books_characters(seed_doc: Compilation, tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    book = Book(build(seed_doc, load_style("embedded"), tmp_path))
    fonts = [name for name in book.zip.namelist() if name.endswith(".ttf")]
    assert len(fonts) == 3
    used = {ord(c) for text in seed_doc.texts() for c in text}
    for name in fonts:
        cmap = set(TTFont(io.BytesIO(book.zip.read(name))).getBestCmap())
        assert used <= cmap
        assert len(cmap) < len(used) + 16  # a subset: the book's characters and a few layout ones
    css = book.zip.read("EPUB/style/book.css").decode()
    assert '@font-face { font-family: "Speech Song"' in css
    sizes = epub_writer.embedded_font_sizes(seed_doc, load_style("embedded"))
    assert 0 < sum(sizes.values()) < 2_000_000


def test_publisher_comes_from_the_style(seed_doc: Compilation, tmp_path: Path) -> None:
    from dataclasses import replace

    style = replace(load_style("default"), publisher="某某出版社")
    book = Book(build(seed_doc, style, tmp_path))
    assert book.opf.findtext(".//{http://purl.org/dc/elements/1.1/}publisher") == "某某出版社"


@pytest.mark.slow  # epubcheck starts a JVM: about 6 s each
def test_a_book_of_two_parts_passes_epubcheck(seed_doc: Compilation, tmp_path: Path) -> None:
    from compiler.model import Book

    book = Book(title="两部分的书", parts=(seed_doc, seed_doc), subtitle="测试", editor="编辑组")
    path = epub_writer.write(book, load_style("default"), tmp_path / "book.epub")
    run = subprocess.run([*epubcheck_command(), str(path)], capture_output=True, text=True, timeout=300, check=False)
    assert "0 fatals / 0 errors / 0 warnings" in run.stdout + run.stderr, run.stdout + run.stderr


def test_cover_lines_break_between_words() -> None:
    """The cover's title and subtitle lines come from the display-line breaker the PDF uses: each
    break a word boundary of the segmenter (the cover had 现代|化, 关|于, 制|度 before)."""
    from compiler.writers.epub import _wrap
    from tests.writers.composition import breaks_inside_words

    subtitle = "——深入学习贯彻习近平总书记关于坚持和完善人民代表大会制度的重要思想交流会发言摘编"
    for text, width in (("围绕推进中国式现代化履职尽责担当作为", 11), (subtitle, 18)):
        lines = _wrap(text, width)
        assert "".join(lines) == text and len(lines) > 1
        assert not breaks_inside_words(lines), lines


def test_vertical_books_set_short_numbers_upright_with_logical_margins(seed_doc: Compilation, tmp_path: Path) -> None:
    """12月 and 第3 read upright in a vertical column (one em, tate-chu-yoko); 2025 and 3.5 are
    left as they are; margins follow the writing mode; the text itself is unchanged."""
    doc = replace(
        seed_doc,
        speeches=(
            replace(
                seed_doc.speeches[0],
                paragraphs=(Paragraph("今年12月第3次会议，2025年增长3.5%，A4纸。"), *seed_doc.speeches[0].paragraphs),
            ),
            *seed_doc.speeches[1:],
        ),
    )
    vertical = Book(build(doc, load_style("vertical"), tmp_path))
    paragraphs = vertical.xml("speech-001.xhtml").iterfind(".//x:section/x:p", XHTML)
    first = next(p for p in paragraphs if "今年" in "".join(p.itertext()))
    upright = [span.text for span in first.iterfind(".//x:span[@class='tcy']", XHTML)]
    assert upright == ["12", "3"]
    assert "".join(first.itertext()) == "今年12月第3次会议，2025年增长3.5%，A4纸。"
    css = vertical.zip.read("EPUB/style/book.css").decode()
    assert "text-combine-upright: all" in css and "-webkit-text-combine: horizontal" in css
    assert "margin-inline: 5%" in css and "margin-top" not in css
    horizontal = Book(build(doc, load_style("default"), tmp_path, "horizontal.epub"))
    assert b"tcy" not in horizontal.zip.read("EPUB/speech-001.xhtml")
    assert "margin-top" in horizontal.zip.read("EPUB/style/book.css").decode()



def _text_around_page_breaks(book: Book) -> dict[int, tuple[str, str]]:
    """For every page-break marker: (text before it in its document, text after it), spaces removed."""
    found = {}
    for name in book.spine():
        if name in ("cover.xhtml", "nav.xhtml"):
            continue
        body = book.xml(name).find(".//x:body", XHTML)
        assert body is not None
        for marker in [m for m in body.iter() if m.get(EPUB_OPS) == "pagebreak"]:
            marker.text = "\ue000"  # a private-use sentinel where the marker stands
            before, after = "".join(body.itertext()).split("\ue000")
            marker.text = None
            found[int(marker.get("aria-label") or 0)] = ("".join(before.split()), "".join(after.split()))
    return found


@pytest.mark.parametrize("style_name", ["default", "a5"])
def test_the_page_list_cites_the_pages_of_the_pdf(seed_doc: Compilation, style_name: str, tmp_path: Path) -> None:
    """Every printed page that starts in the book's text has a marker just where that page's first
    line starts (checked against the PDF read back with pdftotext), and the page list links to each."""
    from compiler.writers import pdf as pdf_writer
    from tests.writers.conftest import require_tool

    style = load_style(style_name)
    book = Book(build(seed_doc, style, tmp_path))
    pdf = pdf_writer.write(seed_doc, style, tmp_path / "book.pdf")
    tool = require_tool("pdftotext")
    around = _text_around_page_breaks(book)
    assert len(around) >= 8
    for page, (before, after) in around.items():
        text = subprocess.run(
            [tool, "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        page_text = "".join(text.split())
        assert after[:12] in page_text, (page, after[:12])
        if before:  # the marker is mid-text: what precedes it was printed on the page before
            previous = subprocess.run(
                [tool, "-enc", "UTF-8", "-f", str(page - 1), "-l", str(page - 1), str(pdf), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            assert before[-12:] in "".join(previous.split()), (page, before[-12:])
    nav = book.xml("nav.xhtml")
    page_list = next(n for n in nav.iterfind(".//x:nav", XHTML) if n.get(EPUB_OPS) == "page-list")
    links = {int("".join(a.itertext())): a.get("href") for a in page_list.iterfind(".//x:a", XHTML)}
    assert sorted(links) == sorted(around)
    for page, href in links.items():
        name, anchor = href.split("#")
        assert book.xml(name).find(f".//*[@id='{anchor}']") is not None and anchor == f"page-{page}"


def test_no_page_list_when_the_style_says_so(seed_doc: Compilation, tmp_path: Path) -> None:
    book = Book(build(seed_doc, replace(load_style("default"), page_list=False), tmp_path))
    assert not _text_around_page_breaks(book)
    assert b"page-list" not in book.zip.read("EPUB/nav.xhtml")
