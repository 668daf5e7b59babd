"""Nothing lost: every non-space character of the input is in the model exactly once."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.errors import InputError
from compiler.model import Compilation
from compiler.parse import parse_blocks
from compiler.read import read_bytes
from compiler.repair import repair_compilation
from tests.conftest import SEED


def non_space(text: str) -> Counter[str]:
    return Counter(char for char in text if not char.isspace())


def model_characters(doc: Compilation) -> Counter[str]:
    counts: Counter[str] = Counter()
    for piece in doc.texts():
        counts.update(non_space(piece))
    return counts


def assert_conserved(data: bytes) -> None:
    try:
        source = read_bytes(data)
    except InputError:
        return  # refused with a clear error: nothing was claimed
    parsed = parse_blocks(source.blocks).compilation
    assert model_characters(parsed) == non_space(source.text)
    repaired = repair_compilation(parsed).compilation
    assert model_characters(repaired) == non_space(source.text)


# Lines of the genre, pieces cut mid-word, and arbitrary text (no surrogates: they cannot be encoded).
genre_lines = st.sampled_from(
    [
        "——编者",
        "——编  者",
        "——某会议发言摘编",
        "推动工作跃上新台阶",
        "某省人大常委会党组书记、主任 张三",
        "某市政协主席　李四",
        "一、第一部分",
        "（本报记者 王五 采访整理）",
        "【系列】标题",
        "制定加强监督工",
        "作的意见等文件。",
        "严格落实代",
        "表履职登记。",
        "今年以来，我们做了工作。",
        "<script>&amp;]]>",
    ]
)
arbitrary = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
lines = st.lists(genre_lines | arbitrary, min_size=1, max_size=30)
separators = st.sampled_from(["\n", "\n\n", "\r\n", "\r\n\r\n", "\r"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines, separators)
def test_any_text_keeps_every_character(parts: list[str], separator: str) -> None:
    assert_conserved(separator.join(parts).encode("utf-8"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_keep_every_character_or_are_refused(data: bytes) -> None:
    assert_conserved(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 90), min_size=1, max_size=10))
def test_seed_with_lines_shuffled_keeps_every_character(picks: list[int]) -> None:
    seed_lines = SEED.read_text(encoding="utf-8").split("\n")
    chosen = [seed_lines[i % len(seed_lines)] for i in picks] + seed_lines
    assert_conserved("\n\n".join(chosen).encode("utf-8"))


def test_seed_keeps_every_character() -> None:
    assert_conserved(SEED.read_bytes())
