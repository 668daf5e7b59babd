"""The shipped junction tables: read through a marshal copy in the user's cache, same content."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from compiler.repair import junction


def test_the_bigram_tables_come_back_the_same_through_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(tmp_path))
    shipped = json.loads(resources.files("compiler").joinpath("data", "bigrams.json").read_text(encoding="utf-8"))
    first = junction._bigram_tables()  # reads the JSON, writes the copy
    assert list(tmp_path.glob("bigrams-*.marshal"))
    second = junction._bigram_tables()  # reads the copy
    assert first == second == shipped
    assert "trigrams" in shipped and len(shipped["trigrams"]) > 10_000


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(blocker / "cache"))
    assert junction._bigram_tables()["bigrams"]


def test_a_damaged_copy_is_read_past(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(tmp_path))
    junction._bigram_tables()
    (copy,) = tmp_path.glob("bigrams-*.marshal")
    copy.write_bytes(b"\x00garbage")
    assert junction._bigram_tables()["bigrams"]
