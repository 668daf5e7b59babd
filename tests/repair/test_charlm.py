"""The character 4-gram model: a proper distribution, the same after a trip through its file, and
evidence that points the right way, on toy text and on the shipped tables."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.repair.charlm import END, MIN_COUNT, CharModel, count_ngrams, shipped_char_model

TOY = [
    "我们要坚持人民至上，推动高质量发展。",
    "我们要坚持人民至上，守护绿水青山。",
    "推动高质量发展，要坚持人民至上。",
    "守护绿水青山，推动高质量发展。",
] * 3

texts = st.lists(st.text(alphabet="人民至上发展，。我们", min_size=1, max_size=30), min_size=1, max_size=8)


def _next_char_mass(model: CharModel, history: str) -> float:
    """Total probability the model gives every character it knows (the paragraph end included)
    after `history`."""
    contexts = [history[-n:] for n in range(1, len(history) + 1)]
    return sum(math.exp(model._interpolated(char, contexts, True)) for char in model.alphabet)


@given(texts, st.text(alphabet="人民至上发展，。我们", min_size=0, max_size=4))
@settings(max_examples=60, deadline=None)
def test_the_next_character_probabilities_never_sum_past_one(paragraphs: list[str], history: str) -> None:
    model = CharModel.from_counts(count_ngrams(paragraphs))
    mass = _next_char_mass(model, "\x02" + history)
    assert 0.0 < mass <= 1.0 + 1e-9


def test_with_nothing_dropped_the_known_characters_leave_at_most_the_unknown_share() -> None:
    """Each level hands down a share to the one below; only the bottom keeps one for characters
    never seen, so nothing is lost on the way up."""
    model = CharModel.from_counts(count_ngrams(TOY))  # every n-gram of TOY is seen 3 times: none dropped
    assert min(model.counts) >= MIN_COUNT
    unknown_share = 1.0 / (model.total + len(model.alphabet) + 1)
    for history in ("\x02", "\x02我们要", "推动高", "鑫"):
        assert 1.0 - unknown_share <= _next_char_mass(model, history) <= 1.0 + 1e-9


def test_the_file_gives_back_the_same_model() -> None:
    model = CharModel.from_counts(count_ngrams(TOY))
    again = CharModel.from_bytes(model.to_bytes())
    assert again == model
    assert again.continuation_llr("我们要坚", "持人民") == model.continuation_llr("我们要坚", "持人民")


def test_a_damaged_file_is_refused() -> None:
    data = CharModel.from_counts(count_ngrams(TOY)).to_bytes()
    with pytest.raises(ValueError):
        CharModel.from_bytes(b"XXXX" + data[4:])


def test_a_cut_inside_a_phrase_reads_on_and_a_sentence_end_does_not() -> None:
    model = CharModel.from_counts(count_ngrams(TOY))
    assert model.continuation_llr("我们要坚持人民", "至上，推动") > 2.0
    assert model.ending_llr("我们要坚持人民", "至上，推动") > 2.0
    assert model.continuation_llr("推动高质量发展。", "我们要坚持") < 0.0  # 我们 opens paragraphs here
    assert model.ending_llr("推动高质量发展。", "我们要坚持") < 0.0  # 。 ends them


def test_the_shipped_model_knows_the_paper() -> None:
    model = shipped_char_model()
    assert model is not None and len(model.keys) > 100_000
    assert model.count(END) > 10_000  # paragraphs counted
    assert model.continuation_llr("全面建成小康", "社会") > 1.0
    assert model.ending_llr("全面建成小康", "社会") > 1.0
    assert model.continuation_llr("取得了显著成效。", "的发展") < -1.0


def test_the_shipped_model_comes_back_the_same_through_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(tmp_path))
    shipped_char_model.cache_clear()
    try:
        first = shipped_char_model()  # decompresses the shipped file, writes the copy
        (copy,) = tmp_path.glob("charlm-*.raw")
        shipped_char_model.cache_clear()
        second = shipped_char_model()  # reads the copy
        assert first == second and first is not second
        copy.write_bytes(b"\x00garbage")
        shipped_char_model.cache_clear()
        assert shipped_char_model() == first  # a damaged copy is read past
    finally:
        shipped_char_model.cache_clear()
