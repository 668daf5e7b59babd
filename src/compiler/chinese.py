"""Facts about Chinese text that several stages share: punctuation classes and sentence ends."""

from __future__ import annotations

import re

# Marks that end a sentence (full-width and their ASCII look-alikes).
SENTENCE_END = frozenset("。！？!?…")
# Closing quotes and brackets that may follow a sentence end: “……。” still ends a sentence.
CLOSING = frozenset("”’」』）)》〉】〕］]\"'")
# Marks after which a paragraph may legitimately stop: a colon introduces what follows.
PARAGRAPH_MAY_END = SENTENCE_END | frozenset("：:")
# Opening quotes and brackets, each with the closing mark it waits for.
PAIRED_MARKS = {"“": "”", "‘": "’", "（": "）", "(": ")", "《": "》", "「": "」", "『": "』", "【": "】", "〔": "〕"}


def strip_closing(text: str) -> str:
    """The text without the closing quotes and brackets at its end."""
    end = len(text)
    while end > 0 and text[end - 1] in CLOSING:
        end -= 1
    return text[:end]


def ends_sentence(text: str) -> bool:
    """True when the text ends with a sentence-final mark, possibly followed by closing marks."""
    core = strip_closing(text)
    return bool(core) and core[-1] in SENTENCE_END


def ends_paragraph(text: str) -> bool:
    """True when the text could end a paragraph; False means it was probably cut off."""
    core = strip_closing(text)
    return bool(core) and core[-1] in PARAGRAPH_MAY_END


HAN = "\u3400-\u4dbf\u4e00-\u9fff"
"""CJK unified ideographs, extension A and the basic block, as a regular-expression class body:
`[{HAN}]` in a pattern, the one definition every module uses."""


def is_han(char: str) -> bool:
    """True for a CJK unified ideograph (basic block and extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


_HAN_RUN = re.compile(f"[{HAN}]+")


def count_han(text: str) -> int:
    """How many CJK ideographs the text has (runs matched in C: the tagger and the cohesion
    measure count every block, 100× the seed counted 750,000 characters one by one)."""
    return sum(len(run) for run in _HAN_RUN.findall(text))
