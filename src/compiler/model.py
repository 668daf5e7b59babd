"""The canonical speech-compilation model: every stage after parsing reads and writes only this.

Frozen dataclasses, one per thing an editor would name, plus a versioned JSON form (as Pandoc's
`pandoc-api-version`) so that tools and tests can exchange models without the parser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from compiler.errors import ModelFormatError

_SURROGATE = re.compile("[\ud800-\udfff]")

FORMAT_NAME = "speech-compilation"
FORMAT_VERSION = (2, 1)
"""2.0: paragraph roles byline, credit and caption (a speech's credit is a paragraph), the speaker
line kept verbatim, the title area's other blocks (`front_matter`). 2.1: the editor's corrections
are records of their own (`corrections`), no longer repairs of kind "correct" (still read). 1.x
models are read and upgraded."""
READABLE_MAJORS = (1, 2)


@dataclass(frozen=True, slots=True)
class Span:
    """A range of source lines (1-based, inclusive) that a piece of text came from."""

    first: int
    last: int


class ParagraphRole(Enum):
    """What a paragraph is to a reader."""

    BODY = "body"
    SUBHEADING = "subheading"
    """A section title inside a speech (一、… or an unnumbered one)."""
    BYLINE = "byline"
    """A reporter's byline (本报记者 …)."""
    CREDIT = "credit"
    """A credit line such as （本报记者 … 采访整理） or （作者为…）."""
    CAPTION = "caption"
    """A photo caption, photo credit or chart source line."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of running text."""

    text: str
    """The paragraph's text, whitespace-normalised, as it will be printed."""
    sources: tuple[Span, ...] = ()
    """Source line ranges, in reading order; more than one after a repair joined pieces."""
    role: ParagraphRole = ParagraphRole.BODY
    """Body text, a section title inside a speech, a byline, a credit or a caption."""
    indented: bool = False
    """Its first source line was indented: on a page that indents paragraph starts, evidence that
    it starts a paragraph rather than continuing a cut one (print indents first lines only)."""


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who gave a speech: the line `职务 姓名` split in two."""

    affiliation: str
    """Organisation and titles, e.g. 吉林省人大常委会党组书记、副主任."""
    name: str
    """The person's name, e.g. 高广滨 (padding removed: 王  珏 → 王珏)."""
    line: str = ""
    """The speaker line verbatim as printed (职务  姓名, 姓名（职务）, ——职务姓名, 职务姓名：); empty when
    it is just affiliation and name. When the affiliation came from a closing （作者为…） line, the
    line holds only the name: the text is printed where it stood, once."""

    @property
    def printed(self) -> str:
        """The line as a reader sees it: verbatim when known, else affiliation and name."""
        return self.line or f"{self.affiliation}\u3000{self.name}"


@dataclass(frozen=True, slots=True)
class Speech:
    """One contribution: its heading, its speaker and its paragraphs."""

    heading: str | None
    """The speech's own title; None for text that came without one."""
    speaker: Speaker | None
    """None for numbered sections and for text whose speaker line was not found."""
    paragraphs: tuple[Paragraph, ...]
    """The body, in reading order: bylines, credits and captions are paragraphs with their role."""
    line: int | None = None
    """Source line of the heading (or of the speaker line when there is no heading)."""

    def label(self, unnamed: str, separator: str = " — ") -> str:
        """How contents, reports and repair records name the speech: "heading — speaker", either
        alone when the other is missing, `unnamed` when both are."""
        parts = [part for part in (self.heading, self.speaker.name if self.speaker else None) if part]
        return separator.join(parts) if parts else unnamed


@dataclass(frozen=True, slots=True)
class EditorNote:
    """The editor's note (编者按) that introduces the compilation."""

    paragraphs: tuple[Paragraph, ...]
    """The note's text."""
    signature: str | None
    """The signature line verbatim, e.g. ——编者; None when the note is unsigned."""


class RepairKind(Enum):
    """The closed set of things the repair stage may do to the text."""

    JOIN = "join"
    """Two adjacent blocks were one paragraph cut at a page or column break."""
    MOVE = "move"
    """A continuation found elsewhere in the file was moved back to the cut it continues."""
    """An editor-approved correction replaced `left`'s end with `right` (compiler check --corrections)."""


@dataclass(frozen=True, slots=True)
class Repair:
    """One change the repair stage made, with the evidence for it: repairs are data."""

    kind: RepairKind
    """Join of adjacent pieces, or move of a displaced continuation."""
    speech: str | None
    """The speech that holds the repaired paragraph (heading — speaker); None: the editor's note."""
    cut_line: int
    """Source line of the block that was cut: a stable place, whatever other repairs did."""
    left: str
    """The end of the text before the cut (up to 12 characters)."""
    right: str
    """The start of the continuation (up to 12 characters)."""
    score: float
    """Word-join evidence in nats: how much more likely the joined text is than the two sides."""
    confidence: float
    """0..1: how sure the repair stage is that this change is right."""
    source: Span
    """Source lines of the continuation block that was attached."""
    moved_paragraphs: int = 0
    """For a move: how many whole paragraphs travelled with the continuation."""
    evidence: str = ""
    """Why this and not the alternative, in words."""

    def describe(self) -> str:
        """A sentence for people, as printed by `compiler check`."""
        where = "the editor's note" if self.speech is None else f"«{self.speech}»"
        joint = f"…{self.left}|{self.right}…"
        if self.kind is RepairKind.JOIN:
            action = f"line {self.cut_line} joined with line {self.source.first}"
        else:
            extra = f" (with {self.moved_paragraphs} more paragraph(s))" if self.moved_paragraphs else ""
            action = f"lines {self.source.first}-{self.source.last}{extra} moved to follow line {self.cut_line}"
        return (
            f"{self.kind.value} in {where}: {action}: {joint}\n"
            f"    score {self.score:.1f}, confidence {self.confidence:.2f}: {self.evidence}"
        )


@dataclass(frozen=True, slots=True)
class CorrectionRecord:
    """One change the editor approved (a find and replace from a corrections file), where it was made."""

    speech: str | None
    """The speech it changed (heading — speaker); None: the title block or the editor's note."""
    line: int
    """Source line of the changed paragraph."""
    context: str
    """Up to 12 characters before the text found, for the reader of a report."""
    found: str
    replaced_by: str

    def describe(self) -> str:
        place = "the title block or the editor's note" if self.speech is None else f"«{self.speech}»"
        change = f"…{self.context}{self.found} → {self.replaced_by}"
        return f"correct in {place}, line {self.line}: {change} (approved by the editor)"


@dataclass(frozen=True, slots=True)
class Compilation:
    """A whole 发言摘编 page: title block, editor's note, speeches, and the repairs made to it."""

    title: str | None
    """The main title; None when the input has none."""
    kicker: str | None = None
    """The line above the title (引题)."""
    subtitle: str | None = None
    """The line below the title, verbatim with its leading dash (——…)."""
    front_matter: tuple[Paragraph, ...] = ()
    """Other blocks of the title area, verbatim and in order: photo captions, a byline, a chart source."""
    series: str | None = None
    """A series tag that came in brackets with the title, verbatim, e.g. 【学习贯彻…】."""
    editor_note: EditorNote | None = None
    """The editor's note, if any."""
    speeches: tuple[Speech, ...] = ()
    """The speeches (or numbered sections) in reading order."""
    repairs: tuple[Repair, ...] = field(default=())
    """Every change the repair stage made, in the order it made them."""
    corrections: tuple[CorrectionRecord, ...] = field(default=())
    """Every change the editor's corrections made, in the order they were applied."""

    def texts(self) -> Iterator[str]:
        """Every piece of text the model holds, each once: the basis of the nothing-lost checks."""
        for value in (self.series, self.kicker, self.title, self.subtitle):
            if value:
                yield value
        yield from (p.text for p in self.front_matter)
        if self.editor_note is not None:
            yield from (p.text for p in self.editor_note.paragraphs)
            if self.editor_note.signature:
                yield self.editor_note.signature
        for speech in self.speeches:
            if speech.heading:
                yield speech.heading
            if speech.speaker is not None:
                if speech.speaker.line:
                    yield speech.speaker.line
                else:
                    yield speech.speaker.affiliation
                    yield speech.speaker.name
            yield from (p.text for p in speech.paragraphs)


@dataclass(frozen=True, slots=True)
class Book:
    """What every writer walks: several compilations under one title (a book manifest), each a part
    of the book; or one page printed as itself (`Book.of_page`), its title block opening the book."""

    title: str
    """The book's title (for a page: its title, or empty)."""
    parts: tuple[Compilation, ...]
    """The sources, in order, each with its own title block, editor's note and speeches."""
    subtitle: str | None = None
    editor: str | None = None
    """Who edited the book, as printed on its title page."""
    publisher: str | None = None
    date: str | None = None
    isbn: str | None = None
    language: str = "zh-CN"
    page: bool = False
    """One page printed as itself: no title page and no part level; its title block, note and
    speeches are the book's."""

    @classmethod
    def of_page(cls, page: Compilation) -> Book:
        """A single page as the one tree writers walk (its language is the style's)."""
        return cls(title=page.title or "", parts=(page,), subtitle=page.subtitle, page=True)

    def texts(self) -> Iterator[str]:
        """Every piece of text of the book, each once (a page's title block is its part's)."""
        if not self.page:
            for value in (self.title, self.subtitle, self.editor):
                if value:
                    yield value
        for part in self.parts:
            yield from part.texts()


# --- JSON -------------------------------------------------------------------------------------


BOOK_FORMAT_NAME = "speech-book"
BOOK_FORMAT_VERSION = (1, 0)
"""A book: its title page fields and its parts, each part a compilation in the compilation format."""


def to_json(doc: Compilation | Book, *, indent: int | None = 2) -> str:
    """Serialise a model (a compilation or a book) as versioned JSON (UTF-8 text, not ASCII-escaped)."""
    data = to_data(doc) if isinstance(doc, Compilation) else book_data(doc)
    return json.dumps(data, ensure_ascii=False, indent=indent)


def from_json(text: str) -> Compilation:
    """Read a compilation written by `to_json`; refuse other formats and major versions in one sentence."""
    return from_data(_json_of(text))


def book_from_json(text: str) -> Book:
    """Read a book written by `to_json`, its parts validated as compilations are."""
    return book_from_data(_json_of(text))


def _json_of(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelFormatError(f"the model is not valid JSON ({exc.msg} at line {exc.lineno})") from None


def _checked(data: Any, name: str, majors: tuple[int, ...], unversioned: list[int] | None = None) -> _Reader:
    """A reader of `data` once its format is `name` and its major version one of `majors`; a model
    with no version at all counts as `unversioned` when that is given (books written before 1.0)."""
    top = _Reader(data, "")
    if top.get("format", str) != name:
        raise ModelFormatError(f"this is not a {name} model (format is {data.get('format')!r})")
    version = top.get("version", list, optional=unversioned is not None, default=unversioned)
    if not version or not isinstance(version[0], int) or version[0] not in majors:
        readable = " and ".join(f"{major}.x" for major in majors)
        raise ModelFormatError(
            f"{name} format version {version} is not supported; this program reads versions {readable}"
        )
    return top


def book_data(book: Book) -> dict[str, Any]:
    """The JSON-ready dictionary of a book."""
    return {
        "format": BOOK_FORMAT_NAME,
        "version": list(BOOK_FORMAT_VERSION),
        "title": book.title,
        "subtitle": book.subtitle,
        "editor": book.editor,
        "publisher": book.publisher,
        "date": book.date,
        "isbn": book.isbn,
        "language": book.language,
        "parts": [to_data(part) for part in book.parts],
    }


def book_from_data(data: Any) -> Book:
    """Build a book from its JSON-ready dictionary; a book written before it had a version is read too."""
    top = _checked(data, BOOK_FORMAT_NAME, (BOOK_FORMAT_VERSION[0],), unversioned=[1, 0])
    parts = top.get("parts", list)
    return Book(
        title=top.get("title", str),
        parts=tuple(from_data(part) for part in parts),
        subtitle=top.text("subtitle", optional=True),
        editor=top.text("editor", optional=True),
        publisher=top.text("publisher", optional=True),
        date=top.text("date", optional=True),
        isbn=top.text("isbn", optional=True),
        language=top.get("language", str, optional=True, default="zh-CN") or "zh-CN",
    )


def to_data(doc: Compilation) -> dict[str, Any]:
    """The JSON-ready dictionary of a model."""
    return {
        "format": FORMAT_NAME,
        "version": list(FORMAT_VERSION),
        "series": doc.series,
        "kicker": doc.kicker,
        "title": doc.title,
        "subtitle": doc.subtitle,
        "front_matter": [_paragraph_data(p) for p in doc.front_matter],
        "editor_note": None
        if doc.editor_note is None
        else {
            "paragraphs": [_paragraph_data(p) for p in doc.editor_note.paragraphs],
            "signature": doc.editor_note.signature,
        },
        "speeches": [_speech_data(s) for s in doc.speeches],
        "repairs": [repair_data(r) for r in doc.repairs],
        "corrections": [correction_data(c) for c in doc.corrections],
    }


def correction_data(correction: CorrectionRecord) -> dict[str, Any]:
    """The JSON-ready dictionary of one correction record."""
    return {
        "speech": correction.speech,
        "line": correction.line,
        "context": correction.context,
        "found": correction.found,
        "replaced_by": correction.replaced_by,
    }


def repair_data(repair: Repair) -> dict[str, Any]:
    """The JSON-ready dictionary of one repair record."""
    return {
        "kind": repair.kind.value,
        "speech": repair.speech,
        "cut_line": repair.cut_line,
        "left": repair.left,
        "right": repair.right,
        "score": repair.score,
        "confidence": repair.confidence,
        "source": [repair.source.first, repair.source.last],
        "moved_paragraphs": repair.moved_paragraphs,
        "evidence": repair.evidence,
    }


def _paragraph_data(p: Paragraph) -> dict[str, Any]:
    data: dict[str, Any] = {"text": p.text, "sources": [[s.first, s.last] for s in p.sources], "role": p.role.value}
    if p.indented:
        data["indented"] = True
    return data


def _speech_data(s: Speech) -> dict[str, Any]:
    return {
        "heading": s.heading,
        "speaker": None
        if s.speaker is None
        else {"affiliation": s.speaker.affiliation, "name": s.speaker.name, "line": s.speaker.line},
        "paragraphs": [_paragraph_data(p) for p in s.paragraphs],
        "line": s.line,
    }


class _Reader:
    """Typed access to untrusted JSON data, so every malformed field gets one clear sentence."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise ModelFormatError(f"model field {path or 'top level'} must be an object")
        self.data = data
        self.path = path

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, kind: type | tuple[type, ...], *, optional: bool = False, default: Any = None) -> Any:
        if key not in self.data:
            if optional:
                return default
            raise ModelFormatError(f"model field {self._where(key)} is missing")
        value = self.data[key]
        if value is None and optional:
            return None
        # bool is an int in Python; a JSON true is never a number here.
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
            raise ModelFormatError(f"model field {self._where(key)} has the wrong type")
        if isinstance(value, str) and _SURROGATE.search(value):
            # JSON may escape half a UTF-16 pair ("\ud800"); no text file can hold one, no writer can encode it.
            raise ModelFormatError(f"model field {self._where(key)} holds a lone surrogate, which is not text")
        return value

    def text(self, key: str, *, optional: bool = False) -> str | None:
        value: str | None = self.get(key, str, optional=optional)
        return value

    def child(self, key: str, *, optional: bool = False) -> _Reader | None:
        value = self.get(key, dict, optional=optional)
        return None if value is None else _Reader(value, self._where(key))

    def items(self, key: str, *, optional: bool = False) -> list[_Reader | str]:
        values = self.get(key, list, optional=optional, default=[]) or []
        return [v if isinstance(v, str) else _Reader(v, f"{self._where(key)}[{i}]") for i, v in enumerate(values)]


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def from_data(data: Any) -> Compilation:
    """Build a model from its JSON-ready dictionary, validating every field."""
    top = _checked(data, FORMAT_NAME, READABLE_MAJORS)
    note = top.child("editor_note", optional=True)
    return Compilation(
        series=top.text("series", optional=True),
        kicker=top.text("kicker", optional=True),
        title=top.text("title", optional=True),
        subtitle=top.text("subtitle", optional=True),
        front_matter=tuple(_paragraph_from(p) for p in top.items("front_matter", optional=True)),
        editor_note=None
        if note is None
        else EditorNote(
            paragraphs=tuple(_paragraph_from(p) for p in note.items("paragraphs")),
            signature=note.text("signature", optional=True),
        ),
        speeches=tuple(_speech_from(s) for s in top.items("speeches")),
        repairs=tuple(r for r in map(_repair_from, top.items("repairs")) if isinstance(r, Repair)),
        corrections=(
            *(c for c in map(_repair_from, top.items("repairs")) if isinstance(c, CorrectionRecord)),
            *(_correction_from(c) for c in top.items("corrections", optional=True)),
        ),
    )


def _correction_from(item: _Reader | str) -> CorrectionRecord:
    if isinstance(item, str):
        raise ModelFormatError("model field corrections must hold objects")
    return CorrectionRecord(
        speech=item.text("speech", optional=True),
        line=item.get("line", int),
        context=item.get("context", str),
        found=item.get("found", str),
        replaced_by=item.get("replaced_by", str),
    )


def _span_from(value: Any, where: str) -> Span:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise ModelFormatError(f"model field {where} must be a pair of line numbers")
    return Span(value[0], value[1])


def _paragraph_from(item: _Reader | str) -> Paragraph:
    if isinstance(item, str):
        return Paragraph(item)
    role_name = item.get("role", str, optional=True, default=ParagraphRole.BODY.value)
    try:
        role = ParagraphRole(role_name)
    except ValueError:
        raise ModelFormatError(f"model field {item.path}.role has unknown value {role_name!r}") from None
    sources = item.get("sources", list, optional=True, default=[])
    return Paragraph(
        text=item.get("text", str),
        sources=tuple(_span_from(s, f"{item.path}.sources") for s in sources),
        role=role,
        indented=item.get("indented", bool, optional=True, default=False) or False,
    )


def _speech_from(item: _Reader | str) -> Speech:
    if isinstance(item, str):
        raise ModelFormatError("model field speeches must hold objects")
    speaker = item.child("speaker", optional=True)
    paragraphs = tuple(_paragraph_from(p) for p in item.items("paragraphs"))
    credit = item.text("credit", optional=True)  # model format 1.x kept the closing credit apart
    if credit:
        paragraphs = (*paragraphs, Paragraph(credit, role=ParagraphRole.CREDIT))
    return Speech(
        heading=item.text("heading", optional=True),
        speaker=None
        if speaker is None
        else Speaker(
            affiliation=speaker.get("affiliation", str),
            name=speaker.get("name", str),
            line=speaker.get("line", str, optional=True, default="") or "",
        ),
        paragraphs=paragraphs,
        line=item.get("line", int, optional=True),
    )


def _repair_from(item: _Reader | str) -> Repair | CorrectionRecord:
    """A repair record; a 2.0 model's "correct" repair (a correction recorded as a repair) is read
    as the correction it was."""
    if isinstance(item, str):
        raise ModelFormatError("model field repairs must hold objects")
    kind_name = item.get("kind", str)
    if kind_name == "correct":
        return CorrectionRecord(  # its `left` held the context and the text found together
            speech=item.text("speech", optional=True),
            line=item.get("cut_line", int),
            context=item.get("left", str),
            found="",
            replaced_by=item.get("right", str),
        )
    try:
        kind = RepairKind(kind_name)
    except ValueError:
        raise ModelFormatError(f"model field {item.path}.kind has unknown value {kind_name!r}") from None
    return Repair(
        kind=kind,
        speech=item.text("speech", optional=True),
        cut_line=item.get("cut_line", int),
        left=item.get("left", str),
        right=item.get("right", str),
        score=float(item.get("score", (int, float))),
        confidence=float(item.get("confidence", (int, float))),
        source=_span_from(item.get("source", list), f"{item.path}.source"),
        moved_paragraphs=item.get("moved_paragraphs", int, optional=True, default=0),
        evidence=item.get("evidence", str, optional=True, default=""),
    )
