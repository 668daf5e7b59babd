"""The 1998 background text is read as plain running text (the download itself runs in `make train`)."""

from __future__ import annotations

from tests.corpus.background import untagged


def test_a_tagged_line_becomes_plain_text_with_half_width_digits() -> None:
    line = "１２月/t  ３１日/t  ，/w  [中央/n  人民/n  广播/vn  电台/n]nt  发表/v  讲话/n  。/w"
    assert untagged(line) == "12月31日，中央人民广播电台发表讲话。"


def test_a_slash_inside_a_word_keeps_the_word() -> None:
    assert untagged("１/２/m  的/u") == "1/2的"
