"""A character 4-gram model of running text, read both ways, for evidence across a cut.

Whether a block continues a cut paragraph shows in how the characters either side of the cut read
together. Two questions, each a log-likelihood ratio:

- forward: are the block's first characters likelier after the cut's last three than at the start
  of a paragraph? (…交融的一个 | 案例 reads on; a block that opens a new thought reads as a start);
- backward: are the cut's last characters likelier before the block's first three than at the end
  of a paragraph? (a cut inside a word leaves an end no paragraph has).

The bigram and trigram features (junction.py) see one or two characters each side; this sees three,
with Witten-Bell interpolation down to single characters so that an unseen context is no evidence.
Counts come from the same running text as the bigram tables (the corpus's tuning answers, the 2025
background articles, People's Daily of January 1998), n-grams seen once dropped.

The tables ship as sorted integer arrays (data/charlm.bin, zlib): a lookup is a binary search, and
loading costs no dictionary of a million keys in every process.
"""

from __future__ import annotations

import contextlib
import math
import struct
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from compiler.errors import CompilerError
from compiler.lexicon import cache_file
from compiler.output import write_atomically

ORDER = 4
"""Characters in the longest n-gram: three of context (measured best on the tuning part's
cross-validation, against 5: longer contexts are too rarely seen in two million characters)."""
START, END = "\x02", "\x03"
"""Paragraph start and end, counted as characters so that "at the start of a paragraph" is a context."""
MIN_COUNT = 2
"""N-grams of two or more characters seen fewer times are dropped (counts of one carry little)."""
MAGIC = b"CLM1"
"""A model file as shipped: its tables zlib-compressed."""
RAW_MAGIC = b"CLM0"
"""The same uncompressed, as the user's cache keeps it (decompressing costs 60 ms a process)."""
_BITS = 16


def compact(text: str) -> str:
    return "".join(text.split())


@dataclass(frozen=True, slots=True)
class CharModel:
    """N-gram counts with, for every n-gram that serves as a context, how many distinct characters
    follow it and how many precede it (Witten-Bell's measure of how often a context meets a new one)."""

    alphabet: str
    keys: array[int]
    """Each n-gram as an integer (character ids, 16 bits each, first character lowest), sorted."""
    counts: array[int]
    followers: array[int]
    preceders: array[int]
    total: int
    """Characters counted (the context of no characters)."""
    ids: dict[str, int] = field(init=False, repr=False, compare=False)
    """Each character's id in the keys (1 up: 0 is no character)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", _ids(self.alphabet))

    @classmethod
    def from_counts(cls, counts: Counter[str]) -> CharModel:
        """The model of n-gram counts (every n-gram of 1 to ORDER characters, none dropped yet;
        counts of zero or less, as Counter.subtract leaves them, are not there)."""
        followers: Counter[str] = Counter()
        preceders: Counter[str] = Counter()
        for gram, count in counts.items():
            if len(gram) > 1 and count > 0:
                followers[gram[:-1]] += 1
                preceders[gram[1:]] += 1
        kept = {g: c for g, c in counts.items() if c >= (1 if len(g) == 1 else MIN_COUNT)}
        alphabet = "".join(sorted(g for g in kept if len(g) == 1))
        ids = _ids(alphabet)

        def key_of(gram: str) -> int:
            key = _key(gram, ids)
            assert key is not None, "a kept n-gram's characters are all in the alphabet"
            return key

        rows = sorted((key_of(g), c, followers[g], preceders[g]) for g, c in kept.items())
        total = sum(c for g, c in kept.items() if len(g) == 1)
        return cls(
            alphabet,
            array("Q", (r[0] for r in rows)),
            array("I", (r[1] for r in rows)),
            array("I", (r[2] for r in rows)),
            array("I", (r[3] for r in rows)),
            total,
        )

    def _row(self, gram: str) -> int:
        """The row of `gram`, or -1 when it was never counted (or dropped)."""
        key = _key(gram, self.ids)
        if key is None:
            return -1
        row = bisect_left(self.keys, key)
        return row if row < len(self.keys) and self.keys[row] == key else -1

    def count(self, gram: str) -> int:
        row = self._row(gram)
        return self.counts[row] if row >= 0 else 0

    def _interpolated(self, char: str, contexts: Iterable[str], forward: bool) -> float:
        """P(char | the longest of `contexts` seen), each context one character longer than the last,
        mixed down to one over the alphabet (Witten-Bell)."""
        estimate = (self.count(char) + 1.0) / (self.total + len(self.alphabet) + 1)
        for context in contexts:
            row = self._row(context)
            if row < 0:
                break
            seen = self.counts[row]
            kinds = self.followers[row] if forward else self.preceders[row]
            if not kinds:
                break
            gram = context + char if forward else char + context
            estimate = (self.count(gram) + kinds * estimate) / (seen + kinds)
        return math.log(estimate)

    def log_forward(self, history: str, text: str) -> float:
        """log P(text | the characters before it), reading left to right."""
        total = 0.0
        for char in text:
            history = history[-(ORDER - 1) :]
            total += self._interpolated(char, (history[-n:] for n in range(1, len(history) + 1)), True)
            history += char
        return total

    def log_backward(self, text: str, following: str) -> float:
        """log P(text | the characters after it), reading right to left."""
        total = 0.0
        for char in reversed(text):
            following = following[: ORDER - 1]
            total += self._interpolated(char, (following[:n] for n in range(1, len(following) + 1)), False)
            following = char + following
        return total

    def continuation_llr(self, left: str, right: str) -> float:
        """How much likelier the block's first characters are after the cut than opening a paragraph."""
        left, right = compact(left), compact(right)[: ORDER - 1]
        if not left or not right:
            return 0.0
        return self.log_forward(left[-(ORDER - 1) :], right) - self.log_forward(START, right)

    def ending_llr(self, left: str, right: str) -> float:
        """How much likelier the cut's last characters are before the block than ending a paragraph."""
        left, right = compact(left)[-(ORDER - 1) :], compact(right)
        if not left or not right:
            return 0.0
        return self.log_backward(left, right[: ORDER - 1]) - self.log_backward(left, END)

    def to_bytes(self, compressed: bool = True) -> bytes:
        header = struct.pack("<4sQI", MAGIC if compressed else RAW_MAGIC, self.total, len(self.keys))
        alphabet = self.alphabet.encode("utf-8")
        body = b"".join(
            [struct.pack("<I", len(alphabet)), alphabet]
            + [a.tobytes() for a in (self.keys, self.counts, self.followers, self.preceders)]
        )
        return header + (zlib.compress(body, 6) if compressed else body)

    @classmethod
    def from_bytes(cls, data: bytes) -> CharModel:
        magic, total, rows = struct.unpack_from("<4sQI", data)
        if magic not in (MAGIC, RAW_MAGIC):
            raise ValueError("not a character model")
        rest = data[struct.calcsize("<4sQI") :]
        body = memoryview(zlib.decompress(rest) if magic == MAGIC else rest)
        (size,) = struct.unpack_from("<I", body)
        alphabet = bytes(body[4 : 4 + size]).decode("utf-8")
        offset = 4 + size
        arrays: list[array[int]] = []
        for code in "QIII":
            values: array[int] = array(code)
            length = rows * values.itemsize
            values.frombytes(body[offset : offset + length])
            offset += length
            arrays.append(values)
        if offset != len(body):
            raise ValueError("character model tables of the wrong length")
        keys, counts, followers, preceders = arrays
        return cls(alphabet, keys, counts, followers, preceders, total)


def _ids(alphabet: str) -> dict[str, int]:
    """Each character's id in the keys, 1 up (0 is no character)."""
    return {char: n + 1 for n, char in enumerate(alphabet)}


def _key(gram: str, ids: dict[str, int]) -> int | None:
    """The n-gram as an integer, its characters' ids 16 bits each, first lowest (None when a
    character is not in the alphabet: never counted)."""
    key = 0
    for n, char in enumerate(gram):
        known = ids.get(char)
        if known is None:
            return None
        key |= known << (_BITS * n)
    return key


def count_ngrams(texts: Iterable[str]) -> Counter[str]:
    """Every n-gram of 1 to ORDER characters in running text, one paragraph per text, with the
    paragraph's start and end as characters of their own."""
    counts: Counter[str] = Counter()
    for text in texts:
        marked = START + compact(text) + END
        for n in range(1, ORDER + 1):
            counts.update(marked[i : i + n] for i in range(len(marked) - n + 1))
    return counts


@lru_cache(maxsize=1)
def shipped_char_model() -> CharModel | None:
    """The model counted at training (data/charlm.bin), read from an uncompressed copy in the user's
    cache when there is one; None in a tree trained before the model existed."""
    source = Path(str(resources.files("compiler").joinpath("data", "charlm.bin")))
    if not source.is_file():
        return None
    cached = cache_file("charlm", source).with_suffix(".raw")
    try:
        return CharModel.from_bytes(cached.read_bytes())
    except (OSError, ValueError, struct.error, zlib.error):
        pass
    model = CharModel.from_bytes(source.read_bytes())
    with contextlib.suppress(CompilerError, OSError):  # a read-only home: decompress every time
        write_atomically(cached, model.to_bytes(compressed=False))
    return model
