"""How likely a block continues a cut paragraph: evidence features and a calibrated probability.

"The paragraph stops mid-sentence" only says where to look. Whether a given block is the rest of
it is decided on evidence, each piece measurable on its own:

- words: a dictionary word spans the junction (jieba's unigram model, evidence.py);
- characters: how much likelier the first character of the block is after the last character
  of the cut than on its own, under a character bigram model of running text (data/bigrams.json,
  counted on the corpus's tuning part); and, three characters wide each way, how much likelier the
  block's start is after the cut than opening a paragraph, the cut's end before the block than
  ending one (a character 4-gram model, charlm.py);
- layout: on a page that indents paragraph starts, an unindented block continues something and
  an indented one starts a paragraph;
- punctuation: a block that starts with a closing mark or a particle cannot start a paragraph;
- cohesion: a displaced block shares more vocabulary with the speech it came from than with the
  one it landed in (character-bigram TF-IDF).

A logistic model turns the features into a probability, fitted on damage generated from the
tuning part of the corpus (tests/corpus/train_repair.py) and shipped in data/repair.json with the
threshold above which a repair is made. Below it the text stays where it is.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import operator
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from compiler.chinese import CLOSING, PAIRED_MARKS
from compiler.errors import CompilerError
from compiler.lexicon import cache_file
from compiler.output import write_atomically
from compiler.repair.charlm import CharModel, shipped_char_model
from compiler.repair.packed import PackedCounts, pack_tables, total, unpack_tables
from compiler.repair.review import Review

NON_STARTERS = frozenset("，。、；：？！…）》」』”’,.;:?!)") | frozenset("的了着过地得们吗呢吧啊")
"""Marks and particles no paragraph starts with: a block starting with one continues something."""
CLAUSE_MARKS = frozenset("，、；,;")
SENTENCE_MARKS = frozenset("。！？!?…")
BINDING_CHARS = frozenset("的之和与及或在对把被从向为以将由给让使并而且其等所就都也还又再更最很")
"""Characters that bind to what follows: a text ending in one was cut, not finished."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One block considered as the continuation of one cut, with what is known about the pair."""

    left: str
    """The cut paragraph's text."""
    right: str
    """The candidate block's text."""
    adjacent: bool
    """The block already follows the cut."""
    right_indented: bool
    page_indents: bool
    """Most of the page's paragraphs start indented, so indentation is evidence here."""
    word_gain: float
    """Word-join evidence in nats (evidence.py)."""
    cohesion: float = 0.0
    """For a block elsewhere: its similarity to the cut's speech minus to its host speech."""
    cut_margin: float = 0.0
    """Word evidence of this pair minus the best other candidate of the same cut (nats)."""
    block_margin: float = 0.0
    """Word evidence of this pair minus the best other cut this block could continue (nats)."""
    left_word: str = ""
    """The last word of the cut's end, as the segmenter reads it alone."""
    right_word: str = ""
    """The first word of the block's start."""
    unpaired: int = 0
    """On a page whose indentation is evidence, its cuts the layout does not pair with the block
    after them (continuations._unpaired_cuts): displacement happened on this page."""
    right_last: bool = False
    """The block is the last of its speech: where displaced fragments land (after a speech's last
    paragraph, before a heading, at the end of the page)."""


class BigramModel:
    """Character bigram counts of running text, with add-k smoothing."""

    def __init__(
        self, bigrams: Mapping[str, int], unigrams: Mapping[str, int], openers: Mapping[str, int] | None = None
    ) -> None:
        self.bigrams = bigrams
        self.unigrams = unigrams
        self.openers = openers or {}
        """How often each first bigram opens a paragraph."""
        self.total = max(1, total(unigrams))
        self.vocabulary = max(1, len(unigrams))
        self.total_bigrams = max(1, total(bigrams))
        self.total_openers = max(1, total(self.openers))
        self.word_bigrams: Mapping[str, int] = {}
        self.word_unigrams: Mapping[str, int] = {}
        self.total_words = 1
        self.ends_word: Mapping[str, int] = {}
        self.starts_word: Mapping[str, int] = {}
        self.trigrams: Mapping[str, int] = {}
        self.chars: CharModel | None = None

    def with_chars(self, chars: CharModel | None) -> BigramModel:
        """The model with the character 4-gram model (charlm.py), for evidence three characters wide."""
        self.chars = chars
        return self

    def with_trigrams(self, trigrams: Mapping[str, int]) -> BigramModel:
        """The model with character trigram counts, for evidence that sees two characters of context."""
        self.trigrams = trigrams
        return self

    def trigram_llr(self, left: str, right: str) -> float:
        """log P(first two characters of `right` | the two characters before them) - log P(them with
        no left context): how much the cut's last characters predict the block's first ones. It sees further
        than `llr` (落实耕|地 and 持续|提档 differ from 耕|续 only with two characters of context),
        under interpolated trigram, bigram and unigram estimates."""
        left = "".join(left.split())[-2:]
        right = "".join(right.split())[:2]
        if len(left) < 2 or len(right) < 2:
            return 0.0
        joined = left + right
        with_context = sum(self._interpolated(joined[i - 2 : i], joined[i]) for i in (2, 3))
        alone = self._interpolated("", right[0]) + self._interpolated(right[0], right[1])
        return with_context - alone

    def _interpolated(self, history: str, char: str) -> float:
        """log P(char | history) for a history of 0-2 characters: each order's relative frequency
        mixed with the one below it, an order whose history was never seen left out (its share goes
        to the orders below, so an unseen context is not evidence against the character)."""
        estimate = (self.unigrams.get(char, 0) + 0.1) / (self.total + 0.1 * self.vocabulary)
        if history:
            seen = self.unigrams.get(history[-1], 0)
            if seen:
                estimate = 0.7 * self.bigrams.get(history[-1] + char, 0) / seen + 0.3 * estimate
        if len(history) == 2:
            seen = self.bigrams.get(history, 0)
            if seen:
                estimate = 0.6 * min(1.0, self.trigrams.get(history + char, 0) / seen) + 0.4 * estimate
        return math.log(estimate)

    def with_words(
        self,
        word_bigrams: Mapping[str, int],
        word_unigrams: Mapping[str, int],
        boundaries: tuple[Mapping[str, int], Mapping[str, int]] | None = None,
    ) -> BigramModel:
        """The model with word bigram counts (keys "w1 w2") for the word-level junction evidence;
        `boundaries`, when known, is what `word_boundaries` gives for `word_unigrams`."""
        self.word_bigrams = word_bigrams
        self.word_unigrams = word_unigrams
        self.total_words = max(1, total(word_unigrams))
        self.ends_word, self.starts_word = boundaries or word_boundaries(word_unigrams)
        return self

    def boundary_llr(self, last: str, first: str) -> float:
        """How natural a word boundary between `last` and `first` is: log share of each character's
        occurrences that end (start) a word in running text. A cut inside a word (企业家精|…) leaves a
        character that rarely ends one; a block starting inside a word starts with one that rarely
        starts one."""
        total_last = self.unigrams.get(last, 0)
        total_first = self.unigrams.get(first, 0)
        if total_last < 5 or total_first < 5:
            return 0.0
        end_share = (self.ends_word.get(last, 0) + 0.5) / (total_last + 1)
        start_share = (self.starts_word.get(first, 0) + 0.5) / (total_first + 1)
        return math.log(min(1.0, end_share)) + math.log(min(1.0, start_share))

    def word_llr(self, left_word: str, right_word: str) -> float:
        """log P(right word | left word) - log P(right word): a cut between two words that often
        follow each other (实地|检查) leaves no trace in a dictionary, but does in running text."""
        before = self.word_unigrams.get(left_word, 0)
        if not before or not right_word:
            return 0.0
        vocabulary = max(1, len(self.word_unigrams))
        conditional = (self.word_bigrams.get(f"{left_word} {right_word}", 0) + 0.1) / (before + 0.1 * vocabulary)
        marginal = (self.word_unigrams.get(right_word, 0) + 0.1) / (self.total_words + 0.1 * vocabulary)
        return math.log(conditional) - math.log(marginal)

    def opener_llr(self, text: str) -> float:
        """log P(first bigram | paragraph start) - log P(bigram anywhere): how much a text's start
        looks like the start of a paragraph (一是, 近年来, 我们…) rather than the middle of one."""
        compact = "".join(text.split())[:2]
        if len(compact) < 2:
            return 0.0
        at_start = (self.openers.get(compact, 0) + 0.5) / (self.total_openers + 0.5 * len(self.bigrams) + 1)
        anywhere = (self.bigrams.get(compact, 0) + 0.5) / (self.total_bigrams + 0.5 * len(self.bigrams) + 1)
        return math.log(at_start) - math.log(anywhere)

    def llr(self, left: str, right: str) -> float:
        """log P(right | left) - log P(right), for single characters (0 when either is unknown)."""
        before = self.unigrams.get(left, 0)
        after = self.unigrams.get(right, 0)
        if not before or not after:
            return 0.0
        conditional = (self.bigrams.get(left + right, 0) + 0.1) / (before + 0.1 * self.vocabulary)
        marginal = (after + 0.1) / (self.total + 0.1 * self.vocabulary)
        return math.log(conditional) - math.log(marginal)


def word_boundaries(word_unigrams: Mapping[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """How often each character ends a word and starts one in running text (`boundary_llr`)."""
    ends: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    for word, count in word_unigrams.items():
        ends[word[-1]] += count
        starts[word[0]] += count
    return dict(ends), dict(starts)


def _ends_sentence(text: str) -> bool:
    core = text.rstrip("".join(CLOSING) + " ")
    return bool(core) and core[-1] in SENTENCE_MARKS


_ORDINAL = "一二三四五六七八九十"
_ENUMERATOR = re.compile(rf"^(?:其[{_ORDINAL}]|[{_ORDINAL}]+是|第[{_ORDINAL}]+[，、,]|首先|其次|再次|最后|此外|另外)")
"""Ordinals and list openers (其三，一是 第二， 首先 此外) that start the next item of a list: after a
clause mark (…；|其三，) they begin a paragraph of their own more often than they continue one."""


def _is_aside(text: str) -> bool:
    """A whole bracketed block (（本报记者…采访整理）, （作者为…）): complete, though no sentence mark ends it."""
    core = text.strip()
    return len(core) > 2 and core[0] in "（(" and core[-1] in "）)"


_CLOSER_OF = {closing: opening for opening, closing in PAIRED_MARKS.items()}


@lru_cache(maxsize=4096)  # one cut's text is weighed against each of its candidates
def unclosed_marks(text: str) -> str:
    """The opening marks still open at the end of `text`, innermost last: a paragraph that stops
    inside a quotation or a bracket (…希望“ or （本报记者肖) was cut, and its rest closes them."""
    stack: list[str] = []
    for char in text:
        if char in PAIRED_MARKS:
            stack.append(char)
        elif char in _CLOSER_OF and _CLOSER_OF[char] in stack:  # closes its own kind's latest, as
            del stack[len(stack) - 1 - stack[::-1].index(_CLOSER_OF[char])]  # unopened_marks counts
    return "".join(stack)


@lru_cache(maxsize=4096)  # one block is weighed as the candidate of several cuts
def unopened_marks(text: str) -> str:
    """The closing marks in `text` that nothing in it opened, in order: a block that closes a
    quotation it never opened (代表发发声”。 家鑫整理）) continues a text that opened it."""
    open_count: dict[str, int] = {}
    found = []
    for char in text:
        if char in PAIRED_MARKS:
            open_count[char] = open_count.get(char, 0) + 1
        elif char in _CLOSER_OF:
            opening = _CLOSER_OF[char]
            if open_count.get(opening, 0):
                open_count[opening] -= 1
            else:
                found.append(char)
    return "".join(found)


def brackets_evidence(left: str, right: str) -> float:
    """+1 when the block closes the mark the cut left open (“ … ”), -1 when only one side is
    unbalanced (the cut waits for a mark the block does not close, or the block closes a mark the
    cut never opened), 0 when neither is."""
    waiting = unclosed_marks(left)
    closing = unopened_marks(right)
    if waiting and closing:
        return 1.0 if PAIRED_MARKS[waiting[-1]] == closing[0] else -1.0
    return -1.0 if waiting or closing else 0.0


def junction_chars(left: str, right: str) -> tuple[str, str]:
    """The characters either side of the junction, closing marks of the left side skipped."""
    core = left.rstrip(" ")
    return (core[-1] if core else ""), (right[0] if right else "")


def kind_of(candidate: Candidate) -> str:
    """The regime a pair is weighed in: the block already follows the cut or sits elsewhere, on a
    page whose indentation is evidence or not. Each regime has weights of its own: where the
    layout speaks, the words matter less, and one set of weights would misjudge both."""
    kind = "adjacent" if candidate.adjacent else "moved"
    return f"{kind}@layout" if candidate.page_indents else kind


@lru_cache(maxsize=65536)
def features(candidate: Candidate, bigrams: BigramModel) -> dict[str, float]:
    """The evidence for one candidate as named numbers (the logistic model's inputs). Cached: the
    move step and the join step weigh most pairs of a page twice (callers must not modify it)."""
    last, first = junction_chars(candidate.left, candidate.right)
    llr = max(-8.0, min(8.0, bigrams.llr(last, first)))
    gain = min(candidate.word_gain, 15.0)
    layout = 0.0
    if candidate.page_indents:
        layout = -1.0 if candidate.right_indented else 1.0
    kind = kind_of(candidate)
    values = {
        "bias": 1.0,
        f"{kind}": 1.0,
        f"{kind}*word_gain": gain,
        f"{kind}*word_spans": 1.0 if gain > 0 else 0.0,
        f"{kind}*bigram": llr,
        f"{kind}*trigram": max(-8.0, min(8.0, bigrams.trigram_llr(candidate.left, candidate.right))),
        f"{kind}*right_last": 1.0 if candidate.right_last else 0.0,
        f"{kind}*page_paired": 1.0 if candidate.page_indents and not candidate.unpaired else 0.0,
        f"{kind}*unpaired": float(min(3, candidate.unpaired)),
        f"{kind}*layout": layout,
        f"{kind}*after_clause_mark": 1.0 if last in CLAUSE_MARKS else 0.0,
        f"{kind}*non_starter": 1.0 if first in NON_STARTERS else 0.0,
        f"{kind}*left_closing": 1.0 if last in CLOSING else 0.0,
        f"{kind}*right_opener": max(-6.0, min(6.0, bigrams.opener_llr(candidate.right))),
        f"{kind}*word_bigram": max(-8.0, min(8.0, bigrams.word_llr(candidate.left_word, candidate.right_word))),
        f"{kind}*boundary": max(-8.0, bigrams.boundary_llr(last, first)) if gain <= 0 else 0.0,
        f"{kind}*left_short": 1.0 if len(candidate.left) < 16 else 0.0,
        f"{kind}*right_short": 1.0 if len(candidate.right.strip()) < 8 else 0.0,
        f"{kind}*left_sentence_end": 1.0 if _ends_sentence(candidate.left) else 0.0,
        f"{kind}*layout*open": layout if not _ends_sentence(candidate.left) else 0.0,
        f"{kind}*layout*sentence_end": layout if _ends_sentence(candidate.left) else 0.0,
        f"{kind}*left_binding": 1.0 if last in BINDING_CHARS else 0.0,
        f"{kind}*left_aside": 1.0 if _is_aside(candidate.left) else 0.0,
        f"{kind}*right_enumerator": 1.0 if _ENUMERATOR.match(candidate.right.lstrip()) else 0.0,
        f"{kind}*brackets": brackets_evidence(candidate.left, candidate.right),
        f"{kind}*cut_margin": max(-10.0, min(10.0, candidate.cut_margin)),
        f"{kind}*block_margin": max(-10.0, min(10.0, candidate.block_margin)),
    }
    if bigrams.chars is not None:
        reads_on = bigrams.chars.continuation_llr(candidate.left, candidate.right)
        values[f"{kind}*continuation"] = max(-10.0, min(10.0, reads_on))
        values[f"{kind}*ending"] = max(-10.0, min(10.0, bigrams.chars.ending_llr(candidate.left, candidate.right)))
    if not candidate.adjacent:
        values[f"{kind}*cohesion"] = max(-1.0, min(1.0, candidate.cohesion))
    return values


@dataclass(frozen=True, slots=True)
class JunctionModel:
    """Logistic weights over `features`, and the probability a repair needs."""

    weights: Mapping[str, float]
    threshold: float
    """Least probability for joining a cut with the block after it (chosen on the tuning part for
    precision ≥ 0.99 of all repairs)."""
    bigrams: BigramModel
    move_threshold: float = 0.99
    """Least probability for moving a block from elsewhere (a wrong move breaks more text)."""
    layout_threshold: float | None = None
    """Least probability for a join on a page whose indentation is evidence (chosen apart: there
    the layout, not the words, carries most of the decision). None: the join threshold."""
    review: Review | None = None
    """The editor's decisions, which override the model where they speak (review.py)."""

    def threshold_for(self, adjacent: bool, page_indents: bool = False) -> float:
        if not adjacent:
            return self.move_threshold
        if page_indents and self.layout_threshold is not None:
            return self.layout_threshold
        return self.threshold

    first_pass: Mapping[str, float] | None = None
    """Weights of a first look at each pair alone; the final model also sees, for each pair, the
    best rival's first-look probability: a cut whose every other candidate is implausible most
    likely continues in this one (the text of a cut is somewhere), one with a strong rival less so."""

    def probability(self, candidate: Candidate) -> float:
        """The pair's probability on its own evidence (no rivals considered)."""
        return logistic(self.first_pass or self.weights, features(candidate, self.bigrams))

    def probabilities(self, candidates: Sequence[Candidate]) -> list[float]:
        """Each of one cut's candidates' probability, given the others."""
        if self.first_pass is None:
            return [self.probability(candidate) for candidate in candidates]
        looks = [features(candidate, self.bigrams) for candidate in candidates]
        first = [logistic(self.first_pass, values) for values in looks]
        return [
            logistic(self.weights, with_rival(values, candidate, first[:n] + first[n + 1 :]))
            for n, (values, candidate) in enumerate(zip(looks, candidates, strict=True))
        ]


def with_rival(values: dict[str, float], candidate: Candidate, rivals: Sequence[float]) -> dict[str, float]:
    """The pair's features and the log-odds of its best rival's first-look probability."""
    best = max(rivals, default=0.0)
    best = min(max(best, 1e-4), 1 - 1e-4)
    kind = kind_of(candidate)
    return {**values, f"{kind}*rival": math.log(best / (1 - best)), f"{kind}*no_rival": 1.0 if not rivals else 0.0}


def logistic(weights: Mapping[str, float], values: Mapping[str, float]) -> float:
    score = sum(map(operator.mul, map(weights.get, values.keys(), itertools.repeat(0.0)), values.values()))
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, score))))


@lru_cache(maxsize=1)
def shipped_bigrams() -> BigramModel:
    data = _bigram_tables()
    model = BigramModel(data["bigrams"], data["unigrams"], data.get("openers", {}))
    model.with_trigrams(data.get("trigrams", {})).with_chars(shipped_char_model())
    boundaries = (data["word_ends"], data["word_starts"]) if "word_ends" in data else None
    return model.with_words(data.get("word_bigrams", {}), data.get("word_unigrams", {}), boundaries)


def _bigram_tables() -> dict[str, PackedCounts]:
    """data/bigrams.json's tables, packed (packed.py), with how often each character ends and
    starts a word (`word_boundaries`, a pass over 40,000 words), read from a packed copy in the
    user's cache when there is one (370,000 counts: JSON takes a third of a second to read, the copy
    a twentieth)."""
    source = Path(str(resources.files("compiler").joinpath("data", "bigrams.json")))
    cached = cache_file("bigrams", source).with_suffix(".packed")
    try:
        return unpack_tables(cached.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    shipped = json.loads(source.read_text(encoding="utf-8"))
    ends, starts = word_boundaries(shipped.get("word_unigrams", {}))
    shipped.update(word_ends=ends, word_starts=starts)
    tables = {name: PackedCounts.of(table) for name, table in shipped.items()}
    with contextlib.suppress(CompilerError, OSError):  # a read-only home: read the JSON every time
        write_atomically(cached, pack_tables(tables))
    return tables


@lru_cache(maxsize=1)
def shipped_model() -> JunctionModel:
    """The model fitted on the tuning part (data/repair.json)."""
    data = json.loads(resources.files("compiler").joinpath("data", "repair.json").read_text(encoding="utf-8"))
    return JunctionModel(
        weights=data["weights"],
        threshold=data["threshold"],
        bigrams=shipped_bigrams(),
        move_threshold=data.get("move_threshold", data["threshold"]),
        layout_threshold=data.get("layout_threshold"),
        first_pass=data.get("first_pass"),
    )


def count_trigrams(texts: Sequence[str]) -> dict[str, int]:
    """Character trigram counts of running text (one paragraph per text)."""
    trigrams: Counter[str] = Counter()
    for text in texts:
        compact = "".join(text.split())
        trigrams.update(compact[i : i + 3] for i in range(len(compact) - 2))
    return dict(trigrams)


def count_bigrams(texts: Sequence[str]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Bigram, unigram and paragraph-opening bigram counts of running text (one paragraph per text)."""
    bigrams: Counter[str] = Counter()
    unigrams: Counter[str] = Counter()
    openers: Counter[str] = Counter()
    for text in texts:
        compact = "".join(text.split())
        unigrams.update(compact)
        bigrams.update(compact[i : i + 2] for i in range(len(compact) - 1))
        if len(compact) >= 2:
            openers[compact[:2]] += 1
    return dict(bigrams), dict(unigrams), dict(openers)


def count_word_bigrams(segmented: Sequence[Sequence[str]]) -> tuple[dict[str, int], dict[str, int]]:
    """Word bigram ("w1 w2") and word counts of segmented paragraphs (punctuation tokens kept)."""
    bigrams: Counter[str] = Counter()
    unigrams: Counter[str] = Counter()
    for words in segmented:
        tokens = [w for w in words if w.strip()]
        unigrams.update(tokens)
        bigrams.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    return dict(bigrams), dict(unigrams)


def term_vector(text: str) -> Counter[str]:
    """Character bigrams of a text, for cohesion (no segmenter needed, robust to cut words)."""
    compact = "".join(char for char in text if not char.isspace())
    return Counter(compact[i : i + 2] for i in range(len(compact) - 1))
