"""Shared facts about Chinese text: counting ideographs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compiler.chinese import count_han, is_han

_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from("，。“”  abc12㐀\u4dc0\u9fff\ua000"),
    )
)


@given(_TEXT)
def test_count_han_counts_the_characters_is_han_accepts(text: str) -> None:
    assert count_han(text) == sum(1 for char in text if is_han(char))
