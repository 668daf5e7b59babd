"""Blocks → model: find the title block, the editor's note and the speeches of a 发言摘编 page.

The rules describe the genre, not one page: a speaker line is "affiliation ending in a title,
then a name"; a heading is the short line beside it; the front matter is whatever comes before
the first speech. Nothing of any page's wording is known here. Blocks whose role cannot be found
are kept as paragraphs, and the caller gets a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from compiler.chinese import SENTENCE_END, count_han
from compiler.model import Compilation, EditorNote, Paragraph, ParagraphRole, Span, Speaker, Speech
from compiler.read import Block

# The longest line that is still taken for a heading, title or speaker line (characters).
MAX_HEADING_CHARS = 40
MAX_SPEAKER_CHARS = 60

_DASH = "[—─―–-]"
_SIGNATURE = re.compile(rf"^{_DASH}{{1,3}} ?编 ?者$")
_SUBTITLE = re.compile(rf"^{_DASH}{{1,3}} ?\S")
_SERIES_TAG = re.compile(r"^(【[^】]+】|〔[^〕]+〕|［[^］]+］|\[[^\]]+\])\s*(.*)$")
_NUMERAL = "[一二三四五六七八九十百]+"
_SECTION_NUMBER = re.compile(rf"^(?:{_NUMERAL}、|（{_NUMERAL}）|第{_NUMERAL}部分)")
_CREDIT = re.compile(r"^[（(][^（()）]*(?:记者|整理|采访|撰稿|供稿|通讯员|编辑|摄)[^（()）]*[）)]$")
# A personal name: two to four ideographs, or a transliterated name joined by a middle dot.
_NAME = r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,8}(?:[·・•][\u4e00-\u9fff]{1,8}){1,3}"
# Titles that close an affiliation; used to split speaker lines written without a space.
_TITLES = (
    "主任委员|副主任|主任|副书记|书记|副主席|主席|委员长|委员|成员|常委|代表|秘书长|"
    "省长|市长|县长|区长|州长|部长|厅长|局长|院长|校长|社长|会长|处长|检察长|行长|主编|总编辑|"
    "董事长|总经理|经理|负责人|研究员|教授|记者|专家|干部|巡视员|参事|主持人"
)
_SPEAKER_SPACED = re.compile(rf"^(?P<affiliation>.+) (?P<name>{_NAME})$")
_SPEAKER_UNSPACED = re.compile(rf"^(?P<affiliation>.{{2,}}?(?:{_TITLES}))(?P<name>{_NAME})$")
# Characters that end an affiliation written with a space before the name: the last character of
# common titles (主任, 书记, 委员, 主席, 省长, 代表, 经理, 教授, 记者, 负责人, 专家, 总编辑, 干部…).
_TITLE_LAST_CHARS = frozenset("任记员委席长表理授者人家辑编部事官师书士")
# Punctuation that never occurs in a speaker line.
_NOT_IN_SPEAKER = frozenset('，。；！？：,;!?:“”"')


class BlockKind(Enum):
    """What a block looks like on its own, before context decides."""

    SIGNATURE = "signature"
    SUBTITLE = "subtitle"
    SPEAKER = "speaker"
    SECTION = "section"
    CREDIT = "credit"
    SHORT = "short"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class ParseResult:
    """A parsed model and what the parser could not be sure of."""

    compilation: Compilation
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class _SpeechFrame:
    """Where one speech's pieces are in the block list, before it becomes a `Speech`."""

    start: int
    heading: int | None
    speaker: int | None
    body: list[int] = field(default_factory=list)


def classify(block: Block) -> BlockKind:
    """The kind a block has on its own."""
    text = block.text
    if _SIGNATURE.match(text):
        return BlockKind.SIGNATURE
    if _SUBTITLE.match(text):
        return BlockKind.SUBTITLE
    if _CREDIT.match(text) and len(text) <= MAX_SPEAKER_CHARS:
        return BlockKind.CREDIT
    if split_speaker(text) is not None:
        return BlockKind.SPEAKER
    if is_heading_like(text) and _SECTION_NUMBER.match(text):
        return BlockKind.SECTION
    if is_heading_like(text):
        return BlockKind.SHORT
    return BlockKind.TEXT


def is_heading_like(text: str) -> bool:
    """Short, with some ideographs, and not ending like a sentence or a clause."""
    return (
        len(text) <= MAX_HEADING_CHARS
        and count_han(text) >= 2
        and text[-1] not in SENTENCE_END
        and text[-1] not in "，,；;、：:"
    )


def split_speaker(text: str) -> Speaker | None:
    """Split a speaker line `职务 姓名` (or `职务姓名`) into affiliation and name, if it is one."""
    if len(text) > MAX_SPEAKER_CHARS or any(char in _NOT_IN_SPEAKER for char in text):
        return None
    spaced = _SPEAKER_SPACED.match(text)
    if spaced:
        affiliation = spaced["affiliation"]
        if count_han(affiliation) >= 3 and affiliation[-1] in _TITLE_LAST_CHARS:
            return Speaker(affiliation=affiliation, name=spaced["name"])
        return None
    unspaced = _SPEAKER_UNSPACED.match(text)
    if unspaced and count_han(unspaced["affiliation"]) >= 4:
        return Speaker(affiliation=unspaced["affiliation"], name=unspaced["name"])
    return None


def parse_blocks(blocks: Sequence[Block]) -> ParseResult:
    """Build the model from the blocks of one input."""
    kinds = _confirm_speakers(blocks, [classify(block) for block in blocks])
    warnings: list[str] = []
    frames = _find_speeches(kinds)
    if frames:
        front_end = frames[0].start
    else:
        front_end = _end_of_front_without_speeches(kinds)
        if front_end < len(blocks):
            warnings.append(
                "no speeches or numbered sections found: the text after the title block is kept as plain paragraphs"
            )
            frames = [
                _SpeechFrame(start=front_end, heading=None, speaker=None, body=list(range(front_end, len(blocks))))
            ]
    front = _parse_front(blocks, kinds, front_end, warnings)
    speeches = [_build_speech(blocks, kinds, frame) for frame in frames]
    if front.orphans:
        speeches.insert(
            0,
            Speech(
                heading=None, speaker=None, paragraphs=tuple(_paragraph(blocks[i], kinds[i]) for i in front.orphans)
            ),
        )
        warnings.append(
            f"{len(front.orphans)} block(s) after the editor's note and before the first speech "
            f"(from line {blocks[front.orphans[0]].line}) belong to no speech"
        )
    compilation = Compilation(
        title=front.title,
        kicker=front.kicker,
        subtitle=front.subtitle,
        series=front.series,
        editor_note=front.note,
        speeches=tuple(speeches),
    )
    return ParseResult(compilation=compilation, warnings=tuple(warnings))


def _headed(kinds: Sequence[BlockKind], i: int) -> bool:
    return 0 <= i < len(kinds) and kinds[i] in (BlockKind.SHORT, BlockKind.SECTION)


def _heading_comes_first(kinds: Sequence[BlockKind], speakers: Sequence[int]) -> bool:
    """Whether this page puts each heading before its speaker line (the usual order) or after it."""
    return sum(_headed(kinds, i - 1) for i in speakers) >= sum(_headed(kinds, i + 1) for i in speakers)


def _confirm_speakers(blocks: Sequence[Block], kinds: list[BlockKind]) -> list[BlockKind]:
    """Keep the speaker-like lines that sit where this page puts speaker lines.

    Several speaker-like lines in a row hold one speaker line: a heading such as
    "强化政协委员 责任担当" has the shape of `职务 姓名` (tests/data/clean/cppcc_local_2020.txt),
    and so does a paragraph cut after "…习近平总书记关于". And where the page's speaker lines
    have headings beside them, a speaker-like line without one is body text.
    """
    resolved = list(kinds)
    runs = _speaker_runs(resolved)
    single = [run[0] for run in runs if len(run) == 1]
    heading_first = _heading_comes_first(resolved, single) if single else True
    for run in (run for run in runs if len(run) > 1):
        spaced = [i for i in run if " " in blocks[i].text] or run
        speaker = spaced[-1] if heading_first else spaced[0]
        for i in run:
            if i != speaker:
                before_speaker = i < speaker
                resolved[i] = BlockKind.SHORT if before_speaker == heading_first else BlockKind.TEXT
    speakers = [i for i, kind in enumerate(resolved) if kind is BlockKind.SPEAKER]
    side = -1 if _heading_comes_first(resolved, speakers) else 1
    headed = [i for i in speakers if _headed(resolved, i + side)]
    if headed:
        for i in speakers:
            if i not in headed:
                resolved[i] = BlockKind.TEXT
    return resolved


def _speaker_runs(kinds: Sequence[BlockKind]) -> list[list[int]]:
    """Maximal runs of consecutive speaker-like blocks."""
    runs: list[list[int]] = []
    for i, kind in enumerate(kinds):
        if kind is not BlockKind.SPEAKER:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _find_speeches(kinds: Sequence[BlockKind]) -> list[_SpeechFrame]:
    """Speeches start at speaker lines (with the heading beside them); failing that, at numbered sections."""
    speakers = [i for i, kind in enumerate(kinds) if kind is BlockKind.SPEAKER]
    if speakers:
        return _frames_from_speakers(kinds, speakers)
    sections = [i for i, kind in enumerate(kinds) if kind is BlockKind.SECTION]
    if len(sections) >= 2:
        return _frames_from_starts(len(kinds), [(i, i, None) for i in sections])
    return []


def _frames_from_speakers(kinds: Sequence[BlockKind], speakers: list[int]) -> list[_SpeechFrame]:
    """Pair each speaker line with its heading: before it or after it, whichever the page does."""
    heading_first = _heading_comes_first(kinds, speakers)
    starts: list[tuple[int, int | None, int | None]] = []
    for i in speakers:
        if heading_first:
            heading = i - 1 if _headed(kinds, i - 1) and (not starts or starts[-1][0] < i - 1) else None
            starts.append((heading if heading is not None else i, heading, i))
        else:
            heading = i + 1 if _headed(kinds, i + 1) else None
            starts.append((i, heading, i))
    return _frames_from_starts(len(kinds), starts)


def _frames_from_starts(count: int, starts: list[tuple[int, int | None, int | None]]) -> list[_SpeechFrame]:
    frames = []
    for n, (start, heading, speaker) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else count
        header = {index for index in (heading, speaker) if index is not None}
        frames.append(
            _SpeechFrame(
                start=start, heading=heading, speaker=speaker, body=[i for i in range(start, end) if i not in header]
            )
        )
    return frames


def _end_of_front_without_speeches(kinds: Sequence[BlockKind]) -> int:
    """With no speeches, the front ends after the signature, else after the subtitle, else after the title lines."""
    for marker in (BlockKind.SIGNATURE, BlockKind.SUBTITLE):
        if marker in kinds:
            return kinds.index(marker) + 1
    leading = 0
    while leading < min(2, len(kinds) - 1) and kinds[leading] in (BlockKind.SHORT, BlockKind.SECTION):
        leading += 1
    return leading


@dataclass(slots=True)
class _Front:
    title: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    series: str | None = None
    note: EditorNote | None = None
    orphans: list[int] = field(default_factory=list)


def _parse_front(blocks: Sequence[Block], kinds: Sequence[BlockKind], end: int, warnings: list[str]) -> _Front:
    """Kicker, title, subtitle, series tag and editor's note: the blocks before the first speech."""
    front = _Front()
    indices = list(range(end))
    series_blocks = [i for i in indices if _is_series_tag_alone(blocks[i].text)]
    if series_blocks:
        front.series = blocks[series_blocks[0]].text
        indices.remove(series_blocks[0])
    signature = next((i for i in indices if kinds[i] is BlockKind.SIGNATURE), None)
    before_signature = [i for i in indices if signature is None or i < signature]
    subtitle = next((i for i in before_signature if kinds[i] is BlockKind.SUBTITLE), None)
    if subtitle is not None:
        position = before_signature.index(subtitle)
        front.subtitle = blocks[subtitle].text
        title_lines = before_signature[:position]
        note_lines = before_signature[position + 1 :]
    else:
        leading = 0
        while leading < min(2, len(before_signature)) and kinds[before_signature[leading]] in (
            BlockKind.SHORT,
            BlockKind.SECTION,
        ):
            leading += 1
        title_lines, note_lines = before_signature[:leading], before_signature[leading:]
    _assign_title_lines(blocks, title_lines, front, warnings)
    if signature is not None or note_lines:
        front.note = EditorNote(
            paragraphs=tuple(_paragraph(blocks[i], kinds[i]) for i in note_lines),
            signature=None if signature is None else blocks[signature].text,
        )
    if signature is not None:
        front.orphans = [i for i in indices if i > signature]
    return front


def _is_series_tag_alone(text: str) -> bool:
    """A line that is nothing but a bracketed series tag, e.g. 【学习贯彻…】."""
    tagged = _SERIES_TAG.match(text)
    return tagged is not None and not tagged[2]


def _assign_title_lines(blocks: Sequence[Block], lines: list[int], front: _Front, warnings: list[str]) -> None:
    """The last line before the subtitle is the title; the one before it the kicker."""
    if not lines:
        warnings.append("no title found")
        return
    title = blocks[lines[-1]].text
    tagged = _SERIES_TAG.match(title)
    if tagged and tagged[2] and front.series is None:
        front.series, title = tagged[1], tagged[2]
    front.title = title
    if len(lines) >= 2:
        front.kicker = " ".join(blocks[i].text for i in lines[:-1])
        if len(lines) > 2:
            warnings.append(f"{len(lines) - 1} lines above the title were all taken for the kicker")


def _paragraph(block: Block, kind: BlockKind) -> Paragraph:
    role = ParagraphRole.SUBHEADING if kind is BlockKind.SECTION else ParagraphRole.BODY
    return Paragraph(text=block.text, sources=(Span(block.line, block.line),), role=role)


def _build_speech(blocks: Sequence[Block], kinds: Sequence[BlockKind], frame: _SpeechFrame) -> Speech:
    body = list(frame.body)
    credit = None
    if body and kinds[body[-1]] is BlockKind.CREDIT:
        credit = blocks[body.pop()].text
    speaker = None if frame.speaker is None else split_speaker(blocks[frame.speaker].text)
    return Speech(
        heading=None if frame.heading is None else blocks[frame.heading].text,
        speaker=speaker,
        paragraphs=tuple(_paragraph(blocks[i], kinds[i]) for i in body),
        credit=credit,
        line=blocks[frame.start].line,
    )
