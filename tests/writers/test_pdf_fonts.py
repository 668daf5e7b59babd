"""Every character prints: the bundled faces' coverage, fallback fonts, and --strict."""

from __future__ import annotations

import re
import subprocess
import warnings
from dataclasses import replace
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from compiler.cli import main
from compiler.errors import CompilerWarning, OutputError
from compiler.fonts import FACES, FONT_DIR
from compiler.model import Compilation, Paragraph, Speaker, Speech
from compiler.styles import load_style
from compiler.writers import pdf as pdf_writer
from tests.writers.conftest import require_tool

DATA = Path(__file__).resolve().parents[1] / "data"
TABLE = (DATA / "tongyong_guifan_8105.txt").read_text(encoding="utf-8").split()
"""通用规范汉字表 (2013), 8,105 characters, 196 of them beyond the BMP (tests/data/SOURCES.md)."""
NAMES = "朱镕基 喆 堃 昇 玥 珺 燊 赟 彧 䶮 〇"
"""Characters of names and dates the issue saw print as boxes."""


def _page(text: str, every: int = 40) -> Compilation:
    """A page whose body holds `text`, in paragraphs of `every` characters."""
    paragraphs = tuple(Paragraph(text[i : i + every]) for i in range(0, len(text), every))
    speech = Speech(heading="字表", speaker=Speaker("", "某"), paragraphs=paragraphs)
    return Compilation(title="字表", speeches=(speech,))


def _drawn_text(path: Path) -> str:
    out = subprocess.run([require_tool("pdftotext"), str(path), "-"], capture_output=True, check=True, text=True).stdout
    return re.sub(r"\s+", "", out)


def _missing_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if isinstance(w.message, CompilerWarning) and "no font" in str(w.message)]


def test_the_table_of_general_standard_characters_is_whole() -> None:
    assert len(TABLE) == len(set(TABLE)) == 8105
    assert sum(ord(c) > 0xFFFF for c in TABLE) == 196


def test_every_standard_character_and_name_prints_with_its_own_glyph(tmp_path: Path) -> None:
    """All 8,105 characters and the names set in the body face: no warning, every face embedded,
    and every character read back from the PDF (a glyph and its ToUnicode entry)."""
    text = "".join(TABLE) + NAMES.replace(" ", "")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = pdf_writer.write(_page(text), load_style("default"), tmp_path / "table.pdf")
    assert not _missing_warnings(caught)
    fonts = subprocess.run([require_tool("pdffonts"), str(path)], capture_output=True, check=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # emb column
    drawn = _drawn_text(path)
    assert not [c for c in text if c not in drawn]


def test_every_face_covers_the_bmp_han_and_the_table() -> None:
    """Song and Hei carry every BMP ideograph the sources have and the whole table; Kai falls back
    to Song for what LXGW WenKai lacks (pdf._Fonts), so no face may miss what Song misses."""
    from fontTools.ttLib import TTFont

    def covered(stem: str) -> set[int]:
        return set(TTFont(FONT_DIR / f"{stem}.ttf", lazy=True).getBestCmap())

    song, hei = covered(FACES["宋体"]), covered(FACES["黑体"])
    table = {ord(c) for c in TABLE}
    assert table <= song and table <= hei
    han = set(range(0x4E00, 0x9FEB)) | set(range(0x3400, 0x4DB6))  # Unicode 10's blocks (Noto CJK's)
    assert han <= song and han <= hei


def _font_with(char: str, path: Path) -> Path:
    """A one-glyph TrueType font (a square) for `char`: a fallback the bundled faces lack."""
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "square"])
    builder.setupCharacterMap({ord(char): "square"})
    pen = TTGlyphPen(None)
    for x, y in ((100, 0), (100, 800), (900, 800), (900, 0)):
        (pen.moveTo if x == 100 and y == 0 else pen.lineTo)((x, y))
    pen.closePath()
    square = pen.glyph()
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "square": square})
    builder.setupHorizontalMetrics({".notdef": (1000, 0), "square": (1000, 100)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Square", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))
    return path


def test_a_style_fallback_font_draws_what_the_bundled_faces_lack(tmp_path: Path) -> None:
    extension_b = "\U00020000"  # 𠀀, in no bundled face
    font = _font_with(extension_b, tmp_path / "square.ttf")
    style = replace(load_style("default"), fallback_fonts=(str(font),))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = pdf_writer.write(_page(f"正文{extension_b}正文"), style, tmp_path / "fallback.pdf")
    assert not _missing_warnings(caught)
    assert extension_b in _drawn_text(path)
    fonts = subprocess.run([require_tool("pdffonts"), str(path)], capture_output=True, check=True, text=True).stdout
    assert "Square" in fonts


def test_a_character_no_font_has_is_named_and_strict_refuses_it(tmp_path: Path) -> None:
    page = _page("正文\U0001f600正文")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdf_writer.write(page, load_style("default"), tmp_path / "warned.pdf")
    assert any("U+1F600" in m for m in _missing_warnings(caught))
    strict = replace(load_style("default"), missing_glyphs="fail")
    with pytest.raises(OutputError, match="U\\+1F600"):
        pdf_writer.write(page, strict, tmp_path / "strict.pdf")
    assert not (tmp_path / "strict.pdf").exists()


def test_build_strict_exits_non_zero_and_writes_no_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "page.txt"
    source.write_text("标题\n\n某省人大常委会主任 张三\n\n正文😀正文。\n", encoding="utf-8")
    assert main(["build", str(source), "--to", "pdf", "-o", str(tmp_path / "loose"), "-q"]) == 0
    assert "U+1F600" in capsys.readouterr().err
    assert (tmp_path / "loose" / "page.pdf").is_file()
    assert main(["build", str(source), "--to", "pdf", "-o", str(tmp_path / "strict"), "--strict", "-q"]) != 0
    assert "U+1F600" in capsys.readouterr().err
    assert not (tmp_path / "strict" / "page.pdf").exists()
