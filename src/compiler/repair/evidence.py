"""Word-join evidence: how much more likely two pieces of text are as one under a word model.

A page break that falls inside a word ("…监督工" / "作的意见") leaves two halves that are rare
on their own and common together. Under jieba's unigram dictionary the best segmentation of the
joined text is then far more probable than the two sides segmented apart; the difference in
log-probability (nats) is the evidence. It is zero when no dictionary word spans the junction,
because every segmentation of the joined text then splits there too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compiler.lexicon import Lexicon

# How many characters each side of a junction take part in scoring; longer words than this
# across a cut are rare, and the window keeps scoring cost flat however long paragraphs are.
WINDOW = 8


class WordModel:
    """jieba's dictionary as a unigram word model, loaded on first use (about 0.25 s, see lexicon.py)."""

    def __init__(self) -> None:
        self._lexicon: Lexicon | None = None

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            from compiler.lexicon import lexicon

            self._lexicon = lexicon()
        return self._lexicon

    def log_probability(self, text: str) -> float:
        """Log-probability of the best segmentation of `text` (jieba's dynamic programme)."""
        return self.lexicon.log_probability(text)

    def spans_word(self, left: str, right: str) -> bool:
        """True when some dictionary word starts in `left` and ends in `right`."""
        self.lexicon.ensure(left)
        freq = self.lexicon.frequencies.table
        for size in range(1, len(left) + 1):
            fragment = left[-size:]
            # jieba stores every prefix of every word (with count 0), so a miss ends the search.
            if fragment not in freq:
                continue
            for char in right:
                fragment += char
                count = freq.get(fragment)
                if count is None:
                    break
                if count:
                    return True
        return False

    def join_gain(self, left: str, right: str) -> float:
        """Evidence (nats, ≥ 0) that `left` and `right` were one text cut between them."""
        return self._window_gain(left[-WINDOW:], right[:WINDOW])

    @lru_cache(maxsize=262144)  # noqa: B019 - one model per process; the cache is its point
    def _window_gain(self, tail: str, head: str) -> float:
        if not tail or not head or not self.spans_word(tail, head):
            return 0.0
        gain = self.log_probability(tail + head) - self._side(tail) - self._side(head)
        return max(0.0, gain)

    @lru_cache(maxsize=65536)  # noqa: B019 - one model per process; the cache is its point
    def last_word(self, text: str) -> str:
        """The last word of a short text as the segmenter reads it."""
        words = self.lexicon.segment(text)
        return words[-1] if words else ""

    @lru_cache(maxsize=65536)  # noqa: B019 - one model per process; the cache is its point
    def first_word(self, text: str) -> str:
        """The first word of a short text as the segmenter reads it."""
        words = self.lexicon.segment(text)
        return words[0] if words else ""

    @lru_cache(maxsize=65536)  # noqa: B019 - one model per process; the cache is its point
    def _side(self, text: str) -> float:
        return self.log_probability(text)


@lru_cache(maxsize=1)
def default_model() -> WordModel:
    """The process-wide word model, so the dictionary is loaded at most once."""
    return WordModel()
