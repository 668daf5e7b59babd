"""PDF writer: fonts embedded, text complete and in order, page boxes, outline, clreq line breaking."""

from __future__ import annotations

import itertools
import re
import subprocess
import warnings
from pathlib import Path

import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from reportlab.lib.units import mm

from compiler.errors import CompilerWarning
from compiler.model import Compilation
from compiler.styles import Style, load_style
from compiler.typesetting import CLOSING_HALF, violations
from compiler.writers import pdf as pdf_writer
from tests.writers.composition import (
    body_lines,
    breaks_inside_words,
    glyph_rows,
    is_runt,
    leader_reaches,
    leaders,
    paragraph_lines,
    punctuation_pairs,
    set_lines,
)
from tests.writers.conftest import HOSTILE_BODY, hostile, require_tool

BODY_SIZE_TOLERANCE = 0.05


@pytest.fixture(scope="module", params=["default", "a5"])
def built(
    request: pytest.FixtureRequest, seed_doc: Compilation, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Style]:
    style = load_style(request.param)
    return pdf_writer.write(seed_doc, style, tmp_path_factory.mktemp("pdf") / "seed.pdf"), style


def test_every_font_is_embedded(built: tuple[Path, Style]) -> None:
    report = subprocess.run(
        [require_tool("pdffonts"), str(built[0])], capture_output=True, text=True, check=True
    ).stdout
    rows = report.strip().splitlines()[2:]
    assert rows, report
    for row in rows:
        columns = row.split()
        assert columns[-5] == "yes" and columns[-4] == "yes", row  # emb, sub
    assert "Helvetica" not in report


def test_every_paragraph_is_found_in_order(built: tuple[Path, Style], seed_doc: Compilation) -> None:
    path, style = built
    text = "".join(line.text for line in body_lines(set_lines(path), style))
    text = re.sub(r"\s+", "", text)
    position = 0
    for speech in seed_doc.speeches:
        for paragraph in speech.paragraphs:
            found = text.find(re.sub(r"\s+", "", paragraph.text), position)
            assert found >= 0, f"not found in order: {paragraph.text[:30]}…"
            position = found + 1


def test_no_body_line_breaks_a_prohibition_rule(built: tuple[Path, Style], seed_doc: Compilation) -> None:
    """No line made by a break starts or ends with a forbidden mark (a text's own first line may: ——编者)."""
    starts = [re.sub(r"\s+", "", text) for text in seed_doc.texts()]
    lines = [
        line.text
        for line in body_lines(set_lines(built[0]), built[1])
        if not any(start.startswith(re.sub(r"\s+", "", line.text)) for start in starts)
    ]
    assert len(lines) > 100
    assert violations(lines) == []


def test_body_lines_are_flush_on_both_sides(built: tuple[Path, Style], seed_doc: Compilation) -> None:
    """Every body line but a paragraph's last ends exactly at the right edge of the text block. A
    closing mark that ends a line may be set up to half-width (its ink is in the left half of its em):
    its glyph box then passes the edge by the part taken, and never by more than half an em."""
    path, style = built
    lines = body_lines(set_lines(path), style)
    paragraphs = [re.sub(r"\s+", "", p.text) for s in seed_doc.speeches for p in s.paragraphs]
    page = style.page
    bleed = page.bleed_mm * mm
    ragged = []
    current, index = "", 0
    for line in lines:
        current += re.sub(r"\s+", "", line.text)
        if index >= len(paragraphs) or not paragraphs[index].startswith(current):
            current = ""  # not running text (a TOC entry set in the body face)
            continue
        if current == paragraphs[index]:
            current, index = "", index + 1  # a paragraph's last line: ragged is right
            continue
        recto = (line.page + 1) % 2 == 1
        right = bleed + (page.width_mm - (page.margin_outer_mm if recto else page.margin_inner_mm)) * mm
        squeezable = style.roles.body.size_pt / 2 if line.text.rstrip()[-1:] in CLOSING_HALF else 0.0
        if not right - 0.5 <= line.x1 <= right + squeezable + 0.5:
            ragged.append(f"page {line.page + 1}: {line.text[:16]}… ends at {line.x1:.1f}, not {right:.1f}")
    assert index == len(paragraphs)
    assert ragged == []


def test_page_boxes(built: tuple[Path, Style]) -> None:
    path, style = built
    with path.open("rb") as stream:
        page = next(PDFPage.get_pages(stream))
        bleed = style.page.bleed_mm * mm
        width, height = style.page.width_mm * mm, style.page.height_mm * mm
        assert page.mediabox == pytest.approx([0, 0, width + 2 * bleed, height + 2 * bleed], abs=0.01)
        trim = page.attrs["TrimBox"]
        assert trim == pytest.approx([bleed, bleed, bleed + width, bleed + height], abs=0.01)
        assert page.attrs["BleedBox"] == pytest.approx(page.mediabox, abs=0.01)


def test_outline_titles_are_the_speech_headings(built: tuple[Path, Style], seed_doc: Compilation) -> None:
    with built[0].open("rb") as stream:
        document = PDFDocument(PDFParser(stream))
        titles = [title for _level, title, *_ in document.get_outlines()]
    assert titles == [s.heading for s in seed_doc.speeches]


def test_qpdf_finds_no_damage_and_text_is_cmyk(built: tuple[Path, Style], tmp_path: Path) -> None:
    qpdf = require_tool("qpdf")
    check = subprocess.run([qpdf, "--check", str(built[0])], capture_output=True, text=True, check=False)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout
    plain = tmp_path / "plain.pdf"
    subprocess.run([qpdf, "--qdf", "--object-streams=disable", str(built[0]), str(plain)], check=True)
    content = plain.read_bytes()
    assert b" k\n" in content or b" k " in content
    assert not re.search(rb"[\d.]+ [\d.]+ [\d.]+ rg", content)


def test_crop_marks_make_room_outside_the_bleed(seed_doc: Compilation, tmp_path: Path) -> None:
    style = load_style("default")
    from dataclasses import replace

    marked = replace(style, page=replace(style.page, crop_marks=True))
    path = pdf_writer.write(seed_doc, marked, tmp_path / "marks.pdf")
    with path.open("rb") as stream:
        page = next(PDFPage.get_pages(stream))
    outside = (style.page.bleed_mm + pdf_writer.CROP_MARK_MM) * mm
    assert page.mediabox[2] == pytest.approx(style.page.width_mm * mm + 2 * outside, abs=0.01)
    assert page.attrs["TrimBox"][0] == pytest.approx(outside, abs=0.01)


def test_markup_and_characters_missing_from_the_fonts_still_build(tmp_path: Path) -> None:
    doc = hostile()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = pdf_writer.write(doc, load_style("default"), tmp_path / "hostile.pdf")
    check = subprocess.run([require_tool("qpdf"), "--check", str(path)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout
    messages = [str(w.message) for w in caught if isinstance(w.message, CompilerWarning)]
    assert any("U+1F600" in m and "U+20000" in m for m in messages), messages
    text = "".join(line.text for line in set_lines(path))
    assert re.sub(r"\s+", "", HOSTILE_BODY).replace("😀", "").replace("𠀀", "") in re.sub(r"\s+", "", text)


def test_no_runts(built: tuple[Path, Style], seed_doc: Compilation) -> None:
    """No paragraph ends in a line of fewer than three characters besides punctuation."""
    path, style = built
    paragraphs = [lines for lines in paragraph_lines(set_lines(path), seed_doc.speeches, style) if len(lines) > 1]
    assert len(paragraphs) >= 30
    runts = [lines[-1].text for lines in paragraphs if is_runt(lines)]
    assert not runts, runts


@pytest.mark.parametrize("style_name", ["default", "a5"])
def test_no_orphans_or_widows(seed_doc: Compilation, tmp_path: Path, style_name: str) -> None:
    """A paragraph's first line never ends a page alone, nor its last line starts one alone."""
    from dataclasses import replace

    # Paragraphs three times as long as the seed's, so that many of them cross a page break.
    long = replace(
        seed_doc,
        speeches=tuple(
            replace(s, paragraphs=tuple(replace(p, text=p.text * 3) for p in s.paragraphs)) for s in seed_doc.speeches
        ),
    )
    style = load_style(style_name)
    path = pdf_writer.write(long, style, tmp_path / "long.pdf")
    pages_of = [[line.page for line in lines] for lines in paragraph_lines(set_lines(path), long.speeches, style)]
    split = [pages for pages in pages_of if len(set(pages)) > 1]
    assert len(split) >= 5, "too few paragraphs cross a page for the check to mean anything"
    for pages in split:
        assert pages[0] == pages[1] and pages[-1] == pages[-2], pages


def test_adjacent_punctuation_pairs_are_compressed(built: tuple[Path, Style]) -> None:
    """clreq §3.1.6 read back from the PDF: two marks side by side span at most 1.6 em (1.5 em and
    the line's justification), where each alone would take 2 em."""
    path, _ = built
    pairs = punctuation_pairs(glyph_rows(path))
    assert len(pairs) >= 10, pairs  # the seed has 22 such pairs
    wide = [(pair, round(span, 2)) for pair, span in pairs if span > 1.6]
    assert not wide, wide


def test_pdf_version_and_document_language(built: tuple[Path, Style]) -> None:
    """PDF 1.4 or later, and /Lang in the catalogue (ISO 32000-1 §14.9.2), so that readers and
    preflight know the text is Chinese."""
    path, _ = built
    assert path.read_bytes()[:8] == b"%PDF-1.4"
    with path.open("rb") as stream:
        catalogue = PDFDocument(PDFParser(stream)).catalog
        assert catalogue["Lang"] == b"zh-CN"


def test_contents_leaders_run_to_their_page_numbers(built: tuple[Path, Style]) -> None:
    """Each contents line's dots end a quarter em before its number, at most half an em, and are
    evenly spaced (read back from the PDF)."""
    path, _ = built
    found = leaders(glyph_rows(path))
    assert len(found) == 8, len(found)  # one per speech of the seed
    for dots, number in found:
        size = dots[0][3]
        assert leader_reaches(dots, number), (number, dots[-1])
        steps = [b[1] - a[1] for a, b in itertools.pairwise(dots)]
        assert all(abs(step - size / 2) < 0.01 for step in steps), steps


@pytest.mark.parametrize("style_name", ["default", "a5"])
def test_no_running_head_above_a_speech_heading(seed_doc: Compilation, tmp_path: Path, style_name: str) -> None:
    """A page where a speech opens prints its heading, not the same words again in the head (the
    seed's speeches made three times as long, so that some pages open none)."""
    from dataclasses import replace

    long = replace(
        seed_doc,
        speeches=tuple(
            replace(s, paragraphs=tuple(replace(p, text=p.text * 3) for p in s.paragraphs)) for s in seed_doc.speeches
        ),
    )
    style = load_style(style_name)
    lines = set_lines(pdf_writer.write(long, style, tmp_path / "long.pdf"))
    heads = {line.page for line in lines if abs(line.size - pdf_writer.RUNNING_HEAD_PT) < BODY_SIZE_TOLERANCE}
    heading_size = style.roles.heading.size_pt
    headings = [re.sub(r"\s+", "", s.heading or "") for s in seed_doc.speeches]
    opening = {
        line.page
        for line in lines
        if abs(line.size - heading_size) < BODY_SIZE_TOLERANCE
        and any(h.startswith(re.sub(r"\s+", "", line.text)) for h in headings)
    }
    assert heads and opening, (heads, opening)  # both kinds of page exist
    assert not heads & opening


def test_display_lines_break_between_words(built: tuple[Path, Style], seed_doc: Compilation) -> None:
    """The title page's kicker and subtitle, read back line by line, break only where the
    segmenter puts a word boundary (the a5 subtitle broke 人民|代表大会 before)."""
    path, style = built
    lines = [line for line in set_lines(path) if line.page == 0]
    checked = 0
    displays = ((seed_doc.kicker, style.roles.kicker.size_pt), (seed_doc.subtitle, style.roles.subtitle.size_pt))
    for text, size in displays:
        assert text
        compact = re.sub(r"\s+", "", text)
        shown = [re.sub(r"\s+", "", line.text) for line in lines if abs(line.size - size) < BODY_SIZE_TOLERANCE]
        shown = [part for part in shown if part and part in compact]
        assert "".join(shown) == compact, shown
        assert not breaks_inside_words(shown), shown
        checked += len(shown) - 1
    assert checked >= 1  # at least one display text takes two lines


def test_body_lines_sit_on_one_baseline_grid(built: tuple[Path, Style]) -> None:
    """Every body line on every page lies a whole number of body leadings below the first body line
    of the page with the highest one: facing pages share one grid (a5 was 0.37 line off)."""
    path, style = built
    grid = style.roles.body.size_pt * style.roles.body.leading
    tops = [line.y0 for line in body_lines(set_lines(path), style)]
    origin = min(tops)
    offsets = [((top - origin) / grid) % 1.0 for top in tops]
    assert len(tops) > 100
    assert all(min(offset, 1.0 - offset) < 0.02 for offset in offsets), sorted(set(round(o, 2) for o in offsets))


def test_a_long_contents_entry_hangs_its_turnover(seed_doc: Compilation, tmp_path: Path) -> None:
    """An entry longer than its line continues an em inside its start, the number on its last line."""
    from dataclasses import replace

    long_heading = "坚持和完善人民代表大会制度" * 4
    first = replace(seed_doc.speeches[0], heading=long_heading)
    doc = replace(seed_doc, speeches=(first, *seed_doc.speeches[1:]))
    style = load_style("default")
    path = pdf_writer.write(doc, style, tmp_path / "toc.pdf")
    size = style.roles.body.size_pt
    entry = [line for line in body_lines(set_lines(path), style) if line.page == 1][:3]
    assert long_heading.startswith(re.sub(r"\s+", "", entry[0].text))
    assert abs(entry[1].x0 - entry[0].x0 - size) < 0.5, (entry[0].x0, entry[1].x0)


@pytest.mark.parametrize("style_name", ["default", "a5"])
def test_pagination_resumed_from_a_page_is_pagination_from_the_start(seed_doc: Compilation, style_name: str) -> None:
    """Evening a spread re-paginates from the page set short, not from the first page (and takes
    over the earlier result once it opens a page where that one did): whatever page is set short,
    the pages come out as paginating the whole book again gives them."""
    from compiler.model import Book
    from compiler.writers.common import style_for

    book = Book(title="三次", parts=(seed_doc,) * 3)  # a book of three parts: a title page, contents, 40 pages
    style = style_for(book, load_style(style_name))
    fonts = pdf_writer._Fonts(pdf_writer.fallback_files(style.fallback_fonts, style.source.parent))
    width = (style.page.width_mm - style.page.margin_inner_mm - style.page.margin_outer_mm) * mm
    boxes = list(pdf_writer._boxes(book, style, fonts, width))
    whole = pdf_writer._paginate(boxes, style)

    def placed(pages: list[pdf_writer._Page]) -> list[list[tuple[int, int, float]]]:
        return [[(id(box), id(line), top) for box, line, top in page.placed] for page in pages]

    assert len(whole[0]) > 8
    changed = taken_over = 0
    for short in range(1, len(whole[0]) - 1, 3):
        depth = pdf_writer._depth(whole[0][short]) - 2 * style.roles.body.size_pt * style.roles.body.leading
        limits = {short: depth}
        resumed = pdf_writer._paginate(boxes, style, limits, resume=(whole, short))
        afresh = pdf_writer._paginate(boxes, style, limits)
        assert placed(resumed[0]) == placed(afresh[0]), f"page {short + 1} set short"
        assert [c.key() for c in resumed[1]] == [c.key() for c in afresh[1]]
        changed += placed(afresh[0]) != placed(whole[0])
        taken_over += resumed[0][-1] is whole[0][-1]  # the earlier pages' tail taken over, not set again
    assert changed and taken_over  # both paths were walked


def test_a_speech_without_body_text_shares_the_next_speechs_page(seed_doc: Compilation) -> None:
    """In a style that opens every speech on a new page (a5), a speech holding only a label the
    tagger made a caption (民主政治 over the speeches after it) must not take a page of its own."""
    from dataclasses import replace

    from compiler.model import Paragraph, ParagraphRole, Speech

    label = Speech(heading=None, speaker=None, paragraphs=(Paragraph(text="民主政治", role=ParagraphRole.CAPTION),))
    doc = replace(seed_doc, speeches=(seed_doc.speeches[0], label, *seed_doc.speeches[1:3]))
    starts = pdf_writer.page_starts(doc, load_style("a5"))  # the first text of each page
    assert (0, "para", 1, 0) in starts  # the label opens a page after the first speech
    assert (0, "heading", 2, 0) not in starts  # and the next speech's heading follows it there
    assert (0, "heading", 3, 0) in starts  # while speeches with text still open their own
