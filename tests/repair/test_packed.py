"""Packed counts answer exactly as the dictionary they were packed from, before and after a trip
through bytes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compiler.repair.packed import PackedCounts, pack_tables, total, unpack_tables

keys = st.text(alphabet="中国人民 a“”\U00020000", min_size=1, max_size=4)
tables = st.dictionaries(keys, st.integers(min_value=0, max_value=2**40), max_size=40)


@given(tables, st.lists(keys, max_size=20))
def test_packed_counts_answer_as_the_dictionary(table: dict[str, int], asked: list[str]) -> None:
    for packed in (PackedCounts.of(table), PackedCounts.from_bytes(PackedCounts.of(table).to_bytes())):
        assert len(packed) == len(table)
        assert total(packed) == sum(table.values())
        assert dict(packed.items()) == table == packed
        assert sorted(packed) == sorted(table)
        for key in [*asked, *table]:
            assert packed.get(key, -1) == table.get(key, -1)
            assert (key in packed) == (key in table)


@given(st.dictionaries(st.sampled_from(["bigrams", "openers"]), tables))
def test_several_tables_travel_in_one_file(named: dict[str, dict[str, int]]) -> None:
    assert unpack_tables(pack_tables(named)) == named
