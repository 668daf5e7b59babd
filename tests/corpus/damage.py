"""Damage clean labelled pages the way column extraction damages newspaper text.

Recovery has to be measured on text that is broken the way print breaks it, with a record of
every break, so this generator cuts answer paragraphs at page and column breaks, moves some tails
to the wrong place, and indents blocks as printed. It reads only the page and its answer (never
the compiler) so that it cannot share the compiler's mistakes.

    python -m tests.corpus.damage --pages DIR (--names a,b | --all) --copies N --out DIR --seed S
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WHITESPACE = re.compile(r"[\s\ufeff]+")
WORD_CHAR = re.compile(r"\w")
INDENT = "\u3000\u3000"
INDENT_MODES = ("none", "body", "all")
CLAUSE_MARKS = frozenset("，、；：")
SENTENCE_MARKS = frozenset("。！？…")
CLOSERS = frozenset("”’）》」』")
MIN_PARAGRAPH = 8  # non-space characters a paragraph needs before it is worth cutting
MIN_SIDE = 2  # non-space characters each half of a cut keeps
MAX_DISPLACED = 3
DEFAULT_PAGES = Path(__file__).resolve().parent.parent / "data" / "corpus" / "pages"


@dataclass(frozen=True)
class DamagedPage:
    """A damaged page text and the record of its damage (the scorer's meta format plus extras)."""

    text: str
    meta: dict[str, Any]


@dataclass(frozen=True)
class Paragraph:
    """One answer paragraph and where its block sits in the clean page."""

    where: str  # "speech" | "editor_note"
    speech: int | None
    index: int
    text: str  # whitespace removed
    block: int | None  # index of the block holding it, None when it cannot be located
    start: int  # raw offset in the block where the paragraph begins (after a speaker prefix)


@dataclass(frozen=True)
class SpeechSpan:
    """The blocks of one speech: its first header block and the range its blocks occupy."""

    first_header: int | None
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Layout:
    """The clean page split into blocks, with every answer paragraph and speech located."""

    blocks: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]
    speeches: tuple[SpeechSpan, ...]
    unlocated: int


@dataclass(frozen=True)
class Piece:
    """A block of the damaged page: a whole clean block, or the head (part 0) or tail (part 1) of a cut one."""

    origin: int
    part: int
    text: str
    starts_paragraph: bool

    @property
    def key(self) -> tuple[int, int]:
        return (self.origin, self.part)


@dataclass
class Cut:
    """One cut paragraph, what kind of junction it left, and whether its tail was moved."""

    paragraph: Paragraph
    position: int  # raw offset in the block
    offset: int  # non-space characters of the paragraph before the cut
    kind: str
    displaced: bool = False
    landing: str | None = None
    whole_rest: bool = False


# --- text helpers -------------------------------------------------------------------------


def norm(text: object) -> str:
    """Whitespace removed, as the scorer compares texts."""
    return WHITESPACE.sub("", text) if isinstance(text, str) else ""


def is_space(char: str) -> bool:
    """What `norm` removes (Unicode whitespace and the BOM), cheap enough to test character by character."""
    return char.isspace() or char == "\ufeff"


def para_text(item: object) -> str:
    """A paragraph is a string or an object with a "text" key."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        return str(item["text"])
    return ""


def split_blocks(text: str) -> list[str]:
    """One block per non-blank line, kept raw so that no character is lost."""
    return [line for line in text.split("\n") if line.strip()]


def suffix_start(raw: str, count: int) -> int:
    """Raw offset where the last `count` non-space characters of `raw` begin."""
    seen = 0
    for i in range(len(raw) - 1, -1, -1):
        if not is_space(raw[i]):
            seen += 1
            if seen == count:
                return i
    return 0


def classify_cut(before: str) -> str:
    """The junction kind the scorer reports, from the text left of the cut."""
    if not before:
        return "word"
    if before[-1] in CLAUSE_MARKS:
        return "clause"
    stripped = before.rstrip("".join(CLOSERS))
    if stripped and stripped[-1] in SENTENCE_MARKS:
        return "sentence"
    return "word"


def cut_positions(raw: str, start: int) -> list[int]:
    """Raw offsets inside raw[start:] where a cut keeps two non-space characters a side and loses no space."""
    space = [is_space(char) for char in raw]
    total = space[start:].count(False)
    positions: list[int] = []
    left = 0
    for p in range(start + 1, len(raw)):
        if space[p - 1]:
            continue
        left += 1
        if not space[p] and left >= MIN_SIDE and total - left >= MIN_SIDE:
            positions.append(p)
    return positions


# --- locating the answer in the page ------------------------------------------------------


def answer_paragraphs(answer: dict[str, Any]) -> list[tuple[str, int | None, int, str]]:
    """(where, speech, index, text) of the note's and the speeches' paragraphs, in answer order."""
    out: list[tuple[str, int | None, int, str]] = []
    note = answer.get("editor_note")
    if isinstance(note, dict):
        for j, item in enumerate(note.get("paragraphs") or []):
            out.append(("editor_note", None, j, norm(para_text(item))))
    for i, speech in enumerate(answer.get("speeches") or []):
        for j, item in enumerate((speech or {}).get("paragraphs") or []):
            out.append(("speech", i, j, norm(para_text(item))))
    return out


def find_block(blocks: Sequence[str], text: str, start: int, claimed: set[int]) -> int | None:
    """First unclaimed block from `start` that is the paragraph or ends with it (a speaker prefix before it)."""
    for b in range(start, len(blocks)):
        if b not in claimed and blocks[b].endswith(text):
            return b
    return None


def locate_paragraphs(raw_blocks: Sequence[str], answer: dict[str, Any]) -> list[Paragraph]:
    """Match answer paragraphs to blocks in document order; a paragraph not found gets block None."""
    blocks = [norm(b) for b in raw_blocks]
    claimed: set[int] = set()
    cursor = 0
    out: list[Paragraph] = []
    for where, speech, index, text in answer_paragraphs(answer):
        hit = None
        if text:
            hit = find_block(blocks, text, cursor, claimed)
            if hit is None:
                hit = find_block(blocks, text, 0, claimed)
        start = 0
        if hit is not None:
            claimed.add(hit)
            cursor = hit + 1
            start = suffix_start(raw_blocks[hit], len(text))
        out.append(Paragraph(where, speech, index, text, hit, start))
    return out


def made_of_fields(block: str, fields: Sequence[str], marks: Sequence[str]) -> bool:
    """Whether the block is speaker/heading fields and unscored marks end to end, with at least one field."""
    bare, with_field = 1, 2
    reach = [0] * (len(block) + 1)
    reach[0] = bare
    for i in range(len(block)):
        if not reach[i]:
            continue
        for piece in fields:
            if block.startswith(piece, i):
                reach[i + len(piece)] |= with_field
        for piece in marks:
            if block.startswith(piece, i):
                reach[i + len(piece)] |= reach[i]
    return bool(reach[len(block)] & with_field)


def is_header_of(block: str, speech: dict[str, Any], marks: Sequence[str]) -> bool:
    """A heading (or one line of a heading printed on two), a speaker line, or a credit built from the speaker."""
    if not block:
        return False
    heading = norm(speech.get("heading"))
    if heading and block in heading and len(WORD_CHAR.findall(block)) >= MIN_SIDE:
        return True
    speaker = speech.get("speaker")
    speaker = speaker if isinstance(speaker, dict) else {}
    fields = [f for f in (heading, norm(speaker.get("affiliation")), norm(speaker.get("name"))) if f]
    return made_of_fields(block, fields, marks)


def front_texts(answer: dict[str, Any]) -> set[str]:
    """Blocks that belong to the page, not to a speech: kicker, title, subtitle, the note's signature."""
    note = answer.get("editor_note")
    texts = [answer.get("kicker"), answer.get("title"), answer.get("subtitle")]
    if isinstance(note, dict):
        texts.append(note.get("signature"))
    return {norm(t) for t in texts if norm(t)}


def header_blocks(
    raw_blocks: Sequence[str], answer: dict[str, Any], paragraphs: Sequence[Paragraph]
) -> list[list[int]]:
    """Header blocks of each speech, searched between the previous speech's body and the next one's.

    A block both neighbours could claim goes to the later speech: headers usually precede bodies."""
    speeches = answer.get("speeches") or []
    blocks = [norm(b) for b in raw_blocks]
    claimed = {p.block for p in paragraphs if p.block is not None}
    front = front_texts(answer)
    marks = sorted({norm(m) for m in answer.get("unscored") or [] if isinstance(m, str) and norm(m)})
    owner: dict[int, int] = {}
    for i, speech in enumerate(speeches):
        before = [p.block for p in paragraphs if p.block is not None and (p.speech is None or p.speech < i)]
        after = [p.block for p in paragraphs if p.block is not None and p.speech is not None and p.speech > i]
        lo, hi = max(before, default=-1), min(after, default=len(blocks))
        for b in range(lo + 1, hi):
            if b not in claimed and blocks[b] not in front and is_header_of(blocks[b], speech or {}, marks):
                owner[b] = i
    headers: list[list[int]] = [[] for _ in speeches]
    for b, i in owner.items():
        headers[i].append(b)
    for p in paragraphs:  # "职务姓名：正文…": the speaker line is the paragraph's own block
        if p.block is not None and p.speech is not None and blocks[p.block] != p.text:
            headers[p.speech].append(p.block)
    return [sorted(h) for h in headers]


def is_credit(block: str) -> bool:
    return len(block) > 2 and block.startswith("（") and block.endswith("）")


def speech_spans(
    raw_blocks: Sequence[str], answer: dict[str, Any], paragraphs: Sequence[Paragraph]
) -> list[SpeechSpan]:
    """Where each speech lies; a bracketed credit line right after it counts as its own."""
    headers = header_blocks(raw_blocks, answer, paragraphs)
    blocks = [norm(b) for b in raw_blocks]
    owned = {b for h in headers for b in h} | {p.block for p in paragraphs if p.block is not None}
    spans: list[SpeechSpan] = []
    for i, own_headers in enumerate(headers):
        members = own_headers + [p.block for p in paragraphs if p.speech == i and p.block is not None]
        if not members:
            spans.append(SpeechSpan(None, None, None))
            continue
        end = max(members)
        while end + 1 < len(blocks) and end + 1 not in owned and is_credit(blocks[end + 1]):
            end += 1
        spans.append(SpeechSpan(min(own_headers, default=None), min(members), end))
    return spans


def layout_page(text: str, answer: dict[str, Any]) -> Layout:
    """Split the page into blocks and find every answer paragraph and speech in them."""
    blocks = split_blocks(text)
    paragraphs = locate_paragraphs(blocks, answer)
    spans = speech_spans(blocks, answer, paragraphs)
    unlocated = sum(1 for p in paragraphs if p.block is None)
    return Layout(tuple(blocks), tuple(paragraphs), tuple(spans), unlocated)


# --- damage -------------------------------------------------------------------------------


def cuttable(layout: Layout) -> list[Paragraph]:
    """Located paragraphs long enough to cut, whose text occurs once on the page.

    A repeated text (the same credit line under two speeches) would still be whole somewhere after
    the cut, so neither the tests nor the scorer could tell the cut happened."""
    texts = Counter(p.text for p in layout.paragraphs)
    blocks = Counter(norm(b) for b in layout.blocks)
    out = []
    for p in layout.paragraphs:
        if p.block is None or len(p.text) < MIN_PARAGRAPH or texts[p.text] > 1:
            continue
        elsewhere = blocks[p.text] - (norm(layout.blocks[p.block]) == p.text)
        if not elsewhere and cut_positions(layout.blocks[p.block], p.start):
            out.append(p)
    return out


def choose_cuts(layout: Layout, rng: random.Random) -> list[Cut]:
    """k in 1..speeches+2 paragraphs, each cut at a uniformly random allowed position."""
    candidates = cuttable(layout)
    k = rng.randint(1, len(layout.speeches) + 2)
    chosen = sorted(rng.sample(candidates, min(k, len(candidates))), key=layout.paragraphs.index)
    cuts = []
    for p in chosen:
        raw = layout.blocks[p.block] if p.block is not None else ""
        position = rng.choice(cut_positions(raw, p.start))
        before = norm(raw[p.start : position])  # "。 ”" ends a sentence as "。”" does: the scorer ignores spaces
        cuts.append(Cut(p, position, len(before), classify_cut(before)))
    return cuts


def initial_pieces(layout: Layout, cuts: Sequence[Cut]) -> list[Piece]:
    """The page's blocks in order, each cut block as its head and its (unindented) continuation."""
    starts = {p.block for p in layout.paragraphs if p.block is not None}
    at = {cut.paragraph.block: cut.position for cut in cuts}
    pieces: list[Piece] = []
    for b, raw in enumerate(layout.blocks):
        if b in at:
            pieces.append(Piece(b, 0, raw[: at[b]], True))
            pieces.append(Piece(b, 1, raw[at[b] :], False))
        else:
            pieces.append(Piece(b, 0, raw, b in starts))
    return pieces


def landing_places(remaining: Sequence[Piece], layout: Layout, speech: int) -> list[tuple[int, str]]:
    """Distinct insertion points: the page end, before a speech's first header, after another speech."""
    index = {piece.key: i for i, piece in enumerate(remaining)}
    places: list[tuple[int, str]] = [(len(remaining), "end")]
    for span in layout.speeches:
        if span.first_header is not None and (span.first_header, 0) in index:
            places.append((index[(span.first_header, 0)], "before-header"))
    for j, span in enumerate(layout.speeches):
        if j == speech or span.start is None or span.end is None:
            continue
        own = [p.key for p in remaining if span.start <= p.origin <= span.end]
        if own:
            places.append((index[max(own)] + 1, "after-speech"))
    seen: set[int] = set()
    distinct = []
    for place in places:
        if place[0] not in seen:
            seen.add(place[0])
            distinct.append(place)
    return distinct


def displace(pieces: list[Piece], layout: Layout, cut: Cut, rng: random.Random) -> list[Piece]:
    """Move the cut's tail (alone, or with the rest of its speech) to another landing place."""
    block, speech = cut.paragraph.block, cut.paragraph.speech
    assert block is not None and speech is not None
    end = layout.speeches[speech].end
    whole_rest = rng.choice((False, True))
    tail = (block, 1)

    def moves(piece: Piece) -> bool:
        return piece.key == tail or (whole_rest and end is not None and block < piece.origin <= end)

    group = [p for p in pieces if moves(p)]
    remaining = [p for p in pieces if not moves(p)]
    was_at = next(i for i, p in enumerate(pieces) if moves(p))
    places = [place for place in landing_places(remaining, layout, speech) if place[0] != was_at]
    if not places:
        return pieces
    at, label = rng.choice(places)
    cut.displaced, cut.landing, cut.whole_rest = True, label, whole_rest
    return remaining[:at] + group + remaining[at:]


def choose_displacements(pieces: list[Piece], layout: Layout, cuts: Sequence[Cut], rng: random.Random) -> list[Piece]:
    """Up to three cut speech paragraphs, at most one per speech, get their tails displaced."""
    by_speech: dict[int, list[Cut]] = {}
    for cut in cuts:
        if cut.paragraph.speech is not None:
            by_speech.setdefault(cut.paragraph.speech, []).append(cut)
    count = rng.randint(0, MAX_DISPLACED)
    for speech in rng.sample(sorted(by_speech), min(count, len(by_speech))):
        pieces = displace(pieces, layout, rng.choice(by_speech[speech]), rng)
    return pieces


def indent(piece: Piece, mode: str) -> str:
    """Print keeps indentation on first lines only: a continuation never gets it."""
    if mode == "none" or piece.part == 1:
        return piece.text
    if mode == "all" or piece.starts_paragraph:
        return INDENT + piece.text
    return piece.text


def split_record(cut: Cut) -> dict[str, Any]:
    """The cut in the scorer's meta format, with where it was cut and where its tail went."""
    p = cut.paragraph
    record: dict[str, Any] = {"where": p.where}
    if p.speech is not None:
        record["speech"] = p.speech
    record.update(paragraph=p.index, kind=cut.kind, displaced=cut.displaced, offset=cut.offset,
                  landing=cut.landing, whole_rest=cut.whole_rest)
    return record


def damage_page(
    text: str, answer: dict[str, Any], rng: random.Random, *, indent_mode: str | None = None
) -> DamagedPage:
    """Cut, displace and indent one clean page; `indent_mode` overrides the random mode (the draw still happens)."""
    layout = layout_page(text, answer)
    cuts = choose_cuts(layout, rng)
    pieces = choose_displacements(initial_pieces(layout, cuts), layout, cuts, rng)
    mode = rng.choice(INDENT_MODES)
    mode = indent_mode if indent_mode is not None else mode
    if mode not in INDENT_MODES:
        raise ValueError(f"unknown indent mode {mode!r}")
    damaged = "\n\n".join(indent(piece, mode) for piece in pieces) + "\n"
    assert Counter(norm(damaged)) == Counter(norm(text)), "damage lost or duplicated a character"
    meta = {"splits": [split_record(cut) for cut in cuts], "indent": mode, "unlocated": layout.unlocated}
    return DamagedPage(damaged, meta)


# --- files and command line ---------------------------------------------------------------


def read_page(pages_dir: Path, name: str) -> tuple[str, dict[str, Any]]:
    text = (pages_dir / f"{name}.txt").read_bytes().decode("utf-8-sig")
    answer = json.loads((pages_dir / f"{name}.expected.json").read_text(encoding="utf-8"))
    return text, answer


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_damaged(pages_dir: Path, names: list[str], copies: int, out_dir: Path, seed: str) -> list[Path]:
    """Write NAME~c.txt, NAME~c.expected.json and NAME~c.meta.json; returns the damaged text paths.

    Each copy's generator is seeded with "SEED/NAME/c", so one page's damage does not depend on
    which other pages are generated with it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in names:
        text, answer = read_page(pages_dir, name)
        for copy in range(copies):
            copy_seed = f"{seed}/{name}/{copy}"
            page = damage_page(text, answer, random.Random(copy_seed))
            stem = out_dir / f"{name}~{copy}"
            Path(f"{stem}.txt").write_text(page.text, encoding="utf-8")
            shutil.copyfile(pages_dir / f"{name}.expected.json", f"{stem}.expected.json")
            write_json(Path(f"{stem}.meta.json"), {**page.meta, "seed": copy_seed})
            written.append(Path(f"{stem}.txt"))
    return written


def page_names(pages_dir: Path) -> list[str]:
    """Every NAME with both NAME.txt and NAME.expected.json."""
    suffix = ".expected.json"
    return sorted(p.name[: -len(suffix)] for p in pages_dir.glob(f"*{suffix}")
                  if (pages_dir / f"{p.name[: -len(suffix)]}.txt").exists())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.corpus.damage", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="directory of NAME.txt + NAME.expected.json")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--names", help="comma-separated page names")
    which.add_argument("--all", action="store_true", help="every page in --pages")
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", default="damage")
    args = parser.parse_args(argv)
    names = page_names(args.pages) if args.all else [n.strip() for n in args.names.split(",") if n.strip()]
    written = write_damaged(args.pages, names, args.copies, args.out, args.seed)
    print(f"wrote {len(written)} damaged pages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
