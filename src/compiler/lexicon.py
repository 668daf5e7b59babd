"""jieba's word dictionary and IDF table, loaded in a quarter of the time jieba itself takes.

jieba keeps its 500,000-entry dictionary as a marshal file that takes about 0.9 s to load on this
project's machines, and re-reads its IDF table from text (0.7 s) on first keyword extraction: more
than a whole build should cost. The same entries split from one text file and zipped with an
array of counts load in about 0.2 s. The first use builds that cache (in
`$XDG_CACHE_HOME/speech-compiler`, or `$SPEECH_COMPILER_CACHE`) from jieba's own files, then hands
the dictionary to `Lexicon`, which segments as jieba does without importing it. Where no cache
can be written, everything still works, at jieba's speed.
"""

from __future__ import annotations

import array
import importlib.util
import math
import os
import re
import typing
from functools import lru_cache
from pathlib import Path

from compiler.errors import CompilerError
from compiler.output import write_atomically

Values = typing.Union["array.array[int]", "array.array[float]"]

CACHE_FORMAT = 1
"""Bump when the cache layout changes, so old caches are ignored."""


def cache_dir() -> Path:
    """Where built caches live."""
    explicit = os.environ.get("SPEECH_COMPILER_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "speech-compiler"


class Lexicon:
    """jieba's unigram dictionary and its segmentation: the best path through the word graph.

    The same model and dynamic programme as jieba's `cut(..., HMM=False)`, here so that a build
    needs neither jieba's import (0.2 s) nor its loader: only the cached dictionary.
    """

    def __init__(self, frequencies: dict[str, int], total: int) -> None:
        self.frequencies = frequencies
        """Word counts; every prefix of a word is present too, with count 0."""
        self.log_total = math.log(total)

    def word_graph(self, text: str) -> list[list[int]]:
        """For each position, the end positions (inclusive) of dictionary words starting there."""
        frequencies = self.frequencies
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
        frequencies = self.frequencies
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


_CHUNKS = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]+|[A-Za-z0-9]+|\s+|.", re.DOTALL)
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The process-wide dictionary (fast after the first run builds the cache)."""
    return Lexicon(*_frequencies())


@lru_cache(maxsize=1)
def idf_table() -> tuple[dict[str, float], float]:
    """jieba's inverse document frequencies, and their median (for words it has none for)."""
    # Not via `import jieba.analyse`: importing it loads the table the slow way.
    source = _jieba_folder() / "analyse" / "idf.txt"
    cached = _read_cache(source, "idf", "d")
    if cached is not None:
        words, values = cached
        table = dict(zip(words[1:], values, strict=True))
        return table, float(words[0])
    table = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        word, value = line.strip().split(" ")
        table[word] = float(value)
    median = sorted(table.values())[len(table) // 2]
    _write_cache(source, "idf", [str(median), *table], array.array("d", table.values()))
    return table, median


def _frequencies() -> tuple[dict[str, int], int]:
    """Word counts (with every word's prefixes at 0, as jieba's segmenter expects) and their total."""
    source = _jieba_folder() / "dict.txt"
    cached = _read_cache(source, "words", "q")
    if cached is not None:
        words, counts = cached
        frequencies = dict(zip(words[1:], typing.cast("array.array[int]", counts), strict=True))
        return frequencies, int(words[0])
    import jieba  # only to build the cache: jieba's own reading of its dictionary

    with source.open("rb") as stream:
        frequencies, total = jieba.Tokenizer.gen_pfdict(stream)
    _write_cache(source, "words", [str(total), *frequencies], array.array("q", frequencies.values()))
    return frequencies, total


def _jieba_folder() -> Path:
    """jieba's package folder, found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise CompilerError("jieba is not installed")
    return Path(spec.origin).parent


def _cache_paths(source: Path, name: str) -> tuple[Path, Path]:
    stat = source.stat()
    key = f"{name}-v{CACHE_FORMAT}-{stat.st_size}-{stat.st_mtime_ns}"
    folder = cache_dir()
    return folder / f"{key}.txt", folder / f"{key}.bin"


def _read_cache(
    source: Path, name: str, typecode: str
) -> tuple[list[str], array.array[int] | array.array[float]] | None:
    """(header + keys, values) from the cache, or None when there is none (or it is damaged)."""
    keys_path, values_path = _cache_paths(source, name)
    try:
        keys = keys_path.read_text(encoding="utf-8").split("\n")
        values: Values = array.array(typecode)
        values.frombytes(values_path.read_bytes())
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if len(keys) != len(values) + 1:
        return None
    return keys, values


def _write_cache(source: Path, name: str, keys: list[str], values: Values) -> None:
    keys_path, values_path = _cache_paths(source, name)
    try:
        write_atomically(values_path, values.tobytes())
        write_atomically(keys_path, "\n".join(keys).encode("utf-8"))
    except (CompilerError, OSError):
        pass  # a read-only home: work on without the cache
