"""The junction tables' counts, read as the lexicon's tables are: grouped by first character.

The junction tables hold 370,000 counts. As dictionaries they cost every process a fifth of a
second to load (each key an object built from marshal or JSON), though a page asks for a few
thousand. Kept as the lexicon keeps jieba's dictionary (`lexicon.ShardedTable`: keys grouped by
first character, values in an array), loading is a copy of a few megabytes, and the keys that start
with a character become a dictionary the first time a key starting with it is asked for. The counts
and their meaning are unchanged: `PackedCounts.of(table)` answers `get` exactly as `table` does.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterator, Mapping
from typing import cast

from compiler.lexicon import ShardedTable

TYPECODE = "q"


class PackedCounts(Mapping[str, int]):
    """A read-only str → int mapping over a grouped table, with its size and total known."""

    __slots__ = ("_shards", "_total")

    def __init__(self, shards: ShardedTable) -> None:
        self._shards = shards
        _, values, _ = shards.layout()
        self._total: int = sum(values)

    @classmethod
    def of(cls, counts: Mapping[str, int]) -> PackedCounts:
        return cls(ShardedTable.grouped(counts, TYPECODE))

    def get(self, key: str, default: int = 0) -> int:  # type: ignore[override]  # ints only
        return cast(int, self._shards.get(key, default))

    def __getitem__(self, key: str) -> int:
        found = self._shards.get(key)
        if found is None:
            raise KeyError(key)
        return cast(int, found)

    def __iter__(self) -> Iterator[str]:
        return iter(self._shards.everything())

    def __len__(self) -> int:
        return len(self._shards.layout()[1])

    def total(self) -> int:
        """The sum of the counts (without a lookup per key)."""
        return self._total

    def to_bytes(self) -> bytes:
        keys, values, index = self._shards.layout()
        return marshal.dumps((keys, values.tobytes(), index))

    @classmethod
    def from_bytes(cls, data: bytes) -> PackedCounts:
        keys, values_bytes, index = marshal.loads(data)
        values: array[int] = array(TYPECODE)
        values.frombytes(values_bytes)
        return cls(ShardedTable(keys, values, index))


def total(counts: Mapping[str, int]) -> int:
    """The sum of a table's counts, packed or not."""
    return counts.total() if isinstance(counts, PackedCounts) else sum(counts.values())


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
