"""Proofreading: flag what the source text probably got wrong, for an editor to decide.

Each rule is a small named function over one text, returning findings with a suggestion and a
confidence; the ordered list `RULES` is all the report can say, as the repair stage's `REPAIRS`
is all it can do. Nothing here changes the text: corrections are applied only when the editor
lists them (see `apply_corrections`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from compiler.chinese import HAN, PAIRED_MARKS
from compiler.model import Compilation, ParagraphRole, Speech

CONTEXT = 12
"""Characters of context either side of a finding."""
SHORT_PARAGRAPH = 15
"""Body paragraphs shorter than this (characters) may be fragments left over from a break."""

_FUNCTION_WORDS = {"and": "和", "or": "或", "with": "与", "of": "的"}
_LATIN_FUNCTION_WORD = re.compile(
    rf"(?<=[{HAN}]) ?(?<![A-Za-z])({'|'.join(_FUNCTION_WORDS)})(?![A-Za-z]) ?(?=[{HAN}])", re.IGNORECASE
)
_DOUBLED = re.compile(rf"([{HAN}]{{2,3}})\1")
_YI_CHAIN = re.compile(rf"[{HAN}]{{2,4}}(?:一[{HAN}]{{2,4}}){{2,}}")
_HALF_WIDTH = re.compile(rf"(?<=[{HAN}])([,;:?!()])|([()])(?=[{HAN}])")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


@dataclass(frozen=True, slots=True)
class Hit:
    """What a text rule found: where in the text, and what to do about it."""

    offset: int
    length: int
    message: str
    suggestion: str | None
    confidence: float


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing an editor should look at, located in the model."""

    rule: str
    where: str
    """In words: "title", "editor's note ¶1", "speech 3 «heading — name» ¶2"…"""
    speech: int | None
    paragraph: int | None
    offset: int
    text: str
    """The text the finding is about."""
    before: str
    after: str
    suggestion: str | None
    confidence: float
    message: str

    def describe(self) -> str:
        fix = f" → {self.suggestion!r}" if self.suggestion is not None else ""
        return (
            f"{self.rule}: {self.where}, offset {self.offset}: …{self.before}[{self.text}]{self.after}…{fix}\n"
            f"    {self.message} (confidence {self.confidence:.2f})"
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "where": self.where,
            "speech": self.speech,
            "paragraph": self.paragraph,
            "offset": self.offset,
            "text": self.text,
            "before": self.before,
            "after": self.after,
            "suggestion": self.suggestion,
            "confidence": self.confidence,
            "message": self.message,
        }


TextRule = Callable[[str], Iterator[Hit]]


def latin_function_words(text: str) -> Iterator[Hit]:
    """An English function word between Chinese phrases ("…精神 and 中央…"): an extraction slip."""
    for match in _LATIN_FUNCTION_WORD.finditer(text):
        word = match.group(1).lower()
        yield Hit(match.start(), match.end() - match.start(), f"the English word {word!r} inside Chinese text",
                  _FUNCTION_WORDS[word], 0.9)  # fmt: skip


def doubled_words(text: str) -> Iterator[Hit]:
    """A word written twice ("批示批示"), unless the doubled form is itself a word (年年, 看看)."""
    from compiler.lexicon import lexicon

    words = lexicon()
    words.ensure(text)
    table = words.frequencies.table
    for match in _DOUBLED.finditer(text):
        word = match.group(1)
        if table.get(word) and not table.get(word * 2):
            yield Hit(match.start(), len(word) * 2, f"the word {word!r} written twice", word, 0.8)


def yi_as_dash(text: str) -> Iterator[Hit]:
    """ "一" joining three or more words ("立法一评估一修法") stands for a dash, as in 立法—评估—修法."""
    from compiler.lexicon import lexicon

    words = lexicon()
    words.ensure(text)
    table = words.frequencies.table
    for match in _YI_CHAIN.finditer(text):
        parts = match.group(0).split("一")
        if sum(1 for part in parts if table.get(part)) >= len(parts) - 1:  # 修法 is no dictionary word
            yield Hit(match.start(), len(match.group(0)), "“一” between words where a dash is meant",
                      "—".join(parts), 0.7)  # fmt: skip


def unbalanced_marks(text: str) -> Iterator[Hit]:
    """Quotes and brackets that open without closing (or close without opening) in a paragraph."""
    for opening, closing in PAIRED_MARKS.items():
        depth = 0
        for offset, char in enumerate(text):
            if char == opening:
                depth += 1
                last_open = offset
            elif char == closing:
                depth -= 1
                if depth < 0:
                    yield Hit(offset, 1, f"{closing} without {opening}", None, 0.6)
                    depth = 0
        if depth > 0:
            yield Hit(last_open, 1, f"{opening} never closed by {closing}", None, 0.6)


def half_width_punctuation(text: str) -> Iterator[Hit]:
    """ASCII punctuation in Chinese text, where the full-width mark belongs."""
    for match in _HALF_WIDTH.finditer(text):
        mark = match.group(0)
        yield Hit(match.start(), 1, f"half-width {mark!r} in Chinese text", _FULL_WIDTH[mark], 0.8)


RULES: list[tuple[str, TextRule]] = [
    ("latin-word", latin_function_words),
    ("doubled-word", doubled_words),
    ("yi-as-dash", yi_as_dash),
    ("unbalanced-marks", unbalanced_marks),
    ("half-width-punctuation", half_width_punctuation),
]
"""Rules over every text of the model, in the order their findings are listed."""


def proofread(doc: Compilation) -> list[Finding]:
    """Every finding of every rule, text rules first, then the structural ones."""
    findings = []
    for where, speech, paragraph, text in _texts(doc):
        for rule, find in RULES:
            for hit in find(text):
                findings.append(_finding(rule, where, speech, paragraph, text, hit))
    findings.extend(_structure(doc))
    return findings


def _texts(doc: Compilation) -> Iterator[tuple[str, int | None, int | None, str]]:
    for label, value in (("kicker", doc.kicker), ("title", doc.title), ("subtitle", doc.subtitle)):
        if value:
            yield label, None, None, value
    if doc.editor_note is not None:
        for n, paragraph in enumerate(doc.editor_note.paragraphs):
            yield f"editor's note ¶{n + 1}", None, n, paragraph.text
    for k, speech in enumerate(doc.speeches):
        label = _speech_label(k, speech)
        if speech.heading:
            yield f"{label} heading", k, None, speech.heading
        for n, paragraph in enumerate(speech.paragraphs):
            yield f"{label} ¶{n + 1}", k, n, paragraph.text


def _speech_label(index: int, speech: Speech) -> str:
    return f"speech {index + 1} «{speech.label('(no heading)')}»"


def _finding(rule: str, where: str, speech: int | None, paragraph: int | None, text: str, hit: Hit) -> Finding:
    end = hit.offset + hit.length
    return Finding(
        rule=rule,
        where=where,
        speech=speech,
        paragraph=paragraph,
        offset=hit.offset,
        text=text[hit.offset : end],
        before=text[max(0, hit.offset - CONTEXT) : hit.offset],
        after=text[end : end + CONTEXT],
        suggestion=hit.suggestion,
        confidence=hit.confidence,
        message=hit.message,
    )


def _structure(doc: Compilation) -> Iterator[Finding]:
    """Findings about the shape of speeches: speaker lines, empty speeches, fragment-sized paragraphs."""
    for k, speech in enumerate(doc.speeches):
        label = _speech_label(k, speech)
        if speech.speaker is not None:
            name = speech.speaker.name
            if not re.fullmatch(rf"[{HAN}]{{2,4}}|[{HAN}]+(?:·[{HAN}]+)+", name):
                yield Finding("speaker-line", f"{label} speaker", k, None, 0, name, speech.speaker.affiliation, "",
                              None, 0.5, f"the speaker's name {name!r} does not look like a name")  # fmt: skip
        if not speech.paragraphs:
            yield Finding("empty-speech", label, k, None, 0, speech.heading or "", "", "", None, 0.9,
                          "the speech has no paragraphs")  # fmt: skip
        for n, paragraph in enumerate(speech.paragraphs):
            if paragraph.role is ParagraphRole.BODY and len(paragraph.text) < SHORT_PARAGRAPH:
                yield Finding("short-paragraph", f"{label} ¶{n + 1}", k, n, 0, paragraph.text, "", "", None, 0.4,
                              "a very short paragraph: perhaps a fragment left over from a break")  # fmt: skip
