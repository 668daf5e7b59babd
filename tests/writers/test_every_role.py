"""Every writer prints every kind of text the model can hold: title-area captions and bylines, a
verbatim speaker line, and paragraphs of every role, each exactly where the model puts it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compiler.model import Compilation, EditorNote, Paragraph, ParagraphRole, Speaker, Speech
from compiler.styles import load_style
from compiler.writers import writer_for
from tests.writers.conftest import docx_text, epub_text, pdf_text

_WS = re.compile(r"\s+")


def every_role() -> Compilation:
    return Compilation(
        title="推动中国品牌迈向高质量发展新阶段",
        kicker="品牌论坛嘉宾谈——",
        subtitle="——2025中国品牌论坛发言摘编",
        front_matter=(
            Paragraph("图为论坛现场。", role=ParagraphRole.CAPTION),
            Paragraph("本报记者 张武军摄", role=ParagraphRole.CAPTION),
            Paragraph("本报记者 倪 弋", role=ParagraphRole.BYLINE),
        ),
        editor_note=EditorNote(paragraphs=(Paragraph("编者按的正文。"),), signature="——编者"),
        speeches=(
            Speech(
                heading="让品牌走向世界",
                speaker=Speaker("编剧", "张冀", line="张 冀（编剧）"),
                paragraphs=(
                    Paragraph("本报记者 宋豪新", role=ParagraphRole.BYLINE),
                    Paragraph("一、讲好品牌故事", role=ParagraphRole.SUBHEADING),
                    Paragraph("品牌是高质量发展的重要象征。"),
                    Paragraph("图为展台一角。", role=ParagraphRole.CAPTION),
                    Paragraph("（本报记者王云娜整理）", role=ParagraphRole.CREDIT),
                ),
            ),
        ),
    )


def _texts(doc: Compilation) -> list[str]:
    return [_WS.sub("", text) for text in doc.texts()]


@pytest.mark.parametrize(("name", "extract"), [("docx", docx_text), ("epub", epub_text), ("pdf", pdf_text)])
def test_every_text_of_every_role_is_printed(name: str, extract: object, tmp_path: Path) -> None:
    doc = every_role()
    write, suffix = writer_for(name)
    path = write(doc, load_style("default"), tmp_path / f"out{suffix}")
    printed = _WS.sub("", extract(path))  # type: ignore[operator]
    missing = [text for text in _texts(doc) if text not in printed]
    assert missing == []


@pytest.mark.parametrize("name", ["json", "docx", "epub", "pdf"])
def test_a_page_is_a_one_part_book_to_every_writer(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writers walk one tree: a page handed over as itself or as `Book.of_page` gives the same bytes."""
    from compiler.model import Book

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    doc = every_role()
    write, suffix = writer_for(name)
    as_page = write(doc, load_style("default"), tmp_path / f"page{suffix}").read_bytes()
    as_book = write(Book.of_page(doc), load_style("default"), tmp_path / f"book{suffix}").read_bytes()
    assert as_page == as_book
    assert list(Book.of_page(doc).texts()) == list(doc.texts())
