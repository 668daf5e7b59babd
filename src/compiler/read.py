"""Bytes → normalised text blocks: the only place that knows about encodings and whitespace.

Newspaper dumps arrive as UTF-8 (with or without BOM), GB18030 or Big5, with CRLF or CR line ends,
full-width (U+3000) indentation, tabs and trailing spaces. Everything after this stage sees one
block per non-empty line, with its line number, and single ASCII spaces inside lines.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from compiler.errors import BinaryInputError, EmptyInputError, InputDecodeError, InputError

# Encodings tried in order when none is forced. UTF-8 first: GB18030 would accept many UTF-8
# byte sequences as (wrong) Chinese text, while UTF-8 almost never accepts GB18030 text.
AUTO_ENCODINGS = ("utf-8", "gb18030")

# Characters that are not text. Tab, LF, CR, FF and VT are layout and are normalised instead.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Any run of horizontal white space, including U+3000 and no-break spaces, becomes one space.
_SPACES = re.compile(r"[^\S\n]+")
# Above this share of valid multibyte sequences, undecodable UTF-8 is damage, not another encoding.
UTF8_MAJORITY = 0.6
# Share of control characters beyond which a file is taken for binary rather than damaged text.
_BINARY_CONTROL_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class Block:
    """One non-empty line of the input, whitespace-normalised."""

    text: str
    """The line's text: no leading or trailing space, inner white-space runs folded to one space."""
    line: int
    """1-based line number in the input."""
    indented: bool = False
    """The line began with white space (U+3000 or spaces): print indents first lines only, so on
    a page that indents paragraph starts an unindented block is a continuation (repair evidence)."""


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded input: its text, the encoding it was in, and its blocks."""

    text: str
    """The decoded text with line ends normalised to LF."""
    encoding: str
    """The encoding the bytes were decoded with."""
    blocks: tuple[Block, ...]
    """Non-empty lines, in order."""


def read_file(path: Path, encoding: str | None = None) -> SourceText:
    """Read and decode a file; a missing or unreadable file is an input error, not a traceback."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a text file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    return read_bytes(data, encoding=encoding, name=str(path))


def read_bytes(data: bytes, encoding: str | None = None, name: str = "<input>") -> SourceText:
    """Decode bytes, refuse empty or binary input, and split the text into blocks."""
    if not data.strip():
        raise EmptyInputError(f"{name}: the input is empty")
    _refuse_known_file_types(data, name)
    text, used = decode(data, encoding, name)
    text = normalise_line_ends(text)
    _refuse_binary(text, name)
    blocks = split_blocks(text)
    if not blocks:
        raise EmptyInputError(f"{name}: the input holds only white space")
    return SourceText(text=text, encoding=used, blocks=tuple(blocks))


def decode(data: bytes, encoding: str | None, name: str) -> tuple[str, str]:
    """Decode with the forced encoding, or the BOM's, or the first of AUTO_ENCODINGS that fits."""
    if encoding is not None:
        return _decode_forced(data, encoding, name), encoding
    for bom, bom_encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode_forced(data, bom_encoding, name), bom_encoding
    if b"\x00" in data:
        raise BinaryInputError(f"{name}: the input looks binary (it contains NUL bytes), not text")
    _refuse_damaged_utf8(data, name)
    if _looks_like_big5(data):
        return data.decode(BIG5), BIG5
    for candidate in AUTO_ENCODINGS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    position = _first_bad_utf8_offset(data)
    raise InputDecodeError(
        f"{name}: the input is neither UTF-8 nor GB18030 (first undecodable byte at offset {position}); "
        "convert it to UTF-8 or name its encoding with --encoding"
    )


FILE_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)
"""Leading bytes of files people hand over instead of the text: named, not called "binary"."""


def _refuse_known_file_types(data: bytes, name: str) -> None:
    """A document, image or archive given as input is refused by what it is, with what to do."""
    kind = next((what for signature, what in FILE_SIGNATURES if data.startswith(signature)), None)
    if kind is None and data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
    if kind is not None:
        raise BinaryInputError(f"{name}: the input is {kind}, not plain text; save or export it as UTF-8 text first")


def _zip_kind(data: bytes) -> str:
    """EPUB and DOCX are ZIP archives; their first entries say which (the EPUB's mimetype file comes
    first, stored; a DOCX holds word/document.xml)."""
    head = data[:4096]
    if b"mimetypeapplication/epub+zip" in head:
        return "an EPUB book"
    if b"word/" in data or b"[Content_Types].xml" in head:
        return "a Word document (.docx)" if b"word/" in data else "an Office document"
    return "a ZIP archive"


BIG5 = "cp950"
"""Big5 as Windows writes it (a superset of Big5 with the common extensions)."""
BIG5_TRAIL_SHARE = 0.15
"""Share of two-byte characters whose second byte is 0x40–0x7E above which undecodable-as-UTF-8
text is Big5, not GB18030: GB2312 text never uses such bytes and GBK only for rare characters,
while in Big5 they make up about two characters in five."""


def _looks_like_big5(data: bytes) -> bool:
    """Big5 bytes are also valid GB18030, read as nonsense; the second bytes tell them apart."""
    try:
        data.decode(BIG5)
    except UnicodeDecodeError:
        return False
    pairs = low_trail = 0
    i = 0
    while i < len(data) - 1:
        if data[i] >= 0x81:
            pairs += 1
            low_trail += 0x40 <= data[i + 1] <= 0x7E
            i += 2
        else:
            i += 1
    return pairs > 0 and low_trail > BIG5_TRAIL_SHARE * pairs


def _refuse_damaged_utf8(data: bytes, name: str) -> None:
    """Mostly valid UTF-8 with some bytes that are not: mixed encodings, not GB18030 text.

    GB18030 would decode many such files (it accepts most byte sequences) into silent nonsense.
    In real GB18030 text only about one multibyte sequence in five happens to be valid UTF-8
    (the seed converted: 2,560 valid, 9,878 invalid); in UTF-8 with a pasted-in GB18030 passage
    nearly all are.
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        invalid = text.count("\ufffd")
        valid = sum(1 for char in text if ord(char) > 0x7F) - invalid
        if valid > UTF8_MAJORITY * (valid + invalid):
            raise InputDecodeError(
                f"{name}: the input is UTF-8 with {invalid} undecodable byte sequence(s), the first at offset "
                f"{exc.start}: mixed encodings? Fix those bytes, or name the encoding with --encoding"
            ) from None


def _decode_forced(data: bytes, encoding: str, name: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputDecodeError(
            f"{name}: the input is not valid {encoding} (undecodable byte at offset {exc.start})"
        ) from None


def _first_bad_utf8_offset(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return -1


def normalise_line_ends(text: str) -> str:
    """CRLF, CR and Unicode line/paragraph separators all become LF."""
    return _LINE_BREAKS.sub("\n", text)


def _refuse_binary(text: str, name: str) -> None:
    if "\x00" in text:
        raise BinaryInputError(f"{name}: the input looks binary (it contains NUL characters), not text")
    controls = len(_CONTROL.findall(text))
    if controls > _BINARY_CONTROL_SHARE * len(text):
        raise BinaryInputError(
            f"{name}: the input looks binary ({controls} control characters in {len(text)}), not text"
        )


def normalise_line(line: str) -> str:
    """Fold white-space runs (tabs, U+3000, no-break spaces) to one space and trim the ends."""
    return _SPACES.sub(" ", line).strip()


def split_blocks(text: str) -> list[Block]:
    """One block per non-empty line; blank lines only separate."""
    blocks = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = normalise_line(raw)
        if line:
            blocks.append(Block(line, number, indented=raw[:1].isspace()))
    return blocks
