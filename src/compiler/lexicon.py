"""jieba's word dictionary and IDF table, loaded in a quarter of the time jieba itself takes.

jieba keeps its 500,000-entry dictionary as a marshal file that takes about 0.9 s to load on this
project's machines, and re-reads its IDF table from text (0.7 s) on first keyword extraction: more
than a whole build should cost. The same entries split from one text file and zipped with an
array of counts load in about 0.2 s. The first use builds that cache (in
`$XDG_CACHE_HOME/speech-compiler`, or `$SPEECH_COMPILER_CACHE`) from jieba's own files, then hands
the dictionary to jieba's default tokenizer so that `jieba.cut` uses it too. Where no cache can be
written, everything still works, at jieba's speed.
"""

from __future__ import annotations

import array
import logging
import os
import typing
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from compiler.errors import CompilerError
from compiler.output import write_atomically

if TYPE_CHECKING:
    import jieba

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


def tokenizer() -> jieba.Tokenizer:
    """jieba's default tokenizer with its dictionary loaded (fast after the first run)."""
    import jieba

    default = jieba.dt
    if not default.initialized:
        jieba.setLogLevel(logging.WARNING)
        default.FREQ, default.total = _frequencies()
        default.initialized = True
    return default


@lru_cache(maxsize=1)
def idf_table() -> tuple[dict[str, float], float]:
    """jieba's inverse document frequencies, and their median (for words it has none for)."""
    import jieba

    # Not via `import jieba.analyse`: importing it loads the table the slow way.
    source = Path(jieba.__file__).parent / "analyse" / "idf.txt"
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
    import jieba

    source = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    cached = _read_cache(source, "words", "q")
    if cached is not None:
        words, counts = cached
        frequencies = dict(zip(words[1:], typing.cast("array.array[int]", counts), strict=True))
        return frequencies, int(words[0])
    with source.open("rb") as stream:
        frequencies, total = jieba.Tokenizer.gen_pfdict(stream)
    _write_cache(source, "words", [str(total), *frequencies], array.array("q", frequencies.values()))
    return frequencies, total


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
