"""Chinese line breaking and justification (clreq), independent of any PDF library.

Text is cut into units that may not be split: one ideograph, a Latin word or number, a run of
dashes or ellipses. Punctuation that may not start a line is glued to the unit before it, and
opening marks that may not end a line to the unit after it, so any break between units obeys
the rules of Requirements for Chinese Text Layout (W3C clreq, §3.1.7 prohibition rules). Lines
are filled greedily and every line but a paragraph's last is justified by spreading the spare
width over the gaps between units, so both edges are flush and nothing passes the measure.

Adjacent punctuation is compressed (clreq §3.1.6, GB/T 15834 practice): a full-width closing
mark's glyph sits in the left half of its em and an opening mark's in the right half, so two
marks side by side would leave a full em of blank between them. One half-em goes: a closing mark
followed by any mark loses its trailing half (”。 ，“ 》、), an opening mark after an opening mark
loses its leading half (“《). Every pair then takes 1.5 em. Marks narrower than 0.9 em (a font's
proportional quotes) are left as they are.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from compiler.chinese import PAIRED_MARKS

# clreq: characters not allowed at the start of a line (closing marks, pauses, stops) …
NOT_AT_LINE_START = frozenset("。．，、；：？！）」』”’》〉】〕〗］｝…—‥·・～%‰℃°,.;:?!)]}")
# … and not at the end of one (opening marks).
NOT_AT_LINE_END = frozenset("（「『“‘《〈【〔〖［｛([{")
# Full-width marks whose glyph fills only the left half of the em (GB style: closing brackets and
# quotes, pauses and stops) and those whose glyph fills only the right half (opening marks).
CLOSING_HALF = frozenset("，。、；：！？）」』”’》〉】〕〗］｝")
OPENING_HALF = frozenset("（「『“‘《〈【〔〖［｛")
_MARKS = CLOSING_HALF | OPENING_HALF
FULL_WIDTH_SHARE = 0.9
"""A mark narrower than this share of the em is already set narrow by its font: never compressed."""
# Unbreakable runs: Latin words and numbers (with their inner punctuation; ’ only as an apostrophe
# between letters, so ‘深海0.6’ keeps its closing quote), dash and ellipsis pairs.
_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.,:%'\-/+_@#&]|’(?=[A-Za-z]))*|—+|…+|\s+|.", re.DOTALL)

Measure = Callable[[str], float]
"""Width of a piece of text in points, in the paragraph's font and size."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of a line that is never split, with its natural width."""

    text: str
    width: float
    atoms: tuple[str, ...]
    """The unit's pieces between which justification may add space: single characters, but a
    Latin word or a dash or ellipsis pair stays whole (no letter-spacing, no gap in a dash)."""
    space: bool = False
    """A word space: a break may replace it, and it is dropped at the end of a line."""


@dataclass(frozen=True, slots=True)
class Line:
    """One set line: its atoms, where each starts relative to the line's left edge, and the spacing."""

    atoms: tuple[str, ...]
    positions: tuple[float, ...]
    spacing: float
    """Space added after every atom but the last and the first of a compressed pair of marks (0 on
    a paragraph's last line)."""
    last: bool
    """The paragraph's last line: set flush left, not justified."""

    @property
    def text(self) -> str:
        return "".join(self.atoms)

    last_width: float = 0.0
    """Advance of the last atom as set (its squeezed half taken off), so `right` needs no measuring."""
    compressed: frozenset[int] = frozenset()
    """Atoms set narrower than their glyph's advance (adjacent punctuation): a writer starts a new
    text run at each of them and after each, since their positions are not evenly spaced."""

    @property
    def right(self) -> float:
        """Right edge of the line's last atom, relative to the line's left edge."""
        return self.positions[-1] + self.last_width if self.atoms else 0.0


def split_units(text: str, measure: Measure) -> list[Unit]:
    """The text as unbreakable units, punctuation glued where the prohibition rules require; each
    unit's width is what it takes set, adjacent marks inside it compressed."""
    pieces = _RUN.findall(text)
    glued: list[list[str]] = []
    for piece in pieces:
        # no break after an opening mark, even at a space that follows it: （ （的 stays one unit
        after_opening = bool(glued) and "".join(glued[-1]).rstrip()[-1:] in NOT_AT_LINE_END
        if glued and (after_opening or (piece[0] in NOT_AT_LINE_START and not piece.isspace())):
            glued[-1].append(piece)
        else:
            glued.append([piece])
    em = measure("\u4e00")
    units = []
    for atoms in glued:
        joined = "".join(atoms)
        saved = sum(sum(pair_trim(a, b, measure, em)) for a, b in itertools.pairwise(atoms))
        units.append(Unit(joined, measure(joined) - saved, atoms=tuple(atoms), space=joined.isspace()))
    return units


def pair_trim(left: str, right: str, measure: Measure, em: float) -> tuple[float, float]:
    """(blank removed after `left`, blank removed before `right`) for two atoms side by side: half
    an em in one of the two places when both are full-width marks, else nothing."""
    if left not in _MARKS or right not in _MARKS:  # most pairs: nothing to measure
        return 0.0, 0.0
    if not (_full_width_mark(left, measure, em) and _full_width_mark(right, measure, em)):
        return 0.0, 0.0
    if left in CLOSING_HALF:
        return em / 2, 0.0
    if left in OPENING_HALF and right in OPENING_HALF:
        return 0.0, em / 2
    return 0.0, 0.0


def _full_width_mark(atom: str, measure: Measure, em: float) -> bool:
    return measure(atom) >= FULL_WIDTH_SHARE * em


RUNT_CHARACTERS = 3
"""A paragraph's last line holds at least this many characters besides punctuation (a runt of
one or two, 态。 or 卷！, leaves a hole a typesetter would not pass)."""
MAX_RUNT_SPACING_EM = 0.15
"""How much space per gap a line may take to hand a runt characters (1.6 pt at 10.5 pt): beyond this
it would look looser than the runt looks short, and the runt stays. At 0.1 em five runts stayed on
the corpus pages in a5, each in a two-line paragraph whose first line, carrying an indent and a
two-em mark (……, ——), has too few gaps to take two characters' space."""
RUNT_LINES = 4
"""How many lines before a runt may be re-broken to give it characters."""


def set_paragraph(
    text: str,
    width: float,
    measure: Measure,
    first_indent: float = 0.0,
    hang: float = 0.0,
    *,
    half_opening: bool = False,
) -> list[Line]:
    """Break and justify a paragraph into lines of exactly `width` points (the last one ragged),
    its last line no runt where the line before can give it characters within the spacing limit.
    `first_indent` indents the first line, `hang` every other (a contents entry's turnover);
    `half_opening` sets an opening mark at the start of an unindented line half-width."""
    units, em, indents = split_units(text, measure), measure("\u4e00"), _Indents(first_indent, hang)
    return _set_lines(units, _usual_breaks(units, width, indents, measure, em), width, indents, measure, half_opening)


def set_paragraph_in(
    text: str,
    width: float,
    measure: Measure,
    count: int,
    first_indent: float = 0.0,
    hang: float = 0.0,
    *,
    half_opening: bool = False,
) -> list[Line] | None:
    """The paragraph in exactly `count` lines, every line within the spacing limits and the last no
    runt (a line more: lines up to MAX_RUNT_SPACING_EM a gap looser; a line fewer: lone closing
    marks set narrower), or None where it cannot be. A typesetter's way to even a spread that the
    no-widow rule leaves a line short: one paragraph on the page set a line longer or shorter."""
    units, em, indents = split_units(text, measure), measure("\u4e00"), _Indents(first_indent, hang)
    usual = _usual_breaks(units, width, indents, measure, em)
    if count < 1 or count == len(usual):
        return None
    breaks = _rebreak(
        _Paragraph.of(units, measure, em), 0, 0, count, width, indents, squeeze=count < len(usual)
    )
    return None if breaks is None else _set_lines(units, breaks, width, indents, measure, half_opening)


def _usual_breaks(
    units: Sequence[Unit], width: float, indents: _Indents, measure: Measure, em: float
) -> list[tuple[int, int]]:
    """Every line filled as full as it goes, then the last line's runt handed characters."""
    return _without_runt(units, _greedy_breaks(units, width, indents, measure, em), width, indents, measure, em)


def _set_lines(
    units: Sequence[Unit],
    breaks: list[tuple[int, int]],
    width: float,
    indents: _Indents,
    measure: Measure,
    half_opening: bool,
) -> list[Line]:
    """Each line of `breaks` justified to `width` (the paragraph's last one ragged)."""
    lines = []
    for n, (start, end) in enumerate(breaks):
        available = width - indents.of(n)
        last = end >= len(units)
        lines.append(_justify(units[start:end], available, width - available, measure, last, half_opening))
    return lines


@dataclass(frozen=True, slots=True)
class _Indents:
    first: float
    rest: float

    def of(self, line: int) -> float:
        return self.first if line == 0 else self.rest


def _greedy_breaks(
    units: Sequence[Unit], width: float, indents: _Indents, measure: Measure, em: float
) -> list[tuple[int, int]]:
    """Each line's (first unit, end unit), every line filled as full as it goes."""
    breaks: list[tuple[int, int]] = []
    start = 0
    while start < len(units):
        available = width - indents.of(len(breaks))
        end = _fill(units, start, available, measure, em)
        breaks.append((start, end))
        start = _next_start(units, end)
    return breaks


def _next_start(units: Sequence[Unit], end: int) -> int:
    while end < len(units) and units[end].space:  # no line starts with a word space
        end += 1
    return end


def _without_runt(
    units: Sequence[Unit], breaks: list[tuple[int, int]], width: float, indents: _Indents, measure: Measure, em: float
) -> list[tuple[int, int]]:
    """The breaks with the last line no runt. First the last RUNT_LINES lines before it are
    re-broken with the same number of lines, handing the runt characters (each line at most
    MAX_RUNT_SPACING_EM a gap looser); failing that, with one line fewer, the runt taken up into
    them by setting some of their punctuation narrower (clreq §3.1.6: a mark's blank half may go,
    at most MAX_SQUEEZE_EM of it). If neither works, the greedy breaks stand."""
    letters = _letters(units, *breaks[-1])
    if len(breaks) < 2 or letters >= RUNT_CHARACTERS or not letters:
        return breaks
    paragraph = _Paragraph.of(units, measure, em)
    first = max(0, len(breaks) - 1 - RUNT_LINES)
    count = len(breaks) - first
    rebroken = _rebreak(paragraph, breaks[first][0], first, count, width, indents, squeeze=False)
    if rebroken is None:
        rebroken = _rebreak(paragraph, breaks[first][0], first, count - 1, width, indents, squeeze=True)
    return breaks if rebroken is None else [*breaks[:first], *rebroken]


MAX_SQUEEZE_EM = 0.5
"""The most a mark may be set narrower to take a runt up: its blank half, no more."""


@dataclass(frozen=True, slots=True)
class _Paragraph:
    """A paragraph's units with running sums, so any line's natural width is two subtractions."""

    units: Sequence[Unit]
    em: float
    width_at: list[float]
    joint_at: list[float]
    """joint_at[k]: the pair trims between units before index k."""
    atoms_at: list[int]
    squeeze_at: list[float]
    """squeeze_at[k]: how much narrower units before k may be set (closing marks with no mark
    beside them, as `_squeeze` takes it)."""

    @classmethod
    def of(cls, units: Sequence[Unit], measure: Measure, em: float) -> _Paragraph:
        width_at, atoms_at, squeeze_at = [0.0], [0], [0.0]
        atoms = [atom for unit in units for atom in unit.atoms]
        alone = [_squeezable(atoms, n, measure, em) for n in range(len(atoms))]
        for unit in units:
            width_at.append(width_at[-1] + unit.width)
            atoms_at.append(atoms_at[-1] + len(unit.atoms))
            squeeze_at.append(squeeze_at[-1] + MAX_SQUEEZE_EM * em * sum(alone[atoms_at[-2] : atoms_at[-1]]))
        joint_at = [0.0, 0.0]
        for k in range(1, len(units)):
            joint_at.append(joint_at[-1] + sum(pair_trim(units[k - 1].atoms[-1], units[k].atoms[0], measure, em)))
        return cls(units, em, width_at, joint_at, atoms_at, squeeze_at)

    def badness(self, j: int, i: int, available: float, squeeze: bool) -> float | None:
        """How far units[j:i] set as one line of `available` points is from natural spacing, as a
        share of what is allowed (above 1: not allowed): the space added per gap against
        MAX_RUNT_SPACING_EM if it is short, the space taken per squeezable mark against
        MAX_SQUEEZE_EM if it is long (only where `squeeze`); None when it cannot be set at all."""
        end = i
        while end > j + 1 and self.units[end - 1].space:
            end -= 1
        natural = self.width_at[end] - self.width_at[j] - (self.joint_at[end] - self.joint_at[j + 1])
        if natural <= available + 1e-6:
            if i >= len(self.units):
                return 0.0
            gaps = max(1, self.atoms_at[end] - self.atoms_at[j] - 1)
            return (available - natural) / gaps / (MAX_RUNT_SPACING_EM * self.em)
        capacity = self.squeeze_at[end] - self.squeeze_at[j] if squeeze else 0.0
        if natural - capacity > available + 1e-6:
            return None
        return (natural - available) / capacity


def _rebreak(
    paragraph: _Paragraph, start: int, first: int, count: int, width: float, indents: _Indents, *, squeeze: bool
) -> list[tuple[int, int]] | None:
    """units[start:] in `count` lines (the first of them line `first` of the paragraph), the last
    holding at least RUNT_CHARACTERS characters and the worst line's badness as small as it can be
    (dynamic programming over every legal break); None if some line would pass the limits."""
    units, em, width_at = paragraph.units, paragraph.em, paragraph.width_at
    size = len(units)
    starts = [k for k in range(start, size) if k == start or not units[k].space]
    following = [_next_start(units, k) for k in range(size)]
    limit = MAX_RUNT_SPACING_EM * em
    inf = float("inf")
    best: dict[tuple[int, int], tuple[float, int]] = {(0, start): (0.0, -1)}
    for line in range(count):
        available = width - indents.of(first + line)
        for j in starts:
            if (line, j) not in best:
                continue
            worst = best[(line, j)][0]
            # a line looser than the limit is no use: start from the first break that fills enough
            shortest = bisect.bisect_left(width_at, width_at[j] + available * (1 - limit / em) - 2 * em)
            for i in itertools.chain(starts[bisect.bisect_left(starts, max(j + 1, shortest)) :], (size,)):
                badness = paragraph.badness(j, i, available, squeeze)
                if badness is None:
                    break
                if badness > 1.0:
                    continue
                if i >= size and (line + 1 < count or _letters(units, j, size) < RUNT_CHARACTERS):
                    continue  # only the last line reaches the end, and it holds enough
                key = (line + 1, following[i] if i < size else size)
                value = max(worst, badness)
                if value < best.get(key, (inf, 0))[0]:
                    best[key] = (value, j)
    if count < 1 or (count, size) not in best:
        return None
    out: list[tuple[int, int]] = []
    i = size
    for line in range(count, 0, -1):
        j = best[(line, i)][1]
        out.append((j, i if i >= size else _line_end(units, i)))
        i = j
    out.reverse()
    return out


def _line_end(units: Sequence[Unit], next_start: int) -> int:
    """The end of the line before `next_start` (word spaces between belong to neither)."""
    end = next_start
    while end > 0 and units[end - 1].space:
        end -= 1
    return end


def _letters(units: Sequence[Unit], start: int, end: int) -> int:
    """Characters in units[start:end] that are not punctuation or space."""
    return sum(1 for unit in units[start:end] for char in unit.text if char.isalnum())


def _fill(units: Sequence[Unit], start: int, available: float, measure: Measure, em: float) -> int:
    """Index after the last unit that fits from `start`; at least one unit. Two units meeting at a
    pair of marks (，|“) take half an em less together."""
    used = 0.0
    end = start
    while end < len(units):
        joint = sum(pair_trim(units[end - 1].atoms[-1], units[end].atoms[0], measure, em)) if end > start else 0.0
        width = units[end].width - joint
        if used + width > available + 1e-6:
            if end > start and used + width - _end_squeeze(units[end], measure, em) <= available + 1e-6:
                end += 1  # its closing mark set half-width at the line's end, rather than a loose line
            break
        used += width
        end += 1
    return max(end, start + 1)


def _end_squeeze(unit: Unit, measure: Measure, em: float) -> float:
    """How much narrower `unit` may be set at a line's end: the blank half of a closing mark that
    ends it (…键。), when no mark beside it has taken that half already (clreq §3.1.6)."""
    return MAX_SQUEEZE_EM * em if _squeezable(unit.atoms, len(unit.atoms) - 1, measure, em) else 0.0


def _squeezable(atoms: Sequence[str], n: int, measure: Measure, em: float) -> bool:
    """Whether atoms[n] may give up its blank half: a full-width closing mark with no mark beside it
    (a pair has given its half already, `pair_trim`). `_squeeze` takes exactly these: the marks of
    a line with no trim of their own."""
    return (
        atoms[n] in CLOSING_HALF
        and _full_width_mark(atoms[n], measure, em)
        and (n == 0 or atoms[n - 1] not in _MARKS)
        and (n + 1 == len(atoms) or atoms[n + 1] not in _MARKS)
    )


def _justify(
    units: Sequence[Unit], available: float, indent: float, measure: Measure, last: bool, half_opening: bool = False
) -> Line:
    """Spread the spare width evenly between all atoms, so the line ends flush with the measure.

    Equal spacing between every pair of characters is how Chinese text is justified (clreq §3.8);
    Latin words and dash pairs are atoms and keep their own spacing. Adjacent marks are compressed
    first (`pair_trim`): a trimmed trailing blank shortens the atom's advance, a trimmed leading
    blank draws its glyph that much to the left. With `half_opening`, an opening mark that starts
    a line at the margin loses its leading blank too, so its ink lines up with the text below.
    """
    kept = list(units)
    while len(kept) > 1 and kept[-1].space:
        kept.pop()
    atoms = [atom for unit in kept for atom in unit.atoms]
    widths = [measure(atom) for atom in atoms]
    em = measure("\u4e00")
    after = [0.0] * len(atoms)
    before = [0.0] * len(atoms)
    for n in range(len(atoms) - 1):
        after[n], before[n + 1] = pair_trim(atoms[n], atoms[n + 1], measure, em)
    if half_opening and indent == 0 and atoms and atoms[0] in OPENING_HALF and _full_width_mark(atoms[0], measure, em):
        before[0] = em / 2
    natural = sum(widths) - sum(after) - sum(before)
    if natural > available + 1e-6:
        _squeeze(atoms, widths, after, before, natural - available, em)
        natural = available
    tight = [bool(after[n] or before[n + 1]) for n in range(len(atoms) - 1)]
    gaps = len(atoms) - 1 - sum(tight)  # a compressed pair takes no justification: it stays 1.5 em
    spacing = 0.0 if last or gaps == 0 else max(0.0, available - natural) / gaps
    positions = []
    x = indent
    for n, (atom_width, trailing, leading) in enumerate(zip(widths, after, before, strict=True)):
        positions.append(x - leading)
        x += atom_width - trailing - leading + (0.0 if n < len(tight) and tight[n] else spacing)
    last_width = widths[-1] - after[-1] if widths else 0.0  # a squeezed last mark ends at its trim
    compressed = frozenset(n for n in range(len(atoms)) if after[n] or before[n])
    return Line(
        tuple(atoms), tuple(positions), spacing=spacing, last=last, last_width=last_width, compressed=compressed
    )


def _squeeze(
    atoms: Sequence[str], widths: Sequence[float], after: list[float], before: list[float], excess: float, em: float
) -> None:
    """Take `excess` points out of a line that was broken to be set tight (a runt taken up): every
    full-width closing mark with no trim of its own gives an equal share of the blank half after
    its glyph (at most MAX_SQUEEZE_EM each). Opening marks keep theirs: at a line start that is
    the style's choice (`half_opening`)."""
    free = [
        n
        for n, atom in enumerate(atoms)
        if atom in CLOSING_HALF and widths[n] >= FULL_WIDTH_SHARE * em and not after[n] and not before[n]
    ]
    share = min(MAX_SQUEEZE_EM * em, excess / len(free)) if free else 0.0
    for n in free:
        after[n] = share


def violations(lines: Sequence[str]) -> list[str]:
    """Lines that break the prohibition rules: the checker used on text read back from a PDF."""
    found = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        if text[0] in NOT_AT_LINE_START:
            found.append(f"starts with {text[0]!r}: {text[:12]}…")
        if text[-1] in NOT_AT_LINE_END:
            found.append(f"ends with {text[-1]!r}: …{text[-12:]}")
    return found


# --- display lines: titles, kickers, subtitles, headings ----------------------------------------

Segmenter = Callable[[str], list[str]]
"""Splits a text into words (compiler.lexicon's segmenter), every character kept."""
CLAUSE_END = frozenset("，、；：。！？")
"""Marks after which a display line may end gladly."""
SHORT_LINE = 3
"""A display line holds at least this many characters besides punctuation, where it can."""


def display_lines(text: str, width: float, measure: Measure, segment: Segmenter) -> list[str]:
    """A display text in as few lines as fit `width`, broken only between words, never inside
    《…》 or a quotation that fits a line, and balanced: of all ways to break it into that many
    lines, the one whose lines are nearest one length, a line of one or two characters only
    where nothing else fits. A word wider than the measure is broken as running text is."""
    if measure(text) <= width:
        return [text]
    tokens = _display_tokens(text, segment, measure, width)
    widths = [measure(token) for token in tokens]
    count = len(_greedy_display(tokens, widths, width))
    best = _balanced(tokens, widths, width, count)
    return best if best is not None else _greedy_display(tokens, widths, width)


def _display_tokens(text: str, segment: Segmenter, measure: Measure, width: float) -> list[str]:
    """Words, with marks glued as the prohibition rules say and short 《…》 and “…” spans whole;
    a word wider than the measure in pieces of running text's units."""
    words = segment(text)
    if "".join(words) != text:  # a segmenter that drops or changes characters is not trusted
        words = list(text)
    glued: list[str] = []
    for word in words:
        if glued and (word[0] in NOT_AT_LINE_START or glued[-1][-1] in NOT_AT_LINE_END) and not word.isspace():
            glued[-1] += word
        else:
            glued.append(word)
    tokens = _quotations_whole(glued, measure, width)
    out: list[str] = []
    for token in tokens:
        out.extend(_narrow_enough(token, segment, measure, width))
    return out


def _narrow_enough(token: str, segment: Segmenter, measure: Measure, width: float) -> list[str]:
    """A token as pieces no wider than the measure: a long compound at the split that leaves the
    fewest words (全国人民代表大会|常务委员会), else as running text's units."""
    if measure(token) <= width:
        return [token]
    splits = [
        (len(segment(token[:i])) + len(segment(token[i:])), abs(2 * i - len(token)), i)
        for i in range(2, len(token) - 1)
        if token[i] not in NOT_AT_LINE_START and token[i - 1] not in NOT_AT_LINE_END
    ]
    if not splits or len(token) < 4:
        return [unit.text for unit in split_units(token, measure)]
    _, _, at = min(splits)
    return _narrow_enough(token[:at], segment, measure, width) + _narrow_enough(token[at:], segment, measure, width)


def _quotations_whole(tokens: list[str], measure: Measure, width: float) -> list[str]:
    """Tokens with each bracketed or quoted span that fits a line joined into one."""
    out: list[str] = []
    n = 0
    while n < len(tokens):
        opener = next((c for c in tokens[n] if c in PAIRED_MARKS), None)
        close = PAIRED_MARKS.get(opener or "", "")
        end = n
        if opener and close not in tokens[n][tokens[n].index(opener) :]:
            end = next((k for k in range(n + 1, len(tokens)) if close in tokens[k]), n)
        joined = "".join(tokens[n : end + 1])
        if end > n and measure(joined) <= width:
            out.append(joined)
            n = end + 1
        else:
            out.append(tokens[n])
            n += 1
    return out


def _greedy_display(tokens: Sequence[str], widths: Sequence[float], width: float) -> list[str]:
    lines: list[list[str]] = [[]]
    used = 0.0
    for token, token_width in zip(tokens, widths, strict=True):
        if lines[-1] and used + token_width > width + 1e-6:
            lines.append([])
            used = 0.0
        if not lines[-1] and token.isspace():
            continue
        lines[-1].append(token)
        used += token_width
    return ["".join(line).strip() for line in lines if "".join(line).strip()]


def _balanced(tokens: Sequence[str], widths: Sequence[float], width: float, count: int) -> list[str] | None:
    """The breaks into `count` lines that fit, with the least sum of squared line widths (least
    when the lines are equal), a short line (fewer than SHORT_LINE characters) costing the most."""
    size = len(tokens)
    prefix = [0.0]
    for token_width in widths:
        prefix.append(prefix[-1] + token_width)
    penalty = (width * count) ** 2
    inf = float("inf")
    # cost[k][i]: the best cost of setting tokens[:i] in k lines; back[k][i]: where the last line starts
    cost = [[inf] * (size + 1) for _ in range(count + 1)]
    back = [[0] * (size + 1) for _ in range(count + 1)]
    cost[0][0] = 0.0
    for k in range(1, count + 1):
        for i in range(1, size + 1):
            for j in range(i - 1, -1, -1):
                line_width = prefix[i] - prefix[j]
                if line_width > width + 1e-6:
                    break
                if cost[k - 1][j] == inf or tokens[j].isspace():
                    continue
                text = "".join(tokens[j:i]).strip()
                short = sum(char.isalnum() for char in text) < SHORT_LINE
                value = cost[k - 1][j] + line_width**2 + (penalty if short else 0.0)
                if i < size and text[-1] in CLAUSE_END:
                    value -= (width / 3) ** 2  # a break after a comma reads as a pause the eye expects
                if value < cost[k][i]:
                    cost[k][i], back[k][i] = value, j
    if cost[count][size] == inf:
        return None
    lines = []
    i = size
    for k in range(count, 0, -1):
        j = back[k][i]
        lines.append("".join(tokens[j:i]).strip())
        i = j
    return lines[::-1]
