"""String-keyed counts kept as one sorted text and two integer arrays.

The junction tables hold 370,000 counts. As dictionaries they cost every process a fifth of a
second to load (each key an object built from marshal or JSON), though a page asks for a few
thousand. Packed, loading is a copy of a few megabytes; the keys that start with a character
become a dictionary the first time a key starting with it is asked for (keys sorted: they are
one run of rows). The counts and their meaning are unchanged: `PackedCounts.of(table)` answers
`get` exactly as `table` does.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterator, Mapping


class PackedCounts(Mapping[str, int]):
    """A read-only str → int mapping: the keys in sorted order joined into one text, where each ends,
    and their values."""

    __slots__ = ("_ends", "_loaded", "_runs", "_text", "_values")

    def __init__(
        self, text: str, ends: array[int], values: array[int], runs: dict[str, tuple[int, int]] | None = None
    ) -> None:
        if len(ends) != len(values) or (ends and ends[-1] != len(text)):
            raise ValueError("packed counts of inconsistent lengths")
        self._text, self._ends, self._values = text, ends, values
        self._runs = self._first_character_runs() if runs is None else runs
        """For each first character, the rows of the keys starting with it (kept in the file: finding
        them is a pass over every key)."""
        self._loaded: dict[str, dict[str, int]] = {}

    def _first_character_runs(self) -> dict[str, tuple[int, int]]:
        runs: dict[str, tuple[int, int]] = {}
        for n in range(len(self._values)):
            first = self._key_at(n)[:1]
            start, _ = runs.get(first, (n, n))
            runs[first] = (start, n + 1)
        return runs

    def _run(self, first: str) -> dict[str, int]:
        """The keys starting with `first` and their counts, as a dictionary built on first use."""
        found = self._loaded.get(first)
        if found is None:
            start, end = self._runs.get(first, (0, 0))
            found = self._loaded[first] = {self._key_at(n): self._values[n] for n in range(start, end)}
        return found

    @classmethod
    def of(cls, counts: Mapping[str, int]) -> PackedCounts:
        keys = sorted(counts)
        ends: array[int] = array("I")
        position = 0
        for key in keys:
            position += len(key)
            ends.append(position)
        return cls("".join(keys), ends, array("q", (counts[key] for key in keys)))

    def _key_at(self, n: int) -> str:
        return self._text[self._ends[n - 1] if n else 0 : self._ends[n]]

    def get(self, key: str, default: int = 0) -> int:  # type: ignore[override]  # ints only
        return self._run(key[:1]).get(key, default)

    def __getitem__(self, key: str) -> int:
        return self._run(key[:1])[key]

    def __iter__(self) -> Iterator[str]:
        return (self._key_at(n) for n in range(len(self._values)))

    def __len__(self) -> int:
        return len(self._values)

    def total(self) -> int:
        """The sum of the counts (without a lookup per key)."""
        return sum(self._values)

    def pairs(self) -> Iterator[tuple[str, int]]:
        """(key, count) in key order (without a lookup per key)."""
        return ((self._key_at(n), self._values[n]) for n in range(len(self._values)))

    def to_bytes(self) -> bytes:
        return marshal.dumps((self._text, self._ends.tobytes(), self._values.tobytes(), self._runs))

    @classmethod
    def from_bytes(cls, data: bytes) -> PackedCounts:
        text, ends_bytes, values_bytes, runs = marshal.loads(data)
        ends: array[int] = array("I")
        ends.frombytes(ends_bytes)
        values: array[int] = array("q")
        values.frombytes(values_bytes)
        return cls(text, ends, values, runs)


def total(counts: Mapping[str, int]) -> int:
    """The sum of a table's counts, packed or not."""
    return counts.total() if isinstance(counts, PackedCounts) else sum(counts.values())


def pairs(counts: Mapping[str, int]) -> Iterator[tuple[str, int]]:
    """A table's (key, count) pairs, packed or not."""
    return counts.pairs() if isinstance(counts, PackedCounts) else iter(counts.items())


def pack_tables(tables: Mapping[str, Mapping[str, int]]) -> bytes:
    """Several named tables in one file (the user's cache copy of data/bigrams.json)."""
    packed = {name: _packed(table) for name, table in sorted(tables.items())}
    return marshal.dumps({name: table.to_bytes() for name, table in packed.items()})


def _packed(table: Mapping[str, int]) -> PackedCounts:
    return table if isinstance(table, PackedCounts) else PackedCounts.of(table)


def unpack_tables(data: bytes) -> dict[str, PackedCounts]:
    tables = marshal.loads(data)
    if not isinstance(tables, dict):
        raise ValueError("not a file of packed tables")
    return {name: PackedCounts.from_bytes(blob) for name, blob in tables.items()}
