"""The fast dictionary cache gives exactly what jieba's own loader gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler import lexicon


def test_word_cache_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(tmp_path))
    built = lexicon._frequencies()
    assert len(list(tmp_path.iterdir())) == 2
    assert lexicon._frequencies() == built
    frequencies, total = built
    assert frequencies["代表"] > 0 and frequencies["人民代"] == 0  # a word, and a mere prefix of one
    assert total >= sum(frequencies.values()) - 10  # jieba counts a repeated dictionary line twice


def test_idf_cache_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(tmp_path))
    built = lexicon.idf_table.__wrapped__()
    assert lexicon.idf_table.__wrapped__() == built
    table, median = built
    assert min(table.values()) <= median <= max(table.values())


def test_unwritable_cache_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(blocker / "cache"))
    table, _ = lexicon.idf_table.__wrapped__()
    assert table
