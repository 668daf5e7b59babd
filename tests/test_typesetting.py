"""Line breaking: prohibition rules, flush justification and nothing lost, on any text."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compiler.lexicon import lexicon
from compiler.typesetting import (
    CLOSING_HALF,
    MAX_RUNT_SPACING_EM,
    NOT_AT_LINE_END,
    NOT_AT_LINE_START,
    OPENING_HALF,
    display_lines,
    set_paragraph,
    set_paragraph_in,
    split_units,
    violations,
)
from tests.writers.composition import word_boundaries


def measure(text: str) -> float:
    """Ideographs 10 pt wide, everything else 5 pt: enough to exercise mixed lines."""
    return sum(10.0 if ord(char) > 0x2E80 else 5.0 for char in text)


def test_closing_marks_stay_with_the_character_before_them() -> None:
    units = [u.text for u in split_units("他说：“好。”然后（笑）", measure)]
    assert units == ["他", "说：", "“好。”", "然", "后", "（笑）"]


def test_latin_words_and_numbers_are_never_split() -> None:
    units = [u.text for u in split_units("连续2.62万条 and more", measure)]
    assert "2.62" in units and "and" in units and "more" in units


def test_lines_are_flush_except_the_last() -> None:
    lines = set_paragraph(
        "党的十八大以来，习近平总书记“两个确立”的决定性意义，连续2年进行满意度测评。", 100, measure, 20
    )
    assert all(abs(line.right - 100) < 1e-6 for line in lines[:-1])
    assert lines[-1].last and lines[-1].spacing == 0


def test_the_checker_finds_violations() -> None:
    assert violations(["，开头", "结尾（", "正常一行"]) == ["starts with '，': ，开头…", "ends with '（': …结尾（"]


chinese = st.sampled_from(
    list(
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严，。、；：？！“”（）《》——…"
    )
)
paragraphs = st.lists(chinese | st.sampled_from(["2024", "and", " ", "GDP"]), min_size=1, max_size=200).map("".join)


@settings(max_examples=300)
@given(paragraphs, st.floats(60, 400))
@example(text="的的的2024的（ （的", width=60.0)  # a space after （ was a break: a line ended in （
def test_any_paragraph_breaks_legally_and_keeps_every_character(text: str, width: float) -> None:
    lines = set_paragraph(text, width, measure, first_indent=20)
    assert "".join(line.text for line in lines).replace(" ", "") == text.replace(" ", "")
    for n, line in enumerate(lines):
        if n > 0:
            assert line.text[:1] not in NOT_AT_LINE_START
        if not line.last:
            assert line.text[-1:] not in NOT_AT_LINE_END
            assert abs(line.right - width) < 1e-6 or line.spacing == 0  # flush, or one unit too wide to break


def full_width(text: str) -> float:
    """As a CJK face sets them: ideographs and Chinese punctuation 10 pt (one em), Latin 5 pt."""
    return sum(10.0 if ord(char) > 0x2E80 or char in CLOSING_HALF | OPENING_HALF else 5.0 for char in text)


def test_two_adjacent_marks_take_one_and_a_half_em() -> None:
    """clreq §3.1.6: a closing mark loses its trailing half before any mark, an opening mark its
    leading half after an opening mark; the pair's second glyph starts half an em after the first."""
    for pair in ("”。", "，“", "》、", "）。", "！”", "“《", "：“"):
        (line,) = set_paragraph(f"字{pair}字", 400, full_width)
        assert line.positions[2] - line.positions[1] == 5.0, pair
        assert line.right == 35.0, pair  # four characters' 40 pt less one half-em
        assert line.compressed, pair


def test_lone_marks_and_narrow_quotes_keep_their_width() -> None:
    (line,) = set_paragraph("字，字“字”字", 400, full_width)
    assert line.right == 70.0 and not line.compressed

    def proportional_quotes(text: str) -> float:  # a face whose quotes are 0.35 em (LXGW WenKai)
        return sum(3.5 if char in "“”‘’" else full_width(char) for char in text)

    (line,) = set_paragraph("字”。字", 400, proportional_quotes)
    assert line.right == 33.5 and not line.compressed


@settings(max_examples=200)
@given(paragraphs, st.floats(60, 400))
def test_compression_never_overfills_a_line_and_saves_half_an_em_per_pair(text: str, width: float) -> None:
    for line in set_paragraph(text, width, full_width, first_indent=20):
        # only a unit that cannot be broken (20242024，) may pass a measure narrower than itself
        assert line.right <= width + 1e-6 or len(split_units(line.text, full_width)) == 1
        pairs = sum(
            1
            for a, b in zip(line.atoms, line.atoms[1:], strict=False)
            if (a in CLOSING_HALF and (b in CLOSING_HALF or b in OPENING_HALF))
            or (a in OPENING_HALF and b in OPENING_HALF)
        )
        # a compressed pair takes no justification space: it stays 1.5 em however loose the line
        natural = sum(full_width(atom) for atom in line.atoms) + line.spacing * (len(line.atoms) - 1 - pairs)
        start = line.positions[0] + (5.0 if 0 in line.compressed and line.atoms[0] in OPENING_HALF else 0.0)
        squeezed = (natural - 5.0 * pairs) - (line.right - start)
        if abs(squeezed) > 1e-6:  # a line that took a runt up: flush, its lone closing marks narrower
            lone = sum(1 for atom in line.atoms if atom in CLOSING_HALF)
            assert 0 < squeezed <= 5.0 * lone + 1e-6 and abs(line.right - width) < 1e-6


def test_a_last_line_of_one_character_takes_one_from_each_line_before() -> None:
    """39 characters to a line, 79 in the paragraph: greedy breaking leaves 态。 alone; the two
    lines before each give it a character and spread the spare 10 pt over their gaps (0.027 em)."""
    text = "字" * 78 + "态。"
    lines = set_paragraph(text, 390, full_width)
    assert [len(line.text) for line in lines] == [38, 38, 4]
    assert all(line.spacing == pytest.approx(10 / 37) and abs(line.right - 390) < 1e-6 for line in lines[:2])
    assert "".join(line.text for line in lines) == text


def test_a_runt_is_taken_up_by_setting_commas_narrower() -> None:
    """Ten characters to a line, 22 in the paragraph: handing 态。 a character would space the lines
    before 0.125 em a gap, over the limit; instead the two lines take it up, each of their commas
    giving at most half an em, and the paragraph ends on a full line."""
    text = "字字字字，" * 4 + "态。"
    lines = set_paragraph(text, 100, full_width)
    assert "".join(line.text for line in lines) == text
    assert [len(line.atoms) for line in lines] == [11, 11]
    assert all(line.right <= 100 + 1e-6 for line in lines)
    for line in lines[:-1]:
        assert abs(line.right - 100) < 1e-6 and line.compressed
        assert all(line.atoms[n] in CLOSING_HALF for n in line.compressed)
        gaps = [b - a for a, b in itertools.pairwise(line.positions)]
        assert min(gaps) >= 5.0 - 1e-6  # no mark narrower than half an em


def test_a_closing_mark_at_the_line_end_is_set_half_width_rather_than_a_loose_line() -> None:
    """A measure of 10.5 characters: 键。 does not fit after nine (110 of 105); sent to the next line
    it would leave the first spaced 0.19 em a gap. With its 。 set half-width at the line's end the
    line is full; a line without a mark to set narrower is still justified by spacing."""
    lines = set_paragraph("字" * 9 + "键。" + "字" * 5 + "。", 105, full_width)
    assert lines[0].text == "字" * 9 + "键。" and lines[0].spacing == 0.0
    assert abs(lines[0].right - 105) < 1e-6 and 10 in lines[0].compressed
    unmarked = set_paragraph("字" * 9 + "键字" + "字" * 5 + "。", 105, full_width)
    assert unmarked[0].text == "字" * 9 + "键" and unmarked[0].spacing == pytest.approx(5 / 9)


def test_a_runt_stays_when_the_line_before_would_be_too_loose() -> None:
    """Six characters to a line: a line that gave one would take 0.2 em a gap, over the limit."""
    lines = set_paragraph("字" * 12 + "态。", 60, full_width)
    assert [len(line.text) for line in lines] == [6, 6, 2]


def test_a_runt_takes_a_character_from_each_line_before_it() -> None:
    """Ten characters to a line: two lines each giving one (0.125 em a gap, within the limit) leave
    the last line three characters; one line giving both would take 0.29 em a gap."""
    lines = set_paragraph("字" * 20 + "态。", 100, full_width)
    assert [len(line.text) for line in lines] == [9, 9, 4]
    assert all(line.spacing <= MAX_RUNT_SPACING_EM * 10 + 1e-9 for line in lines)


def test_a_paragraph_is_set_a_line_longer_within_the_spacing_limit() -> None:
    """Forty characters, ten a line: four full lines, or five of nine, nine, nine, nine and four
    (0.125 em a gap, within the limit); not six (each line would give two)."""
    text = "字" * 39 + "。"
    assert [len(line.text) for line in set_paragraph(text, 100, full_width)] == [10, 10, 10, 10]
    longer = set_paragraph_in(text, 100, full_width, 5)
    assert longer is not None and [len(line.text) for line in longer] == [9, 9, 9, 9, 4]
    assert all(line.spacing <= MAX_RUNT_SPACING_EM * 10 + 1e-9 for line in longer)
    assert set_paragraph_in(text, 100, full_width, 6) is None
    assert set_paragraph_in(text, 100, full_width, 4) is None  # the usual count: nothing to do


def test_a_paragraph_is_set_a_line_shorter_only_by_narrowing_its_marks() -> None:
    """Its three last characters go up into lines whose lone commas give half an em each."""
    text = "字，" * 10 + "字" * 3 + "。"
    assert len(set_paragraph(text, 100, full_width)) == 3
    shorter = set_paragraph_in(text, 100, full_width, 2)
    assert shorter is not None and "".join(line.text for line in shorter) == text
    assert all(line.right <= 100 + 1e-6 for line in shorter)
    assert set_paragraph_in("字" * 23 + "。", 100, full_width, 2) is None  # no mark to narrow


@given(st.text(alphabet="字，。“”", min_size=1, max_size=80), st.integers(min_value=1, max_value=9))
@settings(max_examples=80, deadline=None)
def test_a_paragraph_set_in_a_given_count_keeps_its_text_and_width(text: str, count: int) -> None:
    lines = set_paragraph_in(text, 100, full_width, count)
    if lines is not None:
        assert len(lines) == count
        assert "".join(line.text for line in lines) == text
        assert all(line.right <= 100 + 1e-6 for line in lines)


def _boundaries(text: str) -> set[int]:
    """Where the segmenter puts word boundaries in `text`."""
    return word_boundaries(text)


DISPLAY_TEXTS = [
    "深入学习贯彻习近平总书记关于坚持和完善人民代表大会制度的重要思想交流会发言摘编",
    "围绕推进中国式现代化，全面贯彻党的二十届三中全会精神",
    "学习贯彻《中华人民共和国宪法》和“两个确立”的决定性意义",
    "全国人民代表大会常务委员会",
    "推动宪法实施和监督工作跃上新台阶",
]


@pytest.mark.parametrize("text", DISPLAY_TEXTS)
@pytest.mark.parametrize("width", [90.0, 120.0, 150.0, 200.0])
def test_display_lines_break_between_words_and_balance(text: str, width: float) -> None:
    lines = display_lines(text, width, full_width, lexicon().segment)
    assert "".join(lines) == text
    assert all(full_width(line) <= width for line in lines)
    running = math.ceil(full_width(text) / width)  # running text, every line full, none squeezed
    assert len(lines) <= running + 1  # whole words may take one line more
    at = 0
    for line in lines[:-1]:
        at += len(line)
        if at not in _boundaries(text):  # only inside a word too wide for the line with its marks
            start = 0
            for word in lexicon().segment(text):
                if start < at < start + len(word):
                    assert (len(word) + 2) * 10 > width, (lines, word)
                start += len(word)
    if len(lines) > 1:
        assert min(sum(c.isalnum() for c in line) for line in lines) >= 3, lines


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("推动宪法实施和监督工作跃上新台阶", 120.0, ["推动宪法实施和监督", "工作跃上新台阶"]),
        ("全国人民代表大会常务委员会", 100.0, ["全国人民代表大会", "常务委员会"]),
        (
            "——深入学习贯彻习近平总书记关于坚持和完善人民代表大会制度的重要思想交流会发言摘编",
            230.0,
            ["——深入学习贯彻习近平总书记关于坚持和完善", "人民代表大会制度的重要思想交流会发言摘编"],
        ),
    ],
)
def test_display_lines_are_balanced(text: str, width: float, expected: list[str]) -> None:
    """Greedy filling leaves a short last line (跃上新台阶, 委员会); balanced breaks share the text out."""
    assert display_lines(text, width, full_width, lexicon().segment) == expected


def test_a_book_title_in_guillemets_is_never_split() -> None:
    lines = display_lines("学习贯彻《中华人民共和国宪法》和“两个确立”的决定性意义", 150, full_width, lexicon().segment)
    assert any("《中华人民共和国宪法》" in line for line in lines)
    assert any("“两个确立”" in line for line in lines)


@settings(max_examples=200, deadline=None)
@given(paragraphs, st.floats(40, 300))
def test_display_lines_keep_every_character_and_fit(text: str, width: float) -> None:
    lines = display_lines(text, width, full_width, lexicon().segment)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert full_width(line) <= width + 1e-6 or len(split_units(line, full_width)) == 1


def test_a_justified_line_keeps_its_pair_of_marks_at_one_and_a_half_em() -> None:
    """Ten atoms on a 100 pt line, one pair compressed: 5 pt spare go to the eight other gaps."""
    first, *_ = set_paragraph("字字字”。字字字字字字字字字字字", 100, full_width)
    assert first.text == "字字字”。字字字字字" and abs(first.right - 100) < 1e-6
    assert first.positions[4] - first.positions[3] == 5.0
    assert first.spacing == pytest.approx(5 / 8)


def test_turnover_lines_hang() -> None:
    """A contents entry too long for its line: the lines after the first start `hang` points in."""
    lines = set_paragraph("字" * 25, 100, full_width, hang=10)
    assert [line.positions[0] for line in lines] == [0.0, 10.0, 10.0]
    assert [len(line.text) for line in lines] == [10, 9, 6]


def test_an_opening_mark_at_a_line_start_may_be_set_half_width() -> None:
    """With the style's `half` option the bracket's blank half hangs into the margin (its glyph
    drawn half an em left); the indented first line and the default keep the full width."""
    text = "字" * 10 + "（字字字字字字字字字）"
    full = set_paragraph(text, 100, full_width)
    half = set_paragraph(text, 100, full_width, half_opening=True)
    assert full[1].text.startswith("（") and full[1].positions[0] == 0.0 and 0 not in full[1].compressed
    assert half[1].positions[0] == -5.0 and 0 in half[1].compressed
    indented = set_paragraph("（" + "字" * 20, 100, full_width, first_indent=20, half_opening=True)
    assert indented[0].positions[0] == 20.0
