"""Blocks → model: tag every block's role for the page as a whole, then build the compilation.

`structure.py` decides roles (kicker, title, note, heading, speaker, body, caption, …) by scoring
the whole page against the genre's grammar. This module only turns that role sequence into the
model: the title area, the editor's note, and speeches that start at their header blocks
(heading and speaker line, in whichever order the page uses). No block is dropped or merged
here: a block the tagger could not place is a paragraph of its own, and the caller gets a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from compiler.model import Compilation, EditorNote, Paragraph, ParagraphRole, Span, Speaker, Speech
from compiler.names import best_split, is_bare_name, looks_like_name, strip_marks
from compiler.read import Block
from compiler.structure import BYLINE, CREDIT, SERIES_TAG, BlockRole, tag_blocks

_R = BlockRole
_INLINE_SPEAKER = re.compile(r"^(?P<who>[^：:。；！？，]{2,48}[：:])(?P<rest>.+)$")
_AUTHOR_CREDIT = re.compile(
    r"^[（(]作者(?:为|系)(?P<affiliation>.+?)(?:[，,；;]\s*(?:本报|记者|新华社|人民网).*)?[）)]$"
)

_SPEECH_START = (_R.HEADING, _R.SPEAKER, _R.SPEAKER_INLINE)


@dataclass(frozen=True, slots=True)
class ParseResult:
    """A parsed model and what the parser could not be sure of."""

    compilation: Compilation
    warnings: tuple[str, ...] = ()
    roles: tuple[BlockRole, ...] = ()
    """The role each block was given, in input order (for `compiler check` and the corpus tests)."""


@dataclass(slots=True)
class _SpeechBuilder:
    """One speech being gathered: header first, then its paragraphs."""

    line: int
    heading: list[str] = field(default_factory=list)
    speaker: Speaker | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    closed: bool = False
    """A dash signature (——职务姓名) ended it: only credits may still join."""

    def build(self) -> Speech:
        heading, speaker = _name_out_of_heading(self.heading, self.speaker)
        speaker = _speaker_from_author_credit(speaker, self.paragraphs)
        return Speech(
            heading=" ".join(heading) or None,
            speaker=speaker,
            paragraphs=tuple(self.paragraphs),
            line=self.line,
        )


@dataclass(slots=True)
class _Front:
    kicker: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    subtitle: list[str] = field(default_factory=list)
    extras: list[Paragraph] = field(default_factory=list)
    note: list[Paragraph] = field(default_factory=list)
    signature: str | None = None


def parse_blocks(blocks: Sequence[Block]) -> ParseResult:
    """Build the model from the blocks of one input."""
    roles = tag_blocks(blocks)
    return build_compilation(blocks, roles)


def build_compilation(blocks: Sequence[Block], roles: Sequence[BlockRole]) -> ParseResult:
    """The model a role sequence describes (every block kept, in order)."""
    front = _Front()
    speeches: list[_SpeechBuilder] = []
    warnings: list[str] = []
    for block, role in zip(blocks, roles, strict=True):
        if not speeches and role in (
            _R.KICKER,
            _R.TITLE,
            _R.SUBTITLE,
            _R.FRONT_EXTRA,
            _R.CAPTION,
            _R.NOTE,
            _R.SIGNATURE,
        ):
            _add_to_front(front, block, role)
        else:
            _add_to_speeches(speeches, block, role)
    series, title = _series_and_title(" ".join(front.title) or None)
    if title is None:
        warnings.append("no title found")
    if _is_unsigned_lead(front, speeches):
        front.note.extend(speeches.pop(0).paragraphs)
    if speeches and speeches[0].speaker is None and not speeches[0].heading:
        first = speeches[0].paragraphs[0].sources[0].first if speeches[0].paragraphs else 0
        if len(speeches) > 1:
            count = len(speeches[0].paragraphs)
            warnings.append(f"{count} block(s) before the first speech (from line {first}) belong to no speech")
    if not any(s.speaker or s.heading for s in speeches) and speeches:
        warnings.append("no speeches found: the text after the title block is kept as plain paragraphs")
    note = None
    if front.note or front.signature:
        note = EditorNote(paragraphs=tuple(front.note), signature=front.signature)
    doc = Compilation(
        title=title,
        kicker=" ".join(front.kicker) or None,
        subtitle=" ".join(front.subtitle) or None,
        front_matter=tuple(front.extras),
        series=series,
        editor_note=note,
        speeches=tuple(s.build() for s in speeches),
    )
    return ParseResult(compilation=doc, warnings=tuple(warnings), roles=tuple(roles))


def _add_to_front(front: _Front, block: Block, role: BlockRole) -> None:
    match role:
        case _R.KICKER:
            front.kicker.append(block.text)
        case _R.TITLE:
            front.title.append(block.text)
        case _R.SUBTITLE:
            front.subtitle.append(block.text)
        case _R.NOTE:
            front.note.append(_paragraph(block, ParagraphRole.BODY))
        case _R.SIGNATURE:
            front.signature = block.text if front.signature is None else f"{front.signature} {block.text}"
        case _:
            front.extras.append(_paragraph(block, _extra_role(block.text)))


def _add_to_speeches(speeches: list[_SpeechBuilder], block: Block, role: BlockRole) -> None:
    current = speeches[-1] if speeches else None
    if current is None or _starts_new_speech(current, role):
        current = _SpeechBuilder(line=block.line)
        speeches.append(current)
    match role:
        case _R.HEADING:
            current.heading.append(block.text)
        case _R.SPEAKER:
            current.speaker = speaker_of_line(block.text)
        case _R.SPEAKER_INLINE:
            _add_inline_speaker(current, block)
        case _R.SPEAKER_AFTER:
            if current.speaker is None:
                current.speaker = speaker_of_line(block.text)
                current.closed = True
            else:  # a second signature signs the remark just before it
                _sign_last_paragraph(speeches, block)
        case _R.SECTION:
            current.paragraphs.append(_paragraph(block, ParagraphRole.SUBHEADING))
        case _R.BYLINE:
            current.paragraphs.append(_paragraph(block, ParagraphRole.BYLINE))
        case _R.CREDIT:
            current.paragraphs.append(_paragraph(block, ParagraphRole.CREDIT))
        case _R.CAPTION | _R.FRONT_EXTRA:
            current.paragraphs.append(_paragraph(block, ParagraphRole.CAPTION))
        case _:
            current.paragraphs.append(_paragraph(block, ParagraphRole.BODY))


def _sign_last_paragraph(speeches: list[_SpeechBuilder], block: Block) -> None:
    """A dash signature under a speech that already has its speaker (发言摘登: whole speeches,
    then one-paragraph remarks each signed ——职务姓名) signs the paragraph before it alone. With
    no body paragraph to take, the line stays in the speech as a credit, not lost."""
    current = speeches[-1]
    if not current.paragraphs or current.paragraphs[-1].role is not ParagraphRole.BODY or len(current.paragraphs) < 2:
        current.paragraphs.append(_paragraph(block, ParagraphRole.CREDIT))
        return
    remark = current.paragraphs.pop()
    first = remark.sources[0].first if remark.sources else block.line
    signed = _SpeechBuilder(line=first, speaker=speaker_of_line(block.text), paragraphs=[remark], closed=True)
    speeches.append(signed)


def _is_unsigned_lead(front: _Front, speeches: Sequence[_SpeechBuilder]) -> bool:
    """Body text between the title block and the first speech, on a page with no editor's note:
    the unsigned lead (导语) that stands where a note would, read as the note without signature."""
    if front.note or front.signature is not None or len(speeches) < 2:
        return False
    first = speeches[0]
    return (
        first.speaker is None
        and not first.heading
        and bool(first.paragraphs)
        and all(p.role is ParagraphRole.BODY for p in first.paragraphs)
    )


def _starts_new_speech(current: _SpeechBuilder, role: BlockRole) -> bool:
    """A header block opens a new speech unless it completes the current speech's header; after a
    closing dash signature (——职务姓名) only a credit line still belongs to the speech it closed."""
    if role not in _SPEECH_START:
        return current.closed and role is not _R.CREDIT
    if _speaker_after_lead(current, role):
        return False
    if current.paragraphs or current.closed:
        return True
    if role is _R.HEADING:
        return current.speaker is not None and bool(current.heading)
    return current.speaker is not None


def _speaker_after_lead(current: _SpeechBuilder, role: BlockRole) -> bool:
    """A heading, a lead paragraph or two (【背景】…, a reporter's question or introduction), then
    the first speaker: the lead opens that speaker's speech, under the heading."""
    return (
        role in (_R.SPEAKER, _R.SPEAKER_INLINE)
        and bool(current.heading)
        and current.speaker is None
        and not current.closed
    )


def _add_inline_speaker(current: _SpeechBuilder, block: Block) -> None:
    match = _INLINE_SPEAKER.match(block.text)
    if match is None or current.speaker is not None:
        current.paragraphs.append(_paragraph(block, ParagraphRole.BODY))
        return
    current.speaker = speaker_of_line(match["who"])
    current.paragraphs.append(
        Paragraph(text=match["rest"], sources=(Span(block.line, block.line),), role=ParagraphRole.BODY)
    )


def speaker_of_line(text: str) -> Speaker:
    """A speaker line read with the name model; the line itself is kept verbatim."""
    split = best_split(text)
    if split is not None:
        return Speaker(affiliation=split.affiliation, name=split.name, line=text)
    core = strip_marks(text)
    if looks_like_name(core):
        return Speaker(affiliation="", name=core.replace(" ", ""), line=text)
    return Speaker(affiliation=core, name="", line=text)


def _name_out_of_heading(lines: list[str], speaker: Speaker | None) -> tuple[list[str], Speaker | None]:
    """A heading of two or more lines, one of them (first or last) a bare name, in a speech with no
    speaker line: that line is the speaker (大家谈: a heading, then the writer's name alone). No
    heading line is ever only a person's name."""
    if speaker is not None or len(lines) < 2:
        return lines, speaker
    for at in (len(lines) - 1, 0):
        if is_bare_name(lines[at]):
            return lines[:at] + lines[at + 1 :], speaker_of_line(lines[at])
    return lines, speaker


def _speaker_from_author_credit(speaker: Speaker | None, paragraphs: Sequence[Paragraph]) -> Speaker | None:
    """A name-only speaker line whose title is in a closing （作者为…） line takes it from there."""
    if speaker is None or speaker.affiliation:
        return speaker
    for paragraph in reversed(paragraphs):
        found = _AUTHOR_CREDIT.match(paragraph.text)
        if found:
            return replace(speaker, affiliation=found["affiliation"].strip())
    return speaker


def _extra_role(text: str) -> ParagraphRole:
    if CREDIT.match(text):
        return ParagraphRole.CREDIT
    if BYLINE.match(text + " ") and len(text) <= 40:
        return ParagraphRole.BYLINE
    return ParagraphRole.CAPTION


def _series_and_title(title: str | None) -> tuple[str | None, str | None]:
    """A bracketed series tag before the title (【学习贯彻…】) is kept apart from it."""
    if title is None:
        return None, None
    tagged = SERIES_TAG.match(title)
    if tagged and tagged[2]:
        return tagged[1], tagged[2]
    return None, title


def _paragraph(block: Block, role: ParagraphRole) -> Paragraph:
    return Paragraph(text=block.text, sources=(Span(block.line, block.line),), role=role, indented=block.indented)
