"""Text cut across page and column breaks: find where each cut continues, move it back, join it.

A paragraph that stops mid-sentence was cut by a break. That is a reason to look, not evidence
for any block: the continuation is usually the next block, but columns are sometimes extracted
out of order, so the rest may sit after another speech, before a heading, or at the end, and the
next block may be a paragraph of its own. Every plausible (cut, block) pair gets a calibrated
probability from its evidence (junction.py); one assignment for all cuts at once (assignment.py)
maximises the total log-odds, and only links at or above the model's threshold are acted on.
Two repairs use the plan: `restore_displaced_fragments` moves displaced continuations next to
their cuts, and `join_cut_paragraphs` joins each cut with the block that then follows it. A cut
left open is reported with its best candidates, for the editor to decide.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from compiler.chinese import ends_paragraph
from compiler.errors import InputError
from compiler.model import Compilation, EditorNote, Paragraph, ParagraphRole, Repair, RepairKind, Span, Speech
from compiler.names import best_split
from compiler.repair.assignment import best_sparse_assignment
from compiler.repair.evidence import WordModel
from compiler.repair.junction import Candidate, JunctionModel, shipped_model, term_vector
from compiler.repair.review import LEAVE, Review

SEARCH_RADIUS = 64
"""How many paragraphs either side of a cut are searched for its continuation (keeps cost linear)."""
BUSY_PAGE_CUTS = 300
"""Beyond this many cuts on a page (10,000 one-character blocks, say), the radius shrinks in
proportion, down to 8, and fewer blocks elsewhere are weighed, so the search stays linear and fast."""
BUSY_PAGE_CANDIDATES = 2
MIN_MOVE_EVIDENCE = 1.0
"""Word-join evidence (nats) below which a block elsewhere is not considered at all, unless the
page's layout marks it as a continuation (keeps the candidate graph sparse)."""
LANDING_ZONE = 6
"""Displaced text lands after a speech's last paragraph, before a heading or at the end of the page:
the last blocks of each speech are considered even with no word evidence."""
MAX_CANDIDATES = 8
"""Per cut, the candidates kept (the adjacent block and the best-evidenced others)."""
INDENTED_PAGE_SHARE = 0.25
"""Share of a page's body paragraphs that must start indented for indentation to count as evidence
(pieces of cut paragraphs and mistagged lines are unindented even where the page indents)."""
MIN_INDENTED = 3
DISTANCE_TIE_BREAK = 1e-4
"""Per paragraph of distance: between equally likely continuations, the nearer one wins."""
CONTEXT = 12
"""Characters of context kept on each side of a junction in repair records."""


@dataclass(frozen=True, order=True, slots=True)
class Slot:
    """A paragraph's place: speech index and paragraph index in it."""

    speech: int
    index: int


@dataclass(frozen=True, slots=True)
class Option:
    """One block considered for one cut."""

    start: Slot
    adjacent: bool
    gain: float
    """Word-join evidence (nats)."""
    probability: float
    """Calibrated probability that the block continues the cut."""
    by_editor: bool = False
    """Chosen by the editor in a review file, not by the model."""


@dataclass(frozen=True, slots=True)
class Link:
    """The plan's answer for one cut: which block continues it, and how sure that is."""

    cut: Slot
    start: Slot
    gain: float
    """Word-join evidence for this pair (nats)."""
    adjacent: bool
    """True when the continuation already follows the cut."""
    probability: float
    """Calibrated probability that this block continues the cut."""
    alternative: str
    """The best alternative it beat, in words."""
    by_editor: bool = False
    """Chosen by the editor in a review file."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Every cut's chosen continuation (at or above the threshold) and the cuts left open."""

    links: list[Link]
    open_cuts: list[tuple[Slot, list[Option]]]
    """Cuts with no continuation good enough, each with its candidates (best first)."""
    options: dict[Slot, list[Option]] = field(default_factory=dict)
    """Every cut's candidates as weighed (best first), for the editor's review."""


def is_cut(paragraph: Paragraph) -> bool:
    """A body paragraph that stops where no paragraph can stop was cut by a break."""
    return paragraph.role is ParagraphRole.BODY and not ends_paragraph(paragraph.text)


def plan_links(doc: Compilation, model: WordModel, junctions: JunctionModel | None = None) -> Plan:
    """For every cut in the speeches, the continuation that is best for all cuts together."""
    junctions = junctions or shipped_model()
    found = candidates_of(doc, model)
    cuts = list(found)
    position = _positions(doc)
    options = {cut: _ranked(junctions, found[cut]) for cut in cuts}
    if junctions.review is not None:
        options = _with_review(doc, options, junctions.review)
    return _solve(cuts, options, position, junctions, indentation_is_evidence(doc))


def _with_review(doc: Compilation, options: dict[Slot, list[Option]], review: Review) -> dict[Slot, list[Option]]:
    """The editor's decisions over the model's: a cut left as it is has no option; a chosen block
    is the cut's only option, certain."""
    decided: dict[Slot, list[Option]] = {}
    for cut, found in options.items():
        cut_line = _last_line(_paragraph(doc, cut))
        decision = review.decision_for(cut_line)
        if decision == LEAVE:
            decided[cut] = []
        elif isinstance(decision, int):
            chosen = [o for o in found if _first_line(_paragraph(doc, o.start)) == decision]
            if not chosen:
                lines = ", ".join(str(_first_line(_paragraph(doc, o.start))) for o in found) or "none"
                raise InputError(
                    f"{review.path}: the cut at line {cut_line} has no candidate at line {decision} "
                    f"(its candidates: {lines})"
                )
            decided[cut] = [replace(chosen[0], probability=1.0, by_editor=True)]
        else:
            decided[cut] = found
    return decided


def _last_line(paragraph: Paragraph) -> int:
    return paragraph.sources[-1].last if paragraph.sources else 0


def _first_line(paragraph: Paragraph) -> int:
    return paragraph.sources[0].first if paragraph.sources else 0


def cut_slots(doc: Compilation, page_indents: bool | None = None) -> list[Slot]:
    """Paragraphs that may continue elsewhere: stopped mid-sentence, or (on a page that indents
    paragraph starts) followed by an unindented block, whatever their last mark."""
    if page_indents is None:
        page_indents = indentation_is_evidence(doc)
    found = []
    for k, speech in enumerate(doc.speeches):
        for i, paragraph in enumerate(speech.paragraphs):
            if paragraph.role is not ParagraphRole.BODY or _looks_like_a_label(paragraph.text):
                continue
            nxt = _next_body(doc, Slot(k, i))
            layout_open = page_indents and nxt is not None and not speech.paragraphs[nxt.index].indented
            if is_cut(paragraph) or layout_open:
                found.append(Slot(k, i))
    return found


def _looks_like_a_label(text: str) -> bool:
    """A short line in brackets or of the speaker-line shape, tagged as body: never a cut paragraph.
    Joining it to the next block would glue a credit or a speaker line into running text."""
    if len(text) > 60:
        return False
    if text[:1] in "（(" and text[-1:] in "）)":
        return True
    split = best_split(text)
    return split is not None and split.spaced and split.title_class is not None


_Found = tuple[Slot, bool, float, Candidate]


def _ranked(junctions: JunctionModel, found: Sequence[_Found]) -> list[Option]:
    """The blocks that may continue a cut, each with its probability, best first."""
    probabilities = junctions.probabilities([candidate for _, _, _, candidate in found])
    options = [Option(start, adj, gain, p) for (start, adj, gain, _), p in zip(found, probabilities, strict=True)]
    options.sort(key=lambda option: (-option.probability, not option.adjacent))
    return options[:MAX_CANDIDATES]


def _with_margins(found: dict[Slot, list[_Found]]) -> dict[Slot, list[_Found]]:
    """Each candidate told how its word evidence compares with its rivals, on both sides:
    the other blocks its cut could take, and the other cuts its block could continue."""
    by_block: dict[Slot, list[float]] = {}
    for items in found.values():
        for start, _, gain, _ in items:
            by_block.setdefault(start, []).append(gain)
    top_for_block = {start: heapq.nlargest(2, gains) for start, gains in by_block.items()}
    out: dict[Slot, list[_Found]] = {}
    for cut, items in found.items():
        top_for_cut = heapq.nlargest(2, (gain for _, _, gain, _ in items))
        out[cut] = [
            (
                start,
                adjacent,
                gain,
                replace(
                    candidate,
                    cut_margin=gain - _best_other(top_for_cut, gain),
                    block_margin=gain - _best_other(top_for_block[start], gain),
                ),
            )
            for start, adjacent, gain, candidate in items
        ]
    return out


def _best_other(top_two: list[float], own: float) -> float:
    """The best of the others, given the two best values of a group that `own` belongs to."""
    if not top_two:
        return 0.0
    if top_two[0] == own:
        return top_two[1] if len(top_two) > 1 else 0.0
    return top_two[0]


def _positions(doc: Compilation) -> dict[Slot, int]:
    """Every paragraph's place in reading order."""
    order = (Slot(k, i) for k, speech in enumerate(doc.speeches) for i in range(len(speech.paragraphs)))
    return {slot: n for n, slot in enumerate(order)}


def candidates_of(doc: Compilation, model: WordModel) -> dict[Slot, list[_Found]]:
    """Every cut's candidates with their evidence, cuts in reading order (the planner's input, and
    what the junction model is fitted on)."""
    position = _positions(doc)
    order = list(position)
    page_indents = indentation_is_evidence(doc)
    vectors = _speech_vectors(doc)
    cuts = cut_slots(doc, page_indents)
    unpaired = _unpaired_cuts(doc, cuts) if page_indents else 0
    return _with_margins(
        {
            cut: [
                (start, adjacent, gain, replace(candidate, unpaired=unpaired))
                for start, adjacent, gain, candidate in _candidates(
                    doc, model, cut, order, position, page_indents, vectors, len(cuts)
                )
            ]
            for cut in cuts
        }
    )


def _unpaired_cuts(doc: Compilation, cuts: Sequence[Slot]) -> int:
    """On a page that indents paragraph starts, the cuts whose layout does not pair them with the
    block after them: a paragraph stopped mid-sentence before an indented block (its rest went
    elsewhere), or one ended by a sentence mark before an unindented block (something landed
    there). Zero means every fragment sits right after its cut, as when nothing was displaced."""
    count = 0
    for cut in cuts:
        nxt = _next_body(doc, cut)
        flush_next = nxt is not None and not _paragraph(doc, nxt).indented
        if flush_next != is_cut(_paragraph(doc, cut)):
            count += 1
    return count


def _candidates(
    doc: Compilation,
    model: WordModel,
    cut: Slot,
    order: Sequence[Slot],
    position: dict[Slot, int],
    page_indents: bool,
    vectors: _Vectors,
    cuts: int,
) -> Iterator[tuple[Slot, bool, float, Candidate]]:
    """The adjacent block, and the best-evidenced blocks elsewhere (at most MAX_CANDIDATES in all)."""
    tail = _paragraph(doc, cut).text
    left_word = _last_word(model, tail)
    adjacent = _next_body(doc, cut)
    if adjacent is not None and page_indents and _paragraph(doc, adjacent).indented:
        adjacent = None  # print indents first lines only: an indented block starts its own paragraph
    if adjacent is not None:
        right = _paragraph(doc, adjacent)
        gain = model.join_gain(tail, right.text)
        yield (
            adjacent,
            True,
            gain,
            Candidate(
                tail,
                right.text,
                True,
                right.indented,
                page_indents,
                gain,
                left_word=left_word,
                right_word=_first_word(model, right.text),
                right_last=_ends_speech(doc, adjacent),
            ),
        )
    here = position[cut]
    elsewhere: list[tuple[float, int, Slot]] = []
    radius = SEARCH_RADIUS if cuts <= BUSY_PAGE_CUTS else max(8, SEARCH_RADIUS * BUSY_PAGE_CUTS // cuts)
    for slot in order[max(0, here - radius) : here + radius + 1]:
        if slot == adjacent or not _may_start_fragment(doc, slot, cut):
            continue
        right = _paragraph(doc, slot)
        if page_indents and right.indented:
            continue
        gain = model.join_gain(tail, right.text)
        layout_says_continuation = page_indents and not right.indented
        in_landing_zone = slot.index >= len(doc.speeches[slot.speech].paragraphs) - LANDING_ZONE
        if gain >= MIN_MOVE_EVIDENCE or layout_says_continuation or in_landing_zone:
            elsewhere.append((gain, -abs(position[slot] - here), slot))
    limit = MAX_CANDIDATES if cuts <= BUSY_PAGE_CUTS else BUSY_PAGE_CANDIDATES
    for gain, _, slot in heapq.nlargest(limit, elsewhere):
        right = _paragraph(doc, slot)
        yield (
            slot,
            False,
            gain,
            Candidate(
                tail,
                right.text,
                False,
                right.indented,
                page_indents,
                gain,
                _cohesion(doc, vectors, slot, cut),
                left_word=left_word,
                right_word=_first_word(model, right.text),
                right_last=_ends_speech(doc, slot),
            ),
        )


def _ends_speech(doc: Compilation, slot: Slot) -> bool:
    return slot.index == len(doc.speeches[slot.speech].paragraphs) - 1


def _last_word(model: WordModel, text: str) -> str:
    return model.last_word(text[-8:])


def _first_word(model: WordModel, text: str) -> str:
    return model.first_word(text[:8])


def indentation_is_evidence(doc: Compilation) -> bool:
    """Whether this page indents paragraph starts and leaves continuations flush, as print does
    (then indentation is evidence). A page whose every block is indented, or none, tells nothing."""
    body = [p for s in doc.speeches for p in s.paragraphs if p.role is ParagraphRole.BODY]
    indented = sum(p.indented for p in body)
    return indented >= MIN_INDENTED and indented >= INDENTED_PAGE_SHARE * len(body) and indented < len(body)


@dataclass(frozen=True, slots=True)
class _Vectors:
    """Each speech's character-bigram TF-IDF vector and norm (the page's speeches as documents)."""

    speeches: list[dict[str, float]]
    norms: list[float]
    idf: dict[str, float]
    blocks: dict[Slot, tuple[dict[str, float], float]] = field(default_factory=dict)
    """Each block's weighted vector and norm, filled as blocks are first compared."""

    def block(self, doc: Compilation, slot: Slot) -> tuple[dict[str, float], float]:
        found = self.blocks.get(slot)
        if found is None:
            vector = {t: tf * self.idf.get(t, 0.0) for t, tf in term_vector(_paragraph(doc, slot).text).items()}
            found = self.blocks[slot] = (vector, math.sqrt(sum(v * v for v in vector.values())))
        return found


def _speech_vectors(doc: Compilation) -> _Vectors:
    counts = [_speech_terms(tuple(p.text for p in speech.paragraphs)) for speech in doc.speeches]
    df: Counter[str] = Counter()
    for vector in counts:
        df.update(vector.keys())
    n = len(counts)
    idf = {term: math.log((1 + n) / (1 + seen)) for term, seen in df.items()}
    speeches = [{term: tf * idf[term] for term, tf in vector.items()} for vector in counts]
    norms = [math.sqrt(sum(v * v for v in vector.values())) for vector in speeches]
    return _Vectors(speeches, norms, idf)


@lru_cache(maxsize=8192)
def _speech_terms(texts: tuple[str, ...]) -> Counter[str]:
    """A speech's character-bigram counts; cached, since each repair step plans the page again and
    most speeches come through unchanged (callers must not modify the result)."""
    return term_vector(" ".join(texts))


def _cohesion(doc: Compilation, vectors: _Vectors, slot: Slot, cut: Slot) -> float:
    """How much closer the block's words are to the cut's speech than to the rest of the speech it
    sits in (the block itself taken out of its host, so it does not count as evidence for staying)."""
    if slot.speech == cut.speech:
        return 0.0
    block, block_norm = vectors.block(doc, slot)
    if not block_norm:
        return 0.0
    own = vectors.speeches[cut.speech]
    host = vectors.speeches[slot.speech]
    to_own = sum(v * own.get(t, 0.0) for t, v in block.items())
    to_host = sum(v * host.get(t, 0.0) for t, v in block.items()) - block_norm**2
    host_norm = math.sqrt(max(0.0, vectors.norms[slot.speech] ** 2 - 2 * (to_host + block_norm**2) + block_norm**2))
    own_similarity = to_own / (block_norm * vectors.norms[cut.speech]) if vectors.norms[cut.speech] else 0.0
    host_similarity = to_host / (block_norm * host_norm) if host_norm else 0.0
    return own_similarity - host_similarity


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


def _log_odds(probability: float) -> float:
    p = min(max(probability, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def _solve(
    cuts: list[Slot],
    options: dict[Slot, list[Option]],
    position: dict[Slot, int],
    junctions: JunctionModel,
    page_indents: bool = False,
) -> Plan:
    """The best assignment of blocks to all cuts at once; only links at or above the model's
    threshold (one for joins, a stricter one for moves) count.

    Edges carry log-odds, so a pair below even odds can never be preferred to leaving the cut open.
    """
    starts = sorted({option.start for cut in cuts for option in options[cut]})
    column = {start: n for n, start in enumerate(starts)}
    edges = [
        [
            (column[o.start], _log_odds(o.probability) - DISTANCE_TIE_BREAK * abs(position[o.start] - position[cut]))
            for o in options[cut]
            if o.probability > 0.5
        ]
        for cut in cuts
    ]
    chosen = best_sparse_assignment(edges)
    links: list[Link] = []
    open_cuts: list[tuple[Slot, list[Option]]] = []
    for row, cut in enumerate(cuts):
        picked = starts[chosen[row]] if chosen[row] is not None else None  # type: ignore[index]
        option = next((o for o in options[cut] if o.start == picked), None)
        if option is None or option.probability < junctions.threshold_for(option.adjacent, page_indents):
            open_cuts.append((cut, options[cut]))
            continue
        others = [o for o in options[cut] if o.start != picked]
        alternative = (
            "no other candidate"
            if not others
            else ("the adjacent block" if others[0].adjacent else "a block elsewhere")
            + f" at {others[0].probability:.2f}"
        )
        links.append(
            Link(cut, option.start, option.gain, option.adjacent, option.probability, alternative, option.by_editor)
        )
    return Plan(links=sorted(links, key=lambda link: position[link.cut]), open_cuts=open_cuts, options=options)


def _paragraph(doc: Compilation, slot: Slot) -> Paragraph:
    return doc.speeches[slot.speech].paragraphs[slot.index]


def _next_body(doc: Compilation, slot: Slot) -> Slot | None:
    paragraphs = doc.speeches[slot.speech].paragraphs
    nxt = slot.index + 1
    if nxt < len(paragraphs) and paragraphs[nxt].role is ParagraphRole.BODY:
        return Slot(slot.speech, nxt)
    return None


# --- repair 1: move displaced continuations back ---------------------------------------------


def restore_displaced_fragments(
    doc: Compilation, model: WordModel, junctions: JunctionModel
) -> tuple[Compilation, list[Repair], list[str]]:
    """Move each displaced continuation, with the paragraphs that travel with it, to follow its cut."""
    plan = plan_links(doc, model, junctions)
    moves = _without_cycles(doc, {link.cut: link for link in plan.links if not link.adjacent})
    if not moves:
        return doc, [], []
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
    return replace(doc, speeches=tuple(speeches)), records, []


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
        weakest = min(stranded, key=lambda link: link.probability)
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
        confidence=round(link.probability, 3),
        source=Span(first.sources[0].first if first.sources else 0, last.sources[-1].last if last.sources else 0),
        moved_paragraphs=len(fragment) - 1,
        evidence=_evidence(link),
    )


def _evidence(link: Link) -> str:
    if link.by_editor:
        return f"chosen by the editor in the review (word evidence {link.gain:.1f})"
    return f"continuation probability {link.probability:.2f} (word evidence {link.gain:.1f}); beat {link.alternative}"


def speech_label(speech: Speech) -> str:
    """A short name for a speech in reports: its heading and its speaker's name."""
    return speech.label("(text before the first speech)")


# --- repair 2: join cut paragraphs with what follows them ------------------------------------


def join_cut_paragraphs(
    doc: Compilation, model: WordModel, junctions: JunctionModel
) -> tuple[Compilation, list[Repair], list[str]]:
    """Join each cut with the block after it where the evidence says it continues there, and say
    which cuts stay open (the same plan decides both).

    The editor's note is planned like a speech of its own (it is never a move's source or target).
    """
    records: list[Repair] = []
    warnings: list[str] = []
    note = doc.editor_note
    if note is not None and note.paragraphs:
        as_speech = Speech(heading=None, speaker=None, paragraphs=note.paragraphs)
        alone = Compilation(title=None, speeches=(as_speech,))
        joined = _join_planned(alone, model, junctions, False, records, warnings)
        note = EditorNote(paragraphs=joined.speeches[0].paragraphs, signature=note.signature)
    doc = replace(doc, editor_note=note)
    doc = _join_planned(doc, model, junctions, True, records, warnings)
    return doc, records, warnings


def _join_planned(
    doc: Compilation,
    model: WordModel,
    junctions: JunctionModel,
    labelled: bool,
    records: list[Repair],
    warnings: list[str],
) -> Compilation:
    plan = plan_links(doc, model, junctions)
    joins = {link.cut: link for link in plan.links if link.adjacent}
    for cut, options in plan.open_cuts:
        warnings.append(_open_cut_warning(doc, cut, options, labelled))
    speeches = []
    for k, speech in enumerate(doc.speeches):
        label = speech_label(speech) if labelled else None
        out: list[Paragraph] = []
        pending: Link | None = None
        for i, paragraph in enumerate(speech.paragraphs):
            if pending is not None and out:
                previous = out[-1]
                records.append(_join_record(previous, paragraph, label, pending))
                out[-1] = Paragraph(
                    text=previous.text + paragraph.text,
                    sources=previous.sources + paragraph.sources,
                    role=previous.role,
                    indented=previous.indented,
                )
            else:
                out.append(paragraph)
            pending = joins.get(Slot(k, i))
        speeches.append(replace(speech, paragraphs=tuple(out)))
    return replace(doc, speeches=tuple(speeches))


def review_entries(doc: Compilation, model: WordModel, made: Mapping[int, int]) -> list[dict[str, object]]:
    """Every cut of an unrepaired model, its candidates and what repair decides, for the editor
    (`made`: the continuation's first line for each cut line that repair joined or moved)."""
    plan = plan_links(doc, model)
    entries: list[dict[str, object]] = []
    for cut, options in sorted(plan.options.items()):
        paragraph = _paragraph(doc, cut)
        chosen = made.get(_last_line(paragraph))
        entries.append(
            {
                "cut_line": _last_line(paragraph),
                "speech": speech_label(doc.speeches[cut.speech]),
                "ends": "…" + paragraph.text[-CONTEXT:],
                "candidates": [
                    {
                        "line": _first_line(_paragraph(doc, o.start)),
                        "starts": _paragraph(doc, o.start).text[:CONTEXT] + "…",
                        "where": "next block" if o.adjacent else "elsewhere (a move)",
                        "probability": round(o.probability, 3),
                    }
                    for o in options
                ],
                "decision": LEAVE if chosen is None else chosen,
            }
        )
    return entries


def _open_cut_warning(doc: Compilation, cut: Slot, options: Sequence[Option], labelled: bool) -> str:
    """Where a cut stays open, and its two best candidates with their probabilities."""
    paragraph = _paragraph(doc, cut)
    where = f"«{speech_label(doc.speeches[cut.speech])}»" if labelled else "the editor's note"
    best = ", ".join(
        f"{'next block' if o.adjacent else f'line {_first_line(_paragraph(doc, o.start))}'} "
        f"«{_paragraph(doc, o.start).text[:12]}…» {o.probability:.2f}"
        for o in options[:2]
    )
    return (
        f"line {_last_line(paragraph)}: paragraph in {where} stops mid-sentence (…{paragraph.text[-8:]}) and "
        "no continuation is sure enough; left as it is" + (f" (best candidates: {best})" if best else " (no candidate)")
    )


def _join_record(previous: Paragraph, paragraph: Paragraph, label: str | None, link: Link) -> Repair:
    return Repair(
        kind=RepairKind.JOIN,
        speech=label,
        cut_line=previous.sources[-1].last if previous.sources else 0,
        left=previous.text[-CONTEXT:],
        right=paragraph.text[:CONTEXT],
        score=round(link.gain, 3),
        confidence=round(link.probability, 3),
        source=paragraph.sources[0] if paragraph.sources else Span(0, 0),
        evidence=_evidence(link),
    )
