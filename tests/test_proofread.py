"""Proofreading: each rule on examples it must and must not flag; the seed; clean text; corrections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compiler.cli import main
from compiler.errors import InputError
from compiler.model import Compilation
from compiler.proofread import (
    TextRule,
    doubled_words,
    half_width_punctuation,
    latin_function_words,
    proofread,
    unbalanced_marks,
    yi_as_dash,
)
from compiler.repair.corrections import Correction, apply_corrections, load_corrections
from tests.conftest import SEED


def flagged(rule: TextRule, text: str) -> list[str]:
    return [text[h.offset : h.offset + h.length] for h in rule(text)]


@pytest.mark.parametrize(
    ("rule", "must", "must_not"),
    [
        (
            latin_function_words,
            ["党的二十大精神 and 中央人大工作会议精神", "甲or乙"],
            ["GDP增长", "5G网络和APP", "iPhone手机"],
        ),
        (doubled_words, ["重要批示批示和", "我们我们要"], ["看看", "常常", "人人", "年年岁岁", "天天向上", "研究工作"]),
        (yi_as_dash, ["“立法一评估一修法”机制"], ["统一一致", "第一一项", "一个一个地", "逐一一落实"]),
        (unbalanced_marks, ["他说“好", "《人民日报", "甲）乙"], ["他说“好”", "《人民日报》（1998）"]),
        (half_width_punctuation, ["今年,我们", "问题;下一步", "成立(改革"], ["1,000万", "3:2", "PM2.5,"]),
    ],
)
def test_rules_flag_what_they_must_and_nothing_else(rule: TextRule, must: list[str], must_not: list[str]) -> None:
    for text in must:
        assert flagged(rule, text), text
    for text in must_not:
        assert not flagged(rule, text), text


def test_the_seeds_known_errors_are_found_and_nothing_else(seed_model: Compilation) -> None:
    """The seed's five known slips (three English "and" in Chinese text, a doubled word, 一 for a
    dash), and no other finding."""
    findings = proofread(seed_model)
    assert sorted((f.rule, f.text.strip(), f.suggestion) for f in findings) == sorted(
        [
            ("latin-word", "and", "和"),
            ("latin-word", "and", "和"),
            ("doubled-word", "批示批示", "批示"),
            ("latin-word", "and", "和"),
            ("yi-as-dash", "立法一评估一修法", "立法—评估—修法"),
        ]
    )


def test_clean_real_text_has_no_findings(clean_corpus: list[tuple[str, Compilation]]) -> None:
    """Precision: the real compilations in tests/data/clean are clean, so every finding is a false alarm."""
    for name, doc in clean_corpus[1:]:
        assert proofread(doc) == [], name


def test_corrections_apply_where_listed_and_are_recorded(seed_model: Compilation) -> None:
    corrected = apply_corrections(
        seed_model,
        [Correction(" and ", "和"), Correction("批示批示", "批示", speech="更好把制度优势转化为治理效能")],
    )
    assert " and " not in "".join(corrected.texts())
    assert "重要批示和党中央" in "".join(p.text for s in corrected.speeches for p in s.paragraphs)
    assert corrected.repairs == seed_model.repairs  # corrections are records of their own, not repairs
    assert [(c.found, c.replaced_by) for c in corrected.corrections] == [(" and ", "和")] * 3 + [("批示批示", "批示")]
    assert corrected.corrections[-1].speech == "更好把制度优势转化为治理效能 — 王炯"
    assert "批示批示 → 批示" in corrected.corrections[-1].describe()
    assert [f.rule for f in proofread(corrected)] == ["yi-as-dash"]


def test_a_correction_that_matches_nothing_is_an_error(seed_model: Compilation) -> None:
    with pytest.raises(InputError, match="matches nothing"):
        apply_corrections(seed_model, [Correction("不存在", "x")])
    with pytest.raises(InputError, match="in speech '1'"):
        apply_corrections(seed_model, [Correction("批示批示", "批示", speech="1")])


def test_correction_files_are_checked(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("corrections:\n  - {find: ' and ', replace: 和}\n  - {find: 甲, replace: 乙, speech: 2}\n", "utf-8")
    assert load_corrections(good) == [Correction(" and ", "和"), Correction("甲", "乙", "2")]
    bad = tmp_path / "bad.yaml"
    bad.write_text("corrections:\n  - {find: a, replace: b, when: never}\n", "utf-8")
    with pytest.raises(InputError, match=r"corrections\[1\]"):
        load_corrections(bad)


def test_check_writes_json_and_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_model: Compilation
) -> None:
    report = tmp_path / "report.html"
    assert main(["check", str(SEED), "--format", "json", "-o", str(report)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["repairs"]) == len(seed_model.repairs) and len(data["findings"]) == 5
    page = report.read_text(encoding="utf-8")
    assert "<mark>批示批示</mark>" in page and "立法—评估—修法" in page


def test_structural_rules() -> None:
    from compiler.model import Paragraph, Speaker, Speech

    doc = Compilation(
        title="标题",
        speeches=(
            Speech(heading="空的发言", speaker=Speaker("某省人大常委会主任", "张三"), paragraphs=()),
            Speech(
                heading="有碎片的发言",
                speaker=Speaker("某市人大常委会主任", "李四五六七"),
                paragraphs=(Paragraph("这是一段完整而且足够长的正文，没有任何问题。"), Paragraph("落实。")),
            ),
        ),
    )
    rules = [(f.rule, f.speech, f.paragraph) for f in proofread(doc)]
    assert rules == [("empty-speech", 0, None), ("speaker-line", 1, None), ("short-paragraph", 1, 1)]
