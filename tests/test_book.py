"""Book manifests: what they hold, every refusal, and `compiler check --book`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compiler.book import load_manifest
from compiler.cli import main
from compiler.errors import InputError
from compiler.model import book_from_json
from compiler.pipeline import load_book
from tests.conftest import CLEAN, SEED


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(SEED, tmp_path / "seed.txt")
    shutil.copy(CLEAN[0], tmp_path / "clean.txt")
    return tmp_path


def manifest(folder: Path, text: str) -> Path:
    path = folder / "book.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_manifest_lists_sources_relative_to_itself(folder: Path) -> None:
    book = load_manifest(manifest(folder, "title: 书\nsources: [seed.txt, {path: clean.txt, encoding: utf-8}]\n"))
    assert [s.path.name for s in book.sources] == ["seed.txt", "clean.txt"]
    assert book.sources[1].encoding == "utf-8" and book.style == "default" and book.book.language == "zh-CN"


def test_an_unquoted_date_is_read_as_a_date(folder: Path) -> None:
    book = load_manifest(manifest(folder, "title: 书\ndate: 2024-05-01\nsources: [seed.txt]\n"))
    assert book.book.date == "2024-05-01"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: 书\nsources: [seed.txt]\nauthor: 我\n", "unknown key author"),
        ("title: 书\nsources: [../outside.txt]\n", "leaves the manifest's folder"),
        ("title: 书\nsources: [missing.txt]\n", "no such file"),
        ("sources: [seed.txt]\n", "needs a title"),
        ("title: 书\nsources: []\n", "at least one source"),
        ("title: 书\nsources: [{path: seed.txt, format: x}]\n", r"unknown key sources\[1\].format"),
        ("title: 书\nsources: [seed.txt]\ncorrections: [{find: 甲}]\n", "find and replace must be texts"),
    ],
)
def test_bad_manifests_are_refused(folder: Path, text: str, message: str) -> None:
    (folder.parent / "outside.txt").write_text("外面", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_manifest(manifest(folder, text))


def test_corrections_apply_across_the_book_or_to_one_source(folder: Path) -> None:
    path = manifest(
        folder,
        "title: 书\nsources: [seed.txt, clean.txt]\ncorrections:\n"
        "  - {find: ' and ', replace: 和}\n  - {find: 批示批示, replace: 批示, source: seed.txt}\n",
    )
    parts = load_book(load_manifest(path))
    assert " and " not in "".join(parts[0].compilation.texts())
    assert len(parts[0].compilation.corrections) == 4
    assert parts[1].compilation.corrections == ()


def test_a_correction_that_matches_nowhere_in_the_book_is_an_error(folder: Path) -> None:
    path = manifest(folder, "title: 书\nsources: [seed.txt]\ncorrections: [{find: 不存在, replace: x}]\n")
    with pytest.raises(InputError, match="matches nothing"):
        load_book(load_manifest(path))


def test_check_book_reports_every_source(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = manifest(folder, "title: 书\nsources: [seed.txt, clean.txt]\n")
    assert main(["check", "--book", str(path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["book"] == "书" and len(report["sources"]) == 2
    assert len(report["sources"][0]["findings"]) == 5 and report["sources"][1]["findings"] == []


def test_check_needs_an_input_or_a_book(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert "either an INPUT file or --book" in capsys.readouterr().err


def test_the_example_book_checks_clean() -> None:
    parts = load_book(load_manifest(Path(__file__).parent.parent / "seeds" / "book.yaml"))
    from compiler.proofread import proofread

    assert [proofread(part.compilation) for part in parts] == [[]]


def test_a_two_source_book_in_every_format_nests_parts_and_speeches(folder: Path) -> None:
    import zipfile

    import docx
    from lxml import etree
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    path = manifest(folder, "title: 两场交流会\nsubtitle: 选编\neditor: 编辑组\nsources: [seed.txt, clean.txt]\n")
    out = folder / "out"
    assert main(["build", "--book", str(path), "--to", "json,docx,epub,pdf", "-o", str(out), "-q"]) == 0
    parts = load_book(load_manifest(path))
    part_titles = [p.compilation.title for p in parts]
    headings = [[s.heading for s in p.compilation.speeches] for p in parts]

    data = json.loads((out / "book.json").read_text(encoding="utf-8"))
    assert data["title"] == "两场交流会" and [p["title"] for p in data["parts"]] == part_titles
    written = book_from_json((out / "book.json").read_text(encoding="utf-8"))
    assert written.parts == tuple(p.compilation for p in parts) and written.editor == "编辑组"

    with (out / "book.pdf").open("rb") as stream:
        outline = [(level, title) for level, title, *_ in PDFDocument(PDFParser(stream)).get_outlines()]
    expected = [
        (level, title)
        for t, hs in zip(part_titles, headings, strict=True)
        for level, title in [(1, t), *((2, h) for h in hs)]
    ]
    assert outline == expected

    document = docx.Document(str(out / "book.docx"))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == part_titles
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == [h for hs in headings for h in hs]

    nav = etree.fromstring(zipfile.ZipFile(out / "book.epub").read("EPUB/nav.xhtml"))
    ns = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    top = nav.findall(".//x:nav[@epub:type='toc']/x:ol/x:li", ns)  # the page list is a nav of its own
    assert ["".join(li.find("x:a", ns).itertext()) for li in top] == part_titles
    assert [len(li.findall("x:ol/x:li", ns)) for li in top] == [len(hs) for hs in headings]


def test_book_builds_are_cached_until_a_source_changes(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = manifest(folder, "title: 书\nsources: [seed.txt]\n")
    arguments = ["build", "--book", str(path), "--to", "json", "-o", str(folder / "out")]
    assert main(arguments) == 0 and "repair(s)" in capsys.readouterr().err
    assert main(arguments) == 0 and "up to date" in capsys.readouterr().err
    (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8") + "\n补一段。\n", encoding="utf-8")
    assert main([*arguments, "-v"]) == 0
    err = capsys.readouterr().err
    assert "repair(s)" in err and "move in" in err  # --verbose describes every repair


def test_a_books_language_reaches_every_writer(folder: Path) -> None:
    """The manifest's language, not the style's, on the DOCX document and every EPUB document."""
    import re
    import zipfile

    import docx

    path = manifest(folder, "title: 書\nlanguage: zh-TW\nsources: [seed.txt]\n")
    out = folder / "out"
    assert main(["build", "--book", str(path), "--to", "docx,epub", "-o", str(out), "-q"]) == 0
    assert docx.Document(str(out / "book.docx")).core_properties.language == "zh-TW"
    styles = zipfile.ZipFile(out / "book.docx").read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="zh-TW"' in styles and "zh-CN" not in styles
    with zipfile.ZipFile(out / "book.epub") as archive:
        pages = [n for n in archive.namelist() if n.endswith(".xhtml")]
        langs = {m for n in pages for m in re.findall(r'xml:lang="([^"]+)"', archive.read(n).decode("utf-8"))}
        opf = next(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".opf"))
    assert langs == {"zh-TW"} and "<dc:language>zh-TW</dc:language>" in opf
