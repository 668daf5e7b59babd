"""Writer fixtures: models loaded from JSON (not from the parser), styles, and external tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from compiler.model import Compilation, EditorNote, Paragraph, Speaker, Speech, from_json
from compiler.styles import Style, load_style

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="session")
def seed_doc() -> Compilation:
    return from_json((DATA / "seed.model.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session", params=["default", "a5"])
def style(request: pytest.FixtureRequest) -> Style:
    return load_style(request.param)


def require_tool(name: str) -> str:
    """The tool's path; skip when it is missing, except in CI, where a missing tool is a failure."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed; .ci/run must install it")
        pytest.skip(f"{name} is not installed")
    return path


def docx_text(path: Path) -> str:
    """Every paragraph's text of a DOCX body, in order."""
    return "".join(p.text for p in docx.Document(str(path)).paragraphs)


def epub_text(path: Path) -> str:
    """The text of an EPUB's content documents (navigation left out), markup stripped, in file order."""
    with zipfile.ZipFile(path) as archive:
        pages = [name for name in sorted(archive.namelist()) if name.endswith(".xhtml") and "nav" not in name]
        return "".join(re.sub(r"<[^>]+>", "", archive.read(name).decode("utf-8")) for name in pages)


def pdf_text(path: Path) -> str:
    """The text a reader's copy-paste gets from a PDF (poppler's pdftotext)."""
    tool = require_tool("pdftotext")
    return subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True).stdout


def epubcheck_command() -> list[str]:
    """How to run epubcheck here: Debian installs it as a bare jar that needs `java -jar`."""
    path = require_tool("epubcheck")
    target = Path(path).resolve()
    if target.suffix == ".jar":
        return [require_tool("java"), "-jar", str(target)]
    return [path]


HOSTILE_TITLE = "<script>alert(1)</script> & ]]>"
HOSTILE_BODY = "正文 😀 𠀀 “引号” <tag> & ]]> '单引号'。"
"""Markup, an emoji and a CJK Extension B character (neither in the bundled fonts), quotes."""


def hostile() -> Compilation:
    """A model whose text has markup characters, XML-forbidden controls, emoji and Extension B."""
    return Compilation(
        title=HOSTILE_TITLE,
        editor_note=EditorNote(paragraphs=(Paragraph("编者按\x07有控制字符\x0b。"),), signature="——编者"),
        speeches=(
            Speech(
                heading="标题 <b>&amp;",
                speaker=Speaker("某省人大常委会主任", "张三"),
                paragraphs=(Paragraph(HOSTILE_BODY * 3),),
            ),
        ),
    )
