"""Word-join evidence: positive where a word spans the cut, exactly zero where none does."""

from __future__ import annotations

from compiler.repair.evidence import default_model


def test_in_word_cuts_score_high() -> None:
    model = default_model()
    assert model.join_gain("制定加强监督工", "作的意见等文件") > 6
    assert model.join_gain("严格落实代", "表履职登记") > 6


def test_cuts_between_words_score_zero() -> None:
    model = default_model()
    assert model.join_gain("制定加强监督工", "表履职登记") == 0.0
    assert model.join_gain("作出关于加强经济工作", "监督的决定") == 0.0


def test_empty_sides_score_zero() -> None:
    assert default_model().join_gain("", "文字") == 0.0
