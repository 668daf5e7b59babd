"""DOCX writer: read back with python-docx, and converted by LibreOffice as an editor would."""

from __future__ import annotations

import io
import re
import subprocess
import warnings
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from compiler.errors import CompilerWarning
from compiler.model import Compilation, ParagraphRole
from compiler.styles import Style, load_style
from compiler.writers import docx as docx_writer
from tests.writers.conftest import HOSTILE_BODY, HOSTILE_TITLE, hostile, require_tool


def expected_sequence(doc: Compilation) -> list[tuple[str, str]]:
    """(style, text) as an editor expects them, written out here rather than taken from the writer."""
    out: list[tuple[str, str]] = []
    if doc.kicker:
        out.append(("Kicker", doc.kicker))
    if doc.title:
        out.append(("Title", doc.title))
    if doc.subtitle:
        out.append(("Subtitle", doc.subtitle))
    if doc.editor_note:
        out += [("Editor Note", p.text) for p in doc.editor_note.paragraphs]
        if doc.editor_note.signature:
            out.append(("Editor Note Signature", doc.editor_note.signature))
    for speech in doc.speeches:
        if speech.heading:
            out.append(("Heading 1", speech.heading))
        if speech.speaker:
            out.append(("Speaker", speech.speaker.printed))
        out += [(_DOCX_STYLE_OF_ROLE[p.role], p.text) for p in speech.paragraphs]
    return out


_DOCX_STYLE_OF_ROLE = {
    ParagraphRole.BODY: "Speech Body",
    ParagraphRole.SUBHEADING: "Heading 2",
    ParagraphRole.BYLINE: "Speech Credit",
    ParagraphRole.CREDIT: "Speech Credit",
    ParagraphRole.CAPTION: "Speech Credit",
}


def written(doc: Compilation, style: Style, tmp_path: Path) -> docx.document.Document:
    path = docx_writer.write(doc, style, tmp_path / "out.docx")
    return docx.Document(str(path))


def test_style_and_text_sequence_equals_the_model(seed_doc: Compilation, style: Style, tmp_path: Path) -> None:
    document = written(seed_doc, style, tmp_path)
    got = [(p.style.name, p.text) for p in document.paragraphs if p.style.name not in ("TOC Title", "toc 1")]
    assert got == expected_sequence(seed_doc)
    toc = [p.text for p in document.paragraphs if p.style.name == "TOC Title"]
    assert toc == [style.toc_title]


def test_chinese_fonts_and_indent_are_on_the_styles(seed_doc: Compilation, tmp_path: Path) -> None:
    document = written(seed_doc, load_style("default"), tmp_path)

    def east_asian(name: str) -> str | None:
        fonts = document.styles[name].element.rPr.rFonts
        return fonts.get(qn("w:eastAsia"))

    assert east_asian("Speech Body") == "宋体"
    assert east_asian("Heading 1") == "黑体"
    assert east_asian("Speaker") == "楷体"
    assert east_asian("Editor Note") == "楷体"
    indent = document.styles["Speech Body"].element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"
    body = document.styles["Speech Body"].paragraph_format
    assert body.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.line_spacing == pytest.approx(1.7)
    # No paragraph carries direct font settings: the styles do it all.
    assert not any(run.font.name or run.font.size for p in document.paragraphs for run in p.runs)


def test_page_size_margins_header_and_footer(seed_doc: Compilation, style: Style, tmp_path: Path) -> None:
    document = written(seed_doc, style, tmp_path)
    section = document.sections[0]
    assert abs(section.page_width - Mm(style.page.width_mm)) < Mm(0.1)
    assert abs(section.page_height - Mm(style.page.height_mm)) < Mm(0.1)
    assert abs(section.left_margin - Mm(style.page.margin_inner_mm)) < Mm(0.1)
    assert section.different_first_page_header_footer  # the title page has no head and no folio
    assert not section.first_page_header.paragraphs[0].text and not section.first_page_footer.paragraphs[0].text
    assert document.settings.odd_and_even_pages_header_footer
    assert section.even_page_header.paragraphs[0].text == seed_doc.title
    assert 'STYLEREF "Heading 1"' in section.header.paragraphs[0]._p.xml  # odd pages: the current speech
    for footer in (section.footer, section.even_page_footer):
        footer_xml = footer.paragraphs[0]._p.xml
        assert "PAGE" in footer_xml and 'w:fldCharType="begin"' in footer_xml


def test_contents_sit_on_pages_of_their_own(seed_doc: Compilation, tmp_path: Path) -> None:
    document = written(seed_doc, load_style("default"), tmp_path)
    paragraphs = document.paragraphs
    toc_at = next(n for n, p in enumerate(paragraphs) if p.style.name == "TOC Title")
    after = next(n for n in range(toc_at + 1, len(paragraphs)) if paragraphs[n].style.name != "toc 1")
    assert paragraphs[toc_at].paragraph_format.page_break_before
    assert paragraphs[after].paragraph_format.page_break_before


def test_toc_field_follows_the_editors_note(seed_doc: Compilation, tmp_path: Path) -> None:
    document = written(seed_doc, load_style("default"), tmp_path)
    names = [p.style.name for p in document.paragraphs]
    toc_at = names.index("TOC Title")
    assert names[toc_at - 1] == "Editor Note Signature"
    assert "TOC \\o" in document.paragraphs[toc_at + 1]._p.xml


def test_core_properties(seed_doc: Compilation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    properties = written(seed_doc, load_style("default"), tmp_path).core_properties
    assert properties.title == seed_doc.title
    assert properties.language == "zh-CN"
    assert "信春鹰" in properties.author
    assert properties.subject.startswith("深入学习贯彻")
    assert properties.keywords
    assert properties.created.timestamp() == 1700000000


def test_markup_passes_through_and_forbidden_characters_are_dropped_with_a_warning(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        document = written(hostile(), load_style("default"), tmp_path)
    texts = [p.text for p in document.paragraphs]
    assert HOSTILE_TITLE in texts
    assert HOSTILE_BODY * 3 in texts
    assert "编者按有控制字符。" in texts
    assert any(isinstance(w.message, CompilerWarning) and "XML forbids" in str(w.message) for w in caught)


def without_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def without_running_heads(text: str, head: str) -> str:
    """The pages' text without the running head and the folio, which interrupt paragraphs."""
    lines = [line for line in text.split("\n") if line.strip() != head and not line.strip().strip("\f").isdigit()]
    return "\n".join(lines)


def libreoffice_pdf(source: Path) -> Path:
    """LibreOffice's PDF of a DOCX, beside it (a profile of its own in the same folder)."""
    soffice = require_tool("soffice")
    folder = source.parent
    run = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo", "--convert-to", "pdf",
         "--outdir", str(folder), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    pdf = source.with_suffix(".pdf")
    assert run.returncode == 0 and pdf.exists(), run.stderr
    return pdf


def test_libreoffice_converts_and_keeps_every_paragraph_in_order(seed_doc: Compilation, tmp_path: Path) -> None:
    require_tool("pdftotext")
    pdf = libreoffice_pdf(docx_writer.write(seed_doc, load_style("default"), tmp_path / "seed.docx"))
    extracted = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = extracted.split("\f")
    headings = [s.heading or "" for s in seed_doc.speeches]
    assert pages[0].strip().startswith(seed_doc.kicker or "")  # no running head above the title page
    assert pages[1].strip().startswith(seed_doc.title or "") and "目录" in pages[1]  # even: the book's title
    assert pages[2].strip().split("\n")[0].strip() == headings[0]  # odd: the speech, filled by LibreOffice
    for head in [seed_doc.title or "", *headings]:
        extracted = without_running_heads(extracted, head)
    text = without_space(extracted)
    position = 0
    for speech in seed_doc.speeches:
        for paragraph in speech.paragraphs:
            found = text.find(without_space(paragraph.text), position)
            assert found >= 0, f"not found in order: {paragraph.text[:30]}…"
            position = found


def test_toc_lists_the_headings_before_any_update(seed_doc: Compilation, tmp_path: Path) -> None:
    document = written(seed_doc, load_style("default"), tmp_path)
    entries = [p.text for p in document.paragraphs if p.style.name == "toc 1"]
    assert entries == [s.heading for s in seed_doc.speeches]


def test_no_japanese_leftovers_from_the_template(seed_doc: Compilation, tmp_path: Path) -> None:
    """python-docx's template sets East Asian text to ja-JP, lists ＭＳ 明朝 and letter-spaces its
    Subtitle: the book's language, no Japanese faces, no letter spacing (issue 15)."""
    import zipfile

    path = docx_writer.write(seed_doc, load_style("default"), tmp_path / "seed.docx")
    with zipfile.ZipFile(path) as archive:
        settings = archive.read("word/settings.xml").decode("utf-8")
        fonts = archive.read("word/fontTable.xml").decode("utf-8")
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings
    assert "明朝" not in fonts and "ゴシック" not in fonts and "Times New Roman" in fonts
    subtitle = styles[styles.index('w:styleId="Subtitle"') :]
    subtitle = subtitle[: subtitle.index("</w:style>")]
    assert "w:spacing w:val" not in subtitle


def _font_from_part(data: bytes, font_key: str) -> bytes:
    """Undo ECMA-376 font obfuscation the way LibreOffice reads it: the key's hex pairs taken at
    fixed places of "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}", last pair first."""
    places = (35, 33, 31, 29, 27, 25, 22, 20, 17, 15, 12, 10, 7, 5, 3, 1)
    key = [int(font_key[n : n + 2], 16) for n in places]
    head = bytes(byte ^ key[n % 16] for n, byte in enumerate(data[:32]))
    return head + data[32:]


def test_embedded_faces_are_real_fonts_of_the_books_characters(seed_doc: Compilation, tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    path = docx_writer.write(seed_doc, load_style("embedded"), tmp_path / "embedded.docx")
    with zipfile.ZipFile(path) as archive:
        table = etree.fromstring(archive.read("word/fontTable.xml"))
        rels = etree.fromstring(archive.read("word/_rels/fontTable.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        types = archive.read("[Content_Types].xml").decode()
        embedded = {}
        for font in table.iter(qn("w:font")):
            regular = font.find(qn("w:embedRegular"))
            if regular is None:
                continue
            data = archive.read("word/" + targets[regular.get(qn("r:id"))])
            embedded[font.get(qn("w:name"))] = (font.find(qn("w:altName")).get(qn("w:val")), data, regular)
    assert "application/vnd.openxmlformats-officedocument.obfuscatedFont" in types
    assert {name: alt for name, (alt, _, _) in embedded.items()} == {
        "Speech Song": "宋体", "Speech Hei": "黑体", "Speech Kai": "楷体"
    }  # fmt: skip
    body_chars = {char for s in seed_doc.speeches for p in s.paragraphs for char in p.text if not char.isspace()}
    _, data, regular = embedded["Speech Song"]
    assert data[:4] != b"\x00\x01\x00\x00"  # obfuscated as stored
    font = TTFont(io.BytesIO(_font_from_part(data, regular.get(qn("w:fontKey")))))
    assert font["name"].getDebugName(1) == "Speech Song"
    cmap = font.getBestCmap()
    assert body_chars <= {chr(c) for c in cmap}
    assert len(cmap) < 3 * len(body_chars)  # a subset, not the 30 MB face
    styles = docx.Document(str(path)).styles
    assert styles["Speech Body"].element.rPr.rFonts.get(qn("w:eastAsia")) == "Speech Song"


def test_libreoffice_draws_the_embedded_faces(seed_doc: Compilation, tmp_path: Path) -> None:
    """On a machine without the faces, LibreOffice's PDF of the DOCX uses Song, Hei and Kai from the
    file, not a Japanese fallback."""
    pdffonts = require_tool("pdffonts")
    pdf = libreoffice_pdf(docx_writer.write(seed_doc, load_style("embedded"), tmp_path / "embedded.docx"))
    listed = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True)
    names = listed.stdout
    for face in ("SpeechSong-Regular", "SpeechHei-Bold", "SpeechKai-Regular"):
        assert face in names, names
    assert "CJKjp" not in names and "CJK" not in names, names
