"""jieba's word dictionary and IDF table, loaded in a fraction of the time jieba itself takes.

jieba keeps its 500,000-entry dictionary as a marshal file that takes about 0.9 s to load on this
project's machines, and re-reads its IDF table from text (0.7 s) on first keyword extraction:
more than a whole build should cost. Here the first use builds a cache (in
`$XDG_CACHE_HOME/speech-compiler`, or `$SPEECH_COMPILER_CACHE`) from jieba's own files: the
entries grouped by their first character, keys in one text file, values in one array, and an
index. A text then loads only the groups of the characters it contains (a seed-sized page needs
under half of the dictionary; repairing a cut needs a few dozen groups), each group one C-level
`dict(zip(...))`. `Lexicon` segments as jieba does (`cut(..., HMM=False)`) without importing it.
Where no cache can be written, everything still works, at jieba's speed.
"""

from __future__ import annotations

import array
import importlib.util
import marshal
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from compiler.chinese import HAN
from compiler.errors import CompilerError
from compiler.output import write_atomically

CACHE_FORMAT = 3
"""Bump when the cache layout changes, so old caches are ignored."""


def cache_dir() -> Path:
    """Where built caches live."""
    explicit = os.environ.get("SPEECH_COMPILER_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "speech-compiler"


def cache_file(name: str, source: Path) -> Path:
    """Where a cache built from `source` lives: named after its size and time, so a changed source
    (a new jieba, retrained counts) is read afresh and the stale copy ignored."""
    stat = source.stat()
    return cache_dir() / f"{name}-{stat.st_size}-{stat.st_mtime_ns}"


class ShardedTable:
    """A word → value table that loads the words starting with a character when first asked to."""

    def __init__(self, keys: bytes, values: array.array[Any], index: dict[str, tuple[int, int, int]]) -> None:
        self._keys = keys
        self._values = values
        self._index = index
        self._loaded: set[str] = set()
        self._complete = False
        self.table: dict[str, float] = {}
        """The loaded entries: complete for every word whose first character was `ensure`d."""

    def ensure(self, text: Iterable[str]) -> None:
        """Load the groups of every character in `text` that is not loaded yet."""
        if self._complete:
            return
        for char in set(text) - self._loaded:
            self._loaded.add(char)
            where = self._index.get(char)
            if where is not None:
                start, end, first = where
                words = self._keys[start:end].decode("utf-8").split("\n")
                self.table.update(zip(words, self._values[first : first + len(words)], strict=True))

    def get(self, key: str, default: float | None = None) -> float | None:
        """One entry, its first character's group loaded if it was not yet."""
        if not self._complete and key[:1] not in self._loaded:
            self.ensure(key[:1])
        return self.table.get(key, default)

    def everything(self) -> dict[str, float]:
        """Every entry (each group loaded)."""
        self.ensure(self._index)
        return self.table

    def layout(self) -> tuple[bytes, array.array[Any], dict[str, tuple[int, int, int]]]:
        """What the table is made of, as `grouped` lays it out (keys, values, groups)."""
        return self._keys, self._values, self._index

    @classmethod
    def grouped(cls, entries: Mapping[str, float], typecode: str) -> ShardedTable:
        """`entries` laid out as the cache keeps them: keys grouped by first character, joined by
        newlines as UTF-8, values in the same order, and where each group starts. Nothing loaded."""
        words = sorted(entries, key=lambda word: word[0])
        if any(not word or "\n" in word for word in words):
            raise ValueError("a grouped table's keys are non-empty and hold no newline")
        keys = "\n".join(words).encode("utf-8")
        return cls(keys, array.array(typecode, (entries[word] for word in words)), _group_index(words))

    @classmethod
    def of(cls, entries: dict[str, float], typecode: str) -> ShardedTable:
        """A table holding `entries` (all of them marked loaded): used when no cache exists."""
        table = cls(b"", array.array(typecode), {})
        table.table = entries
        table._complete = True
        return table


class Lexicon:
    """jieba's unigram dictionary and its segmentation: the best path through the word graph."""

    def __init__(self, frequencies: ShardedTable, total: float) -> None:
        self.frequencies = frequencies
        """Word counts; every prefix of a word is present too, with count 0."""
        self.log_total = math.log(total)

    def ensure(self, text: str) -> None:
        """Make every word that starts in `text` available in `frequencies.table`."""
        self.frequencies.ensure(text)

    def word_graph(self, text: str) -> list[list[int]]:
        """For each position, the end positions (inclusive) of dictionary words starting there."""
        self.ensure(text)
        frequencies = self.frequencies.table
        graph = []
        for start in range(len(text)):
            ends = []
            end = start
            fragment = text[start]
            while end < len(text) and fragment in frequencies:
                if frequencies[fragment]:
                    ends.append(end)
                end += 1
                fragment = text[start : end + 1]
            graph.append(ends or [start])
        return graph

    def best_path(self, text: str) -> tuple[float, list[int]]:
        """Log-probability of the best segmentation, and where each of its words ends."""
        graph = self.word_graph(text)
        frequencies = self.frequencies.table
        best = [0.0] * (len(text) + 1)
        choice = [0] * len(text)
        for start in range(len(text) - 1, -1, -1):
            best[start], choice[start] = max(
                (math.log(frequencies.get(text[start : end + 1]) or 1) - self.log_total + best[end + 1], end)
                for end in graph[start]
            )
        return best[0], choice

    def log_probability(self, text: str) -> float:
        return self.best_path(text)[0] if text else 0.0

    def segment(self, text: str) -> list[str]:
        """Words of the best segmentation (Latin and digit runs kept whole, as jieba does)."""
        words: list[str] = []
        for chunk in _CHUNKS.findall(text):
            if not _HAN.match(chunk):
                words.append(chunk)
                continue
            _, choice = self.best_path(chunk)
            start = 0
            while start < len(chunk):
                words.append(chunk[start : choice[start] + 1])
                start = choice[start] + 1
        return words


_CHUNKS = re.compile(rf"[{HAN}]+|[A-Za-z0-9]+|\s+|.", re.DOTALL)
_HAN = re.compile(rf"[{HAN}]")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The process-wide dictionary (fast after the first run builds the cache)."""
    return Lexicon(*_load("words", "q", _read_jieba_dictionary))


@lru_cache(maxsize=1)
def idf_table() -> tuple[ShardedTable, float]:
    """jieba's inverse document frequencies, and their median (for words it has none for)."""
    return _load("idf", "d", _read_jieba_idf)


def _read_jieba_dictionary() -> tuple[dict[str, float], float]:
    import jieba  # only to build the cache: jieba's own reading of its dictionary

    with (_jieba_folder() / "dict.txt").open("rb") as stream:
        frequencies, total = jieba.Tokenizer.gen_pfdict(stream)
    return frequencies, float(total)


def _read_jieba_idf() -> tuple[dict[str, float], float]:
    table = {}
    for line in (_jieba_folder() / "analyse" / "idf.txt").read_text(encoding="utf-8").splitlines():
        word, value = line.strip().split(" ")
        table[word] = float(value)
    return table, sorted(table.values())[len(table) // 2]


def _jieba_folder() -> Path:
    """jieba's package folder, found without importing jieba (importing it costs 0.2 s)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise CompilerError("jieba is not installed")
    return Path(spec.origin).parent


def _load(name: str, typecode: str, build: Callable[[], tuple[dict[str, float], float]]) -> tuple[ShardedTable, float]:
    """The table from the cache; else built from jieba's files and cached for the next process."""
    source = _jieba_folder() / ("dict.txt" if name == "words" else "analyse/idf.txt")
    stem = cache_file(f"{name}-v{CACHE_FORMAT}", source)
    cached = _read(stem, typecode)
    if cached is not None:
        return cached
    entries, extra = build()
    _write(stem, entries, typecode, extra)
    return ShardedTable.of(entries, typecode), extra


def _read(stem: Path, typecode: str) -> tuple[ShardedTable, float] | None:
    try:
        count, extra, index = marshal.loads(stem.with_suffix(".idx").read_bytes())
        keys = stem.with_suffix(".txt").read_bytes()
        values: array.array[Any] = array.array(typecode)
        values.frombytes(stem.with_suffix(".bin").read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if count != len(values):
        return None
    return ShardedTable(keys, values, index), float(extra)


def _write(stem: Path, entries: dict[str, float], typecode: str, extra: float) -> None:
    """Keys grouped by first character (UTF-8), values in the same order, and where each group starts."""
    keys, values, index = ShardedTable.grouped(entries, typecode).layout()
    header = (len(values), extra, index)
    try:
        write_atomically(stem.with_suffix(".bin"), values.tobytes())
        write_atomically(stem.with_suffix(".txt"), keys)
        write_atomically(stem.with_suffix(".idx"), marshal.dumps(header))
    except (CompilerError, OSError):
        pass  # a read-only home: work on without the cache


def _group_index(words: list[str]) -> dict[str, tuple[int, int, int]]:
    """For each first character: [start, end) of its group in the joined UTF-8 keys, and its first value."""
    index: dict[str, tuple[int, int, int]] = {}
    offset = 0
    for position, word in enumerate(words):
        size = len(word.encode("utf-8"))
        first = word[0]
        start, _, first_value = index.get(first, (offset, offset, position))
        index[first] = (start, offset + size, first_value)
        offset += size + 1
    return index
