"""Repair on the seed (golden) and on small models of each kind of damage.

The small cases start from models, not from text, so that they test the repair and nothing of
the tagger that reads structure (tests/test_parse.py does that).
"""

from __future__ import annotations

from compiler.model import Compilation, Paragraph, RepairKind, Span, Speaker, Speech
from compiler.repair import repair_compilation
from compiler.repair.continuations import is_cut
from compiler.repair.junction import shipped_model

_line = iter(range(1, 10_000))


def para(text: str, *, indented: bool = False) -> Paragraph:
    n = next(_line)
    return Paragraph(text, sources=(Span(n, n),), indented=indented)


def speech(heading: str | None, name: str | None, *paragraphs: Paragraph) -> Speech:
    speaker = Speaker("某省人大常委会主任", name) if name else None
    return Speech(heading=heading, speaker=speaker, paragraphs=paragraphs)


def page(*speeches: Speech) -> Compilation:
    return Compilation(title="坚持和完善人民代表大会制度", speeches=speeches)


def indenting_page(*paragraphs: Paragraph) -> Compilation:
    """A one-speech page that indents its paragraph starts, opening with a whole paragraph."""
    opening = para("近年来，我们坚持问题导向，推动各项工作落地见效。", indented=True)
    return page(speech("甲篇发言", "张三", opening, *paragraphs))


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


def test_seed_joins_the_cuts_with_evidence_and_leaves_the_rest(seed_model: Compilation) -> None:
    """At least six of the seed's ten adjacent cuts have evidence enough; the others cut between
    words (经济工作|监督, 实地|检查, 生态环境|开展 stay open today) and are reported: the evidence
    model gives them less than the threshold chosen for 99.5 % precision."""
    joins = [r for r in seed_model.repairs if r.kind is RepairKind.JOIN]
    joined = {(r.left[-2:], r.right[:2]) for r in joins}
    assert ("；修", "订全") in joined
    assert ("工表", "") not in joined
    assert all(r.confidence >= shipped_model().threshold for r in joins)
    still_cut = [p.text[-4:] for s in seed_model.speeches for p in s.paragraphs if is_cut(p)]
    assert len(joins) + len(still_cut) == 10
    assert len(joins) >= 6


def test_layout_evidence_joins_an_unindented_continuation() -> None:
    """Where a page indents paragraph starts, an unindented block continues the cut before it."""
    doc = indenting_page(
        para("在推进基层治理现代化的过程中，我们要进一步加强和改进", indented=True),
        para("工作方法，推动各项措施走深走实。"),
        para("同时，我们还建立了长效机制。", indented=True),
    )
    result = repair_compilation(doc).compilation
    assert texts(result)[0][1] == "在推进基层治理现代化的过程中，我们要进一步加强和改进工作方法，推动各项措施走深走实。"
    assert result.repairs[0].kind is RepairKind.JOIN


def test_a_paragraph_start_after_a_cut_is_not_glued_on_an_indenting_page() -> None:
    """The block after the cut is indented: it starts a paragraph, so the cut is left open."""
    doc = indenting_page(
        para("我们要进一步加强和改进", indented=True),
        para("同时，我们还建立了长效机制。", indented=True),
        para("下一步，我们将继续努力。", indented=True),
    )
    result = repair_compilation(doc)
    assert result.compilation.repairs == ()
    assert any("stops mid-sentence" in w for w in result.warnings)


def test_an_indented_block_is_never_taken_for_a_continuation_on_an_indenting_page() -> None:
    """Print indents first lines only: however well the words fit (代表|大会), an indented block
    elsewhere starts a paragraph of its own and is not moved into the cut."""
    doc = page(
        speech("甲篇发言", "张三", para("第一段。", indented=True), para("坚持和完善人民代表", indented=True)),
        speech(
            "乙篇发言",
            "李四",
            para("开头一段。", indented=True),
            para("在推进基层治理现代化的过程中，我们要进一步加强和改进", indented=True),
            para("工作方法，推动各项措施走深走实。"),
            para("大会制度，推进民主。", indented=True),
        ),
    )
    result = repair_compilation(doc)
    assert [r.kind for r in result.compilation.repairs] == [RepairKind.JOIN]  # the unindented block only
    assert texts(result.compilation)[0] == ["第一段。", "坚持和完善人民代表"]
    assert any("持和完善人民代表" in w and "stops mid-sentence" in w for w in result.warnings)


def test_a_page_indenting_every_block_gives_no_layout_evidence() -> None:
    """Where every block is indented, continuations included, indentation says nothing, and the
    words decide: 修|订 is joined."""
    doc = indenting_page(
        para("我们坚持立法先行，抓紧修", indented=True),
        para("订全国人民代表大会组织法，推动制度更加完善。", indented=True),
    )
    result = repair_compilation(doc).compilation
    assert texts(result)[0][1] == "我们坚持立法先行，抓紧修订全国人民代表大会组织法，推动制度更加完善。"
    assert [r.kind for r in result.repairs] == [RepairKind.JOIN]


def test_fragment_at_the_end_of_another_speech_is_moved_back() -> None:
    doc = page(
        speech("甲篇发言", "张三", para("第一段。"), para("完善人民代表大会制度。"), para("大会制度，推进民主。")),
        speech("乙篇发言", "李四", para("开头一段。"), para("坚持和完善人民代表")),
    )
    result = repair_compilation(doc).compilation
    assert texts(result) == [
        ["第一段。", "完善人民代表大会制度。"],
        ["开头一段。", "坚持和完善人民代表大会制度，推进民主。"],
    ]
    assert result.repairs[0].kind is RepairKind.MOVE


def test_a_cut_with_no_continuation_is_left_and_reported() -> None:
    doc = page(speech("甲篇发言", "张三", para("第一段。"), para("这一段没有说完")))
    result = repair_compilation(doc)
    assert texts(result.compilation) == [["第一段。", "这一段没有说完"]]
    assert any("no continuation" in w for w in result.warnings)


def test_text_stranded_before_the_first_speech_is_moved_back_on_word_evidence() -> None:
    doc = page(
        speech(None, None, para("游、边境管理协同立法。")),
        speech("甲篇发言", "张三", para("第一段。"), para("会同两省开展区域旅")),
    )
    result = repair_compilation(doc).compilation
    assert texts(result)[-1] == ["第一段。", "会同两省开展区域旅游、边境管理协同立法。"]
    assert [r.kind for r in result.repairs] == [RepairKind.MOVE, RepairKind.JOIN]
    assert result.repairs[0].score > 0


def test_clean_text_is_not_changed(clean_corpus: list[tuple[str, Compilation]]) -> None:
    for _name, clean in clean_corpus:
        repaired = repair_compilation(clean).compilation
        assert repaired.repairs == ()
        assert texts(repaired) == texts(clean)
