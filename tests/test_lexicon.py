"""The dictionary cache gives exactly what jieba's own files hold, a group of words at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler import lexicon


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(tmp_path))
    return tmp_path


@pytest.mark.slow  # rebuilds jieba's cache from its files: seconds
def test_word_cache_round_trips(fresh_cache: Path) -> None:
    built, total = lexicon._load("words", "q", lexicon._read_jieba_dictionary)  # builds, writes the cache
    assert sorted(p.suffix for p in fresh_cache.iterdir()) == [".bin", ".idx", ".txt"]
    cached, cached_total = lexicon._load("words", "q", lexicon._read_jieba_dictionary)  # reads it
    assert cached_total == total
    cached.ensure({word[0] for word in built.table})
    assert cached.table == built.table
    assert built.table["代表"] > 0 and built.table["人民代"] == 0  # a word, and a mere prefix of one


def test_only_the_groups_a_text_needs_are_loaded(fresh_cache: Path) -> None:
    lexicon._load("words", "q", lexicon._read_jieba_dictionary)
    table, _ = lexicon._load("words", "q", lexicon._read_jieba_dictionary)
    table.ensure("代表")
    assert "代表" in table.table and "人民" not in table.table
    assert {word[0] for word in table.table} == {"代", "表"}


@pytest.mark.slow  # rebuilds jieba's cache from its files: seconds
def test_idf_cache_round_trips(fresh_cache: Path) -> None:
    built, median = lexicon._load("idf", "d", lexicon._read_jieba_idf)
    cached, cached_median = lexicon._load("idf", "d", lexicon._read_jieba_idf)
    assert cached_median == median
    cached.ensure({word[0] for word in built.table})
    assert cached.table == built.table


def test_segmentation_matches_jieba() -> None:
    import jieba

    text = "习近平总书记关于坚持和完善人民代表大会制度的重要思想，连续2年对审计整改情况进行满意度测评 and GDP。"
    assert lexicon.lexicon().segment(text) == list(jieba.cut(text, HMM=False))


def test_unwritable_cache_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(blocker / "cache"))
    table, _ = lexicon._load("idf", "d", lexicon._read_jieba_idf)
    table.ensure("人民")
    assert table.table
