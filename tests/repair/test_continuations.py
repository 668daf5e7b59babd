"""Repair on the seed (golden) and on small hand-made cases of each kind of damage."""

from __future__ import annotations

import pytest

from compiler.model import Compilation, RepairKind
from compiler.repair import repair_compilation
from compiler.repair.continuations import is_cut
from tests.conftest import model_of_text

HEADER = "标题\n\n——副标题\n\n"


def speech(heading: str, speaker: str, *paragraphs: str) -> str:
    return "\n\n".join([heading, speaker, *paragraphs]) + "\n\n"


def texts(doc: Compilation) -> list[list[str]]:
    return [[p.text for p in s.paragraphs] for s in doc.speeches]


def test_seed_moves_both_displaced_fragments(seed_model: Compilation) -> None:
    moves = [r for r in seed_model.repairs if r.kind is RepairKind.MOVE]
    assert [(r.left[-4:], r.right[:4]) for r in moves] == [("强监督工", "作的意见"), ("格落实代", "表履职登")]
    assert [(r.source.first, r.source.last, r.moved_paragraphs) for r in moves] == [(83, 87, 2), (139, 145, 3)]
    shaanxi = next(s for s in seed_model.speeches if s.speaker and s.speaker.name == "庄长兴")
    ningbo = next(s for s in seed_model.speeches if s.speaker and s.speaker.name == "张平")
    assert any("制定加强监督工作的意见等文件" in p.text for p in shaanxi.paragraphs)
    assert any("严格落实代表履职登记及量化评价" in p.text for p in ningbo.paragraphs)
    # The paragraphs that travelled with each continuation are there too, last in their speech.
    assert shaanxi.paragraphs[-1].text.startswith("下一步，我们坚持稳中求进")
    assert "以宁波人大的生动实践" in ningbo.paragraphs[-1].text
    guangdong = next(s for s in seed_model.speeches if s.speaker and s.speaker.name == "黄楚平")
    assert guangdong.paragraphs[-1].text.startswith("我们将坚持以习近平新时代")


def test_seed_joins_every_other_cut(seed_model: Compilation) -> None:
    joins = [r for r in seed_model.repairs if r.kind is RepairKind.JOIN]
    assert len(joins) == 10
    assert not any(is_cut(p) for s in seed_model.speeches for p in s.paragraphs)
    joined = {(r.left[-2:], r.right[:2]) for r in joins}
    assert ("；修", "订全") in joined
    assert ("工作", "监督") in joined
    assert ("工表", "") not in joined


def test_join_by_adjacency_without_word_evidence() -> None:
    text = HEADER + speech("发言", "某省人大常委会主任 张三", "我们要加强", "监督工作。", "第二段。")
    doc = model_of_text(text)
    assert texts(doc) == [["我们要加强监督工作。", "第二段。"]]
    assert doc.repairs[0].kind is RepairKind.JOIN


def test_fragment_before_its_own_heading_is_moved_back() -> None:
    text = (
        HEADER
        + speech("甲篇发言", "某省人大常委会主任 张三", "第一段。", "完善人民代表大会制度。")
        + "大会制度，推进民主。\n\n尾段。\n\n"
        + speech("乙篇发言", "某市人大常委会主任 李四", "开头一段。", "坚持和完善人民代表")
    )
    doc = model_of_text(text)
    assert texts(doc) == [
        ["第一段。", "完善人民代表大会制度。"],
        ["开头一段。", "坚持和完善人民代表大会制度，推进民主。", "尾段。"],
    ]
    move = doc.repairs[0]
    assert move.kind is RepairKind.MOVE and move.moved_paragraphs == 1 and move.source.first > 0


def test_a_cut_with_no_continuation_is_left_and_reported() -> None:
    text = HEADER + speech("甲篇发言", "某省人大常委会主任 张三", "第一段。", "这一段没有说完")
    doc = model_of_text(text, repair=False)
    result = repair_compilation(doc)
    assert texts(result.compilation) == [["第一段。", "这一段没有说完"]]
    assert any("no continuation" in w for w in result.warnings)


def test_clean_text_is_not_changed(clean_corpus: list[tuple[str, Compilation]]) -> None:
    for _name, clean in clean_corpus:
        repaired = repair_compilation(clean).compilation
        assert repaired.repairs == ()
        assert texts(repaired) == texts(clean)


@pytest.mark.parametrize(
    ("stranded", "cut", "joined", "evidence"),
    [
        ("游、边境管理协同立法。", "会同两省开展区域旅", "会同两省开展区域旅游、边境管理协同立法。", "in a word"),
        ("监督的决定，召开会议。", "作出关于加强经济工作", "作出关于加强经济工作监督的决定，召开会议。", "none"),
    ],
)
def test_text_stranded_after_the_editors_note_is_moved_back(
    stranded: str, cut: str, joined: str, evidence: str
) -> None:
    """Text between the note and the first heading is displaced: the speech's cut takes it back,
    with word evidence or, between words, without any."""
    text = (
        HEADER
        + f"编者按。\n\n——编者\n\n{stranded}\n\n"
        + speech("甲篇发言", "某省人大常委会主任 张三", "第一段。", cut)
    )
    doc = model_of_text(text)
    assert texts(doc) == [["第一段。", joined]]
    assert [r.kind for r in doc.repairs] == [RepairKind.MOVE, RepairKind.JOIN]
    assert (doc.repairs[0].score == 0.0) == (evidence == "none")
