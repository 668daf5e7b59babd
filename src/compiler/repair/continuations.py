"""Text cut across page and column breaks: find where each cut continues, move it back, join it.

A paragraph that stops mid-sentence was cut by a break. Its continuation is usually the next
block, but newspaper columns are sometimes extracted out of order: the rest of a speech then sits
after another speech's last paragraph, or before its own heading. The planner scores every
plausible (cut, continuation) pair with word-join evidence and picks the assignment that is best
for all cuts together, preferring the adjacent block when the evidence is equal. Two repairs use
the plan: `restore_displaced_fragments` moves displaced continuations next to their cuts, and
`join_cut_paragraphs` joins every cut with the block that now follows it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from compiler.chinese import ends_paragraph
from compiler.model import Compilation, EditorNote, Paragraph, ParagraphRole, Repair, RepairKind, Span, Speech
from compiler.repair.assignment import best_sparse_assignment
from compiler.repair.evidence import WordModel

# Weights of the plan, in nats of word-join evidence (see evidence.py).
ADJACENCY_BONUS = 2.0
"""What the reading order is worth: with equal evidence, the next block wins."""
MOVE_PENALTY = 1.0
"""What a move costs: text is only moved when the evidence clearly pays for it."""
MIN_MOVE_EVIDENCE = 4.0
"""Least evidence for a move of its own: 86% of true in-word junctions score more, 2% of chance pairs do.

Lower values found more displaced continuations on generated damage but also made wrong moves
that carried correctly joined paragraphs away (tuned on pages generated apart from the tests)."""
SEARCH_RADIUS = 64
"""How many paragraphs either side of a cut are searched for its continuation (keeps cost linear)."""
MAX_CHAIN = 4
"""How many blocks a chain of moves without word evidence may pass along."""
CHAIN_RADIUS = 48
"""How far (paragraphs) a block freed by a move is offered to other cuts."""
CHAIN_OFFERS = 8
"""To how many of the nearest cuts a freed block is offered: keeps the graph sparse when nearly
every block is a cut (10,000 one-to-three-character blocks took 71 s before this bound)."""
DISTANCE_TIE_BREAK = 1e-4
"""Per paragraph of distance: between equally good continuations, the nearer one wins."""
_MUST_COVER = 1000.0
"""Bonus for giving a block that follows a cut to some cut: a move must not orphan it."""
CONTEXT = 12
"""Characters of context kept on each side of a junction in repair records."""


@dataclass(frozen=True, order=True, slots=True)
class Slot:
    """A paragraph's place: speech index and paragraph index in it."""

    speech: int
    index: int


@dataclass(frozen=True, slots=True)
class Link:
    """The plan's answer for one cut: which block continues it, and how sure that is."""

    cut: Slot
    start: Slot
    gain: float
    """Word-join evidence for this pair (nats)."""
    adjacent: bool
    """True when the continuation already follows the cut."""
    margin: float
    """How much better this pair scores than the cut's best alternative (nats)."""
    alternative: str
    """The alternative it beat, in words."""


def is_cut(paragraph: Paragraph) -> bool:
    """A body paragraph that stops where no paragraph can stop was cut by a break."""
    return paragraph.role is ParagraphRole.BODY and not ends_paragraph(paragraph.text)


def plan_links(doc: Compilation, model: WordModel) -> list[Link]:
    """For every cut in the speeches, the continuation that is best for all cuts together."""
    order = [Slot(k, i) for k, speech in enumerate(doc.speeches) for i in range(len(speech.paragraphs))]
    position = {slot: n for n, slot in enumerate(order)}
    cuts = [slot for slot in order if is_cut(_paragraph(doc, slot))]
    adjacent = {cut: nxt for cut in cuts if (nxt := _next_body(doc, cut)) is not None}
    options = {cut: list(_options(doc, model, cut, adjacent.get(cut), order, position)) for cut in cuts}
    stranded = _stranded_blocks(doc)
    _add_chain_options(doc, model, cuts, adjacent, options, position, stranded)
    links = _solve(cuts, options, set(adjacent.values()) | stranded, position)
    return sorted(links, key=lambda link: position[link.cut])


def _options(
    doc: Compilation,
    model: WordModel,
    cut: Slot,
    adjacent: Slot | None,
    order: Sequence[Slot],
    position: dict[Slot, int],
) -> Iterator[tuple[Slot, float, bool]]:
    """(start, evidence, adjacent?) for the blocks that may continue `cut`."""
    tail = _paragraph(doc, cut).text
    if adjacent is not None:
        yield adjacent, model.join_gain(tail, _paragraph(doc, adjacent).text), True
    here = position[cut]
    for slot in order[max(0, here - SEARCH_RADIUS) : here + SEARCH_RADIUS + 1]:
        if slot == adjacent or not _may_start_fragment(doc, slot, cut):
            continue
        gain = model.join_gain(tail, _paragraph(doc, slot).text)
        if gain >= MIN_MOVE_EVIDENCE:
            yield slot, gain, False


def _add_chain_options(
    doc: Compilation,
    model: WordModel,
    cuts: Sequence[Slot],
    adjacent: dict[Slot, Slot],
    options: dict[Slot, list[tuple[Slot, float, bool]]],
    position: dict[Slot, int],
    stranded: set[Slot],
) -> None:
    """Let cuts take blocks that a well-evidenced move may free, even without word evidence.

    When a cut takes a continuation from elsewhere, the block that followed it is someone
    else's continuation, often one joined between words (no word evidence). Offering that block
    to the cuts nearby lets the assignment find the whole chain: in a generated page, "…党中央决"
    was followed by another speech's "性的立法…" while its own "策部署…" sat three speeches
    later; the block it left belonged to "…标志性、引领", whose own continuation it had displaced.
    Text stranded before the first heading is offered the same way from the start.
    Rounds stop when no new block is freed, or after `MAX_CHAIN` rounds.
    """
    by_position = sorted(cuts, key=position.__getitem__)
    cut_positions = [position[cut] for cut in by_position]
    frontier = {adjacent[cut] for cut in cuts if cut in adjacent and any(not adj for _, _, adj in options[cut])}
    frontier |= stranded
    freed = set(frontier)
    known = {cut: {start for start, _, _ in options[cut]} for cut in cuts}
    for _ in range(MAX_CHAIN):
        newly_freed: set[Slot] = set()
        for block in sorted(frontier):
            here = position[block]
            low = bisect.bisect_left(cut_positions, here - CHAIN_RADIUS)
            high = bisect.bisect_right(cut_positions, here + CHAIN_RADIUS)
            nearest = sorted(by_position[low:high], key=lambda cut: abs(position[cut] - here))
            offered = 0
            for cut in nearest:
                if offered >= CHAIN_OFFERS:
                    break
                if block in known[cut] or not _may_start_fragment(doc, block, cut):
                    continue
                offered += 1
                known[cut].add(block)
                gain = model.join_gain(_paragraph(doc, cut).text, _paragraph(doc, block).text)
                options[cut].append((block, gain, False))
                if cut in adjacent and adjacent[cut] not in freed:
                    newly_freed.add(adjacent[cut])
        freed |= newly_freed
        frontier = newly_freed
        if not frontier:
            return


def _stranded_blocks(doc: Compilation) -> set[Slot]:
    """Text between the editor's note and the first heading belongs to no speech: it was displaced."""
    first = doc.speeches[0] if doc.speeches else None
    if first is None or first.heading is not None or first.speaker is not None or not first.paragraphs:
        return set()
    return {Slot(0, 0)}


def _may_start_fragment(doc: Compilation, slot: Slot, cut: Slot) -> bool:
    """A displaced continuation is a body block that follows other text of its host speech.

    The first block under a heading starts that speech; only a speech without a header (text
    stranded before the first heading) can begin with someone else's continuation. A cut's
    continuation never lies before it in its own speech.
    """
    speech = doc.speeches[slot.speech]
    if speech.paragraphs[slot.index].role is not ParagraphRole.BODY:
        return False
    if slot.index == 0 and (speech.heading is not None or speech.speaker is not None):
        return False
    return not (slot.speech == cut.speech and slot.index <= cut.index)


def _solve(
    cuts: list[Slot],
    options: dict[Slot, list[tuple[Slot, float, bool]]],
    must_cover: set[Slot],
    position: dict[Slot, int],
) -> list[Link]:
    """The best assignment of blocks to all cuts at once."""
    starts = sorted({start for cut in cuts for start, _, _ in options[cut]})
    column = {start: n for n, start in enumerate(starts)}
    edges = [
        [
            (
                column[start],
                _value(gain, adjacent)
                + (_MUST_COVER if start in must_cover else 0.0)
                - DISTANCE_TIE_BREAK * abs(position[start] - position[cut]),
            )
            for start, gain, adjacent in options[cut]
        ]
        for cut in cuts
    ]
    chosen = best_sparse_assignment(edges)
    links = []
    for row, cut in enumerate(cuts):
        if chosen[row] is None:
            continue
        start = starts[chosen[row]]  # type: ignore[index]
        gain, adjacent = next((g, a) for s, g, a in options[cut] if s == start)
        others = [(_value(g, a), s, a) for s, g, a in options[cut] if s != start]
        best_other = max(others, default=(0.0, None, False))
        alternative = (
            "no other candidate"
            if best_other[1] is None
            else ("the adjacent block" if best_other[2] else "a block elsewhere") + f" scored {best_other[0]:.1f}"
        )
        margin = _value(gain, adjacent) - max(best_other[0], 0.0)
        links.append(Link(cut, start, gain, adjacent, margin, alternative))
    return links


def _value(gain: float, adjacent: bool) -> float:
    return gain + ADJACENCY_BONUS if adjacent else gain - MOVE_PENALTY


def _paragraph(doc: Compilation, slot: Slot) -> Paragraph:
    return doc.speeches[slot.speech].paragraphs[slot.index]


def _next_body(doc: Compilation, slot: Slot) -> Slot | None:
    paragraphs = doc.speeches[slot.speech].paragraphs
    nxt = slot.index + 1
    if nxt < len(paragraphs) and paragraphs[nxt].role is ParagraphRole.BODY:
        return Slot(slot.speech, nxt)
    return None


# --- repair 1: move displaced continuations back ---------------------------------------------


def restore_displaced_fragments(doc: Compilation, model: WordModel) -> tuple[Compilation, list[Repair]]:
    """Move each displaced continuation, with the paragraphs that travel with it, to follow its cut."""
    moves = _without_cycles(doc, {link.cut: link for link in plan_links(doc, model) if not link.adjacent})
    if not moves:
        return doc, []
    fragments = _fragments(doc, moves)
    moved = {slot for fragment in fragments.values() for slot in fragment}
    speeches = []
    for k, speech in enumerate(doc.speeches):
        order = _reading_order(doc, k, moves, fragments, moved)
        if order or speech.heading is not None or speech.speaker is not None:
            speeches.append(replace(speech, paragraphs=tuple(_paragraph(doc, slot) for slot in order)))
    records = []
    for link in moves.values():
        fragment = fragments[link.start]
        records.append(_move_record(doc, link, fragment))
    return replace(doc, speeches=tuple(speeches)), records


def _reading_order(
    doc: Compilation, speech: int, moves: dict[Slot, Link], fragments: dict[Slot, list[Slot]], moved: set[Slot]
) -> list[Slot]:
    """The speech's own paragraphs, each cut followed by the fragment moved to it (recursively)."""
    order: list[Slot] = []
    seen: set[Slot] = set()
    pending = [Slot(speech, i) for i in range(len(doc.speeches[speech].paragraphs)) if Slot(speech, i) not in moved]
    pending.reverse()
    while pending:
        slot = pending.pop()
        if slot in seen:  # cycles were removed by _without_cycles; never emit a paragraph twice
            continue
        seen.add(slot)
        order.append(slot)
        link = moves.get(slot)
        if link is not None:
            pending.extend(reversed(fragments[link.start]))
    return order


def _fragments(doc: Compilation, moves: dict[Slot, Link]) -> dict[Slot, list[Slot]]:
    starts = {link.start for link in moves.values()}
    return {link.start: _fragment(doc, link.start, starts) for link in moves.values()}


def _without_cycles(doc: Compilation, moves: dict[Slot, Link]) -> dict[Slot, Link]:
    """Drop moves whose cut would travel inside its own continuation (directly or via others).

    Such a move has no place to go; applying it would lose the text, so the weakest is dropped.
    """
    while moves:
        fragments = _fragments(doc, moves)
        host = {slot: start for start, fragment in fragments.items() for slot in fragment}
        anchored: set[Slot] = set()
        changed = True
        while changed:
            changed = False
            for cut, link in moves.items():
                if link.start not in anchored and (cut not in host or host[cut] in anchored):
                    anchored.add(link.start)
                    changed = True
        stranded = [link for link in moves.values() if link.start not in anchored]
        if not stranded:
            return moves
        weakest = min(stranded, key=lambda link: link.margin)
        moves = {cut: link for cut, link in moves.items() if link is not weakest}
    return moves


def _fragment(doc: Compilation, start: Slot, starts: set[Slot]) -> list[Slot]:
    """The continuation and the paragraphs after it, up to the next displaced block or the speech's end."""
    paragraphs = doc.speeches[start.speech].paragraphs
    slots = [start]
    for i in range(start.index + 1, len(paragraphs)):
        slot = Slot(start.speech, i)
        if slot in starts:
            break
        slots.append(slot)
    return slots


def _move_record(doc: Compilation, link: Link, fragment: list[Slot]) -> Repair:
    first = _paragraph(doc, fragment[0])
    last = _paragraph(doc, fragment[-1])
    cut = _paragraph(doc, link.cut)
    return Repair(
        kind=RepairKind.MOVE,
        speech=speech_label(doc.speeches[link.cut.speech]),
        cut_line=cut.sources[-1].last if cut.sources else 0,
        left=cut.text[-CONTEXT:],
        right=first.text[:CONTEXT],
        score=round(link.gain, 3),
        confidence=_confidence(link.margin),
        source=Span(first.sources[0].first if first.sources else 0, last.sources[-1].last if last.sources else 0),
        moved_paragraphs=len(fragment) - 1,
        evidence=f"word-join evidence {link.gain:.1f} beat {link.alternative}",
    )


def _confidence(margin: float) -> float:
    """Map a margin in nats to 0..1: 2 nats ≈ 0.63, 8 nats ≈ 0.98."""
    return round(1.0 - math.exp(-max(margin, 0.0) / 2.0), 3)


def speech_label(speech: Speech) -> str:
    """A short name for a speech in reports: its heading and its speaker's name."""
    parts = [part for part in (speech.heading, speech.speaker.name if speech.speaker else None) if part]
    return " — ".join(parts) if parts else "(text before the first speech)"


# --- repair 2: join cut paragraphs with what follows them ------------------------------------


def join_cut_paragraphs(doc: Compilation, model: WordModel) -> tuple[Compilation, list[Repair]]:
    """Join every cut paragraph with the body block that follows it, in the note and in each speech."""
    records: list[Repair] = []
    note = doc.editor_note
    if note is not None:
        paragraphs = _join_runs(note.paragraphs, None, model, records)
        note = EditorNote(paragraphs=paragraphs, signature=note.signature)
    speeches = tuple(
        replace(speech, paragraphs=_join_runs(speech.paragraphs, speech_label(speech), model, records))
        for speech in doc.speeches
    )
    return replace(doc, editor_note=note, speeches=speeches), records


def _join_runs(
    paragraphs: Sequence[Paragraph], label: str | None, model: WordModel, records: list[Repair]
) -> tuple[Paragraph, ...]:
    out: list[Paragraph] = []
    for paragraph in paragraphs:
        previous = out[-1] if out else None
        if previous is not None and is_cut(previous) and paragraph.role is ParagraphRole.BODY:
            gain = model.join_gain(previous.text, paragraph.text)
            records.append(_join_record(previous, paragraph, label, gain))
            out[-1] = Paragraph(
                text=previous.text + paragraph.text,
                sources=previous.sources + paragraph.sources,
                role=previous.role,
            )
        else:
            out.append(paragraph)
    return tuple(out)


def _join_record(previous: Paragraph, paragraph: Paragraph, label: str | None, gain: float) -> Repair:
    evidence = f"a word spans the break (evidence {gain:.1f})" if gain > 0 else "the paragraph stops mid-sentence"
    return Repair(
        kind=RepairKind.JOIN,
        speech=label,
        cut_line=previous.sources[-1].last if previous.sources else 0,
        left=previous.text[-CONTEXT:],
        right=paragraph.text[:CONTEXT],
        score=round(gain, 3),
        confidence=_confidence(gain + ADJACENCY_BONUS + 2.0),
        source=paragraph.sources[0] if paragraph.sources else Span(0, 0),
        evidence=evidence + "; the next block follows it",
    )
