"""Reader: encodings, line ends, white space, and clear refusals of unusable input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from compiler.errors import BinaryInputError, EmptyInputError, InputDecodeError, InputError
from compiler.read import read_bytes, read_file

TEXT = "标题\n\n　　第一段，有全角缩进。\t\n\n某省人大常委会主任　张三  \n"


def blocks(data: bytes, encoding: str | None = None) -> list[tuple[str, int]]:
    return [(b.text, b.line) for b in read_bytes(data, encoding=encoding).blocks]


EXPECTED = [("标题", 1), ("第一段，有全角缩进。", 3), ("某省人大常委会主任 张三", 5)]


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("utf-8"),
        TEXT.encode("utf-16"),
    ],
    ids=["utf-8", "bom", "gb18030", "crlf", "cr", "utf-16-bom"],
)
def test_encodings_and_line_ends_give_the_same_blocks(data: bytes) -> None:
    assert blocks(data) == EXPECTED


def test_gb18030_is_detected_and_named() -> None:
    assert read_bytes(TEXT.encode("gb18030")).encoding == "gb18030"


def test_forced_encoding() -> None:
    assert blocks(TEXT.encode("gb18030"), encoding="gb18030") == EXPECTED
    with pytest.raises(InputDecodeError, match="not valid utf-8"):
        read_bytes(TEXT.encode("gb18030"), encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        read_bytes(b"x", encoding="no-such-encoding")


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t", "\u3000\n".encode()])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(EmptyInputError):
        read_bytes(data)


def test_binary_input_is_refused() -> None:
    with pytest.raises(BinaryInputError):
        read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(BinaryInputError):
        read_bytes(bytes(range(1, 32)) * 20)


BIG5_TEXT = "會議討論了國家發展規劃，代表們認為這是重要的一步。\n\n全國人大常委會委員長 張三\n"


def test_big5_is_recognised_not_read_as_gb18030_nonsense() -> None:
    source = read_bytes(BIG5_TEXT.encode("big5"))
    assert source.encoding == "cp950"
    assert source.blocks[0].text == "會議討論了國家發展規劃，代表們認為這是重要的一步。"


def test_gb18030_text_of_every_corpus_page_stays_gb18030() -> None:
    """Big5 detection must not take real simplified text for Big5."""
    pages = sorted(Path(__file__).parent.joinpath("data", "corpus", "pages").glob("*.txt"))
    assert len(pages) > 50
    for page in pages:
        data = page.read_text(encoding="utf-8-sig").encode("gb18030")
        assert read_bytes(data).encoding == "gb18030", page.name


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/epub+zipPK", "an EPUB book"),
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml....word/document.xml", "a Word document"),
        (b"PK\x03\x04\x14\x00\x00\x00notes.txt", "a ZIP archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
    ],
)
def test_documents_and_archives_are_named_for_what_they_are(data: bytes, kind: str) -> None:
    with pytest.raises(BinaryInputError, match=f"the input is {kind}"):
        read_bytes(data)


def test_undecodable_bytes_are_refused_with_the_offset() -> None:
    with pytest.raises(InputDecodeError, match="offset 3"):
        read_bytes(b"abc\xff\xfe\xfd\x80")


def test_markup_characters_are_plain_text() -> None:
    assert blocks(b"<script>&amp; ]]>") == [("<script>&amp; ]]>", 1)]


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="directory"):
        read_file(tmp_path)
