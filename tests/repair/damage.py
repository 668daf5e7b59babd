"""A damage generator: cut clean compilation text the way newspaper column breaks do.

Takes a clean model and a seeded random source, cuts paragraphs at random places of three kinds
(inside a word, between words, after a sentence or clause end: uniformly over characters, so the
kinds come in their natural proportions), moves 0–3 speech tails (the text
after a cut and every paragraph after it in that speech) elsewhere (after another speech's last
paragraph, or before the heading of their own speech), and renders the damaged page as text.
The clean model is the answer the repair must give back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from enum import Enum

import jieba

from compiler.chinese import CLOSING, PARAGRAPH_MAY_END, is_han
from compiler.model import Compilation, ParagraphRole


class CutKind(Enum):
    IN_WORD = "in-word"
    BETWEEN_WORDS = "between-words"
    SENTENCE_END = "sentence-end"


@dataclass(frozen=True)
class Cut:
    speech: int
    paragraph: int
    offset: int
    kind: CutKind
    displaced: bool = False

    def left(self, text: str) -> str:
        return text[: self.offset]


@dataclass
class Damage:
    """A damaged page and what was done to it."""

    text: str
    cuts: list[Cut] = field(default_factory=list)


def cut_offsets(text: str) -> dict[CutKind, list[int]]:
    """Where a paragraph can be cut, by kind; each side keeps at least two characters."""
    offsets: dict[CutKind, list[int]] = {kind: [] for kind in CutKind}
    position = 0
    for token in jieba.cut(text, HMM=False):
        start, position = position, position + len(token)
        if len(token) >= 2 and all(is_han(char) for char in token):
            offsets[CutKind.IN_WORD].extend(range(start + 1, position))
        if start > 0:
            before = text[:start].rstrip("".join(CLOSING))
            kind = CutKind.SENTENCE_END if before and before[-1] in PARAGRAPH_MAY_END else CutKind.BETWEEN_WORDS
            offsets[kind].append(start)
    # A break beside a space loses the space (the reader trims line ends), which no repair can know.
    usable = [o for o in range(2, len(text) - 1) if not text[o - 1].isspace() and not text[o].isspace()]
    return {kind: sorted(set(found) & set(usable)) for kind, found in offsets.items()}


def damage(doc: Compilation, rng: random.Random, *, max_cuts: int | None = None, max_moves: int = 3) -> Damage:
    """Cut and displace a clean model's speeches; return the damaged page as text."""
    cuts = _choose_cuts(doc, rng, max_cuts)
    cuts = _choose_displaced(doc, cuts, rng, max_moves)
    return Damage(text=_render(doc, cuts, rng), cuts=cuts)


def _choose_cuts(doc: Compilation, rng: random.Random, max_cuts: int | None) -> list[Cut]:
    """Cut random paragraphs at a uniformly random character, as a column break falls.

    The kind of each cut follows from where it fell; at most one cut per paragraph.
    """
    places = [
        (k, i)
        for k, speech in enumerate(doc.speeches)
        for i, paragraph in enumerate(speech.paragraphs)
        if paragraph.role is ParagraphRole.BODY and len(paragraph.text) >= 8
    ]
    wanted = rng.randint(1, max_cuts if max_cuts is not None else len(doc.speeches) + 2)
    cuts = []
    for k, i in rng.sample(places, k=min(len(places), wanted)):
        text = doc.speeches[k].paragraphs[i].text
        offsets = cut_offsets(text)
        offset = rng.choice(sorted(o for found in offsets.values() for o in found))
        kind = next(kind for kind in CutKind if offset in offsets[kind])
        cuts.append(Cut(k, i, offset, kind))
    return sorted(cuts, key=lambda c: (c.speech, c.paragraph))


def _choose_displaced(doc: Compilation, cuts: list[Cut], rng: random.Random, max_moves: int) -> list[Cut]:
    """Displace the tails of up to `max_moves` speeches, each at its speech's last cut."""
    last_cut = {}
    for cut in cuts:
        last_cut[cut.speech] = cut
    movable = list(last_cut.values())
    moving = set(rng.sample(movable, k=min(len(movable), rng.randint(0, max_moves))))
    return [Cut(c.speech, c.paragraph, c.offset, c.kind, displaced=c in moving) for c in cuts]


def _render(doc: Compilation, cuts: list[Cut], rng: random.Random) -> str:
    """The page as blocks, with cut paragraphs split and displaced tails placed elsewhere."""
    by_place = {(c.speech, c.paragraph): c for c in cuts}
    own: list[list[str]] = []
    tails: list[tuple[int, list[str]]] = []  # (speech index the tail lands at the end of, blocks)
    for k, speech in enumerate(doc.speeches):
        blocks: list[str] = []
        tail: list[str] | None = None
        for i, paragraph in enumerate(speech.paragraphs):
            cut = by_place.get((k, i))
            target = tail if tail is not None else blocks
            if cut is None:
                target.append(paragraph.text)
                continue
            target.append(paragraph.text[: cut.offset])
            if cut.displaced:
                tail = [paragraph.text[cut.offset :]]
            else:
                target.append(paragraph.text[cut.offset :])
        own.append(blocks)
        if tail is not None:
            # After another speech's last paragraph, or before this speech's own heading.
            others = [j for j in range(len(doc.speeches)) if j != k]
            host = rng.choice([*others, k - 1]) if others else k - 1
            tails.append((host, tail))
    lines = _front_lines(doc)
    for blocks in (tail for host, tail in tails if host == -1):
        lines.extend(blocks)
    for k, speech in enumerate(doc.speeches):
        lines.extend(part for part in (speech.heading,) if part)
        if speech.speaker is not None:
            lines.append(f"{speech.speaker.affiliation} {speech.speaker.name}")
        lines.extend(own[k])
        for host, tail in tails:
            if host == k:
                lines.extend(tail)
        if speech.credit:
            lines.append(speech.credit)
    return "\n\n".join(lines) + "\n"


def _front_lines(doc: Compilation) -> list[str]:
    lines = [part for part in (doc.series, doc.kicker, doc.title, doc.subtitle) if part]
    if doc.editor_note is not None:
        lines.extend(p.text for p in doc.editor_note.paragraphs)
        if doc.editor_note.signature:
            lines.append(doc.editor_note.signature)
    return lines
