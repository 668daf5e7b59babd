"""The shipped junction tables (read through a marshal copy in the user's cache, same content), and
the evidence of paired marks across a junction."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.chinese import PAIRED_MARKS
from compiler.repair import junction
from compiler.repair.junction import brackets_evidence, unclosed_marks, unopened_marks


def test_the_bigram_tables_come_back_the_same_through_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(tmp_path))
    shipped = json.loads(resources.files("compiler").joinpath("data", "bigrams.json").read_text(encoding="utf-8"))
    first = junction._bigram_tables()  # reads the JSON, writes the copy
    assert list(tmp_path.glob("bigrams-*.packed"))
    second = junction._bigram_tables()  # reads the copy
    for name, table in shipped.items():
        assert first[name] == second[name] == table, name
    ends, starts = junction.word_boundaries(shipped["word_unigrams"])
    assert first["word_ends"] == second["word_ends"] == ends and first["word_starts"] == starts
    assert "trigrams" in shipped and len(shipped["trigrams"]) > 10_000


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(blocker / "cache"))
    assert junction._bigram_tables()["bigrams"]


def test_a_damaged_copy_is_read_past(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECH_COMPILER_CACHE", str(tmp_path))
    junction._bigram_tables()
    (copy,) = tmp_path.glob("bigrams-*.packed")
    copy.write_bytes(b"\x00garbage")
    assert junction._bigram_tables()["bigrams"]


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("希望“代表", "发发声”。我就将", 1.0),  # the block closes the quotation the cut opened
        ("（本报记者肖", "家鑫整理）", 1.0),
        ("深耕“侨味”“", "海味”题材，", 1.0),  # the first quotation closed in the cut itself
        ("通过《关于", "发展”的意见", -1.0),  # closes a mark of another kind
        ("他说：“好", "的。", -1.0),  # the quotation stays open: the rest is elsewhere
        ("一是加强", "监督。", 0.0),
        ("“一老一小”服", "务，是在发展中", 0.0),  # balanced on both sides
    ],
)
def test_a_block_that_closes_the_cuts_open_mark_is_evidence(left: str, right: str, expected: float) -> None:
    assert brackets_evidence(left, right) == expected


@given(st.text(alphabet="“”（）《》字，", max_size=30))
def test_closing_every_open_mark_balances_the_text(text: str) -> None:
    """What `unclosed_marks` says is open, closed in reverse order, leaves nothing open; and a
    text opens nothing that `unopened_marks` then finds unopened."""
    rest = "".join(PAIRED_MARKS[mark] for mark in reversed(unclosed_marks(text)))
    assert unclosed_marks(text + rest) == ""
    assert unopened_marks(text + rest) == unopened_marks(text)
