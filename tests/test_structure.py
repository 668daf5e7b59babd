"""The tagger's grammar: roles a block's marks rule out whatever the learned weights say."""

from __future__ import annotations

import pytest

from compiler.read import read_bytes
from compiler.structure import BlockRole, Weights, block_features, decode, page_features, ruled_out

_R = BlockRole


def _features(text: str) -> list[str]:
    (block,) = read_bytes(text.encode("utf-8")).blocks
    return block_features(block)


@pytest.mark.parametrize(
    ("text", "never"),
    [
        ("雷佳音（演员）", _R.BYLINE),  # a byline needs its 记者 or 通讯员
        ("雷佳音（演员）", _R.CREDIT),  # a bracketed credit is bracketed as a whole
        ("——摘自《习近平经济文选》第一卷", _R.SPEAKER_AFTER),  # a dash and no speaker: a source
        ("本报记者 崔 寅", _R.SPEAKER),  # a reporter is not the speaker, however name-like
        ("本报记者 崔 寅", _R.HEADING),
        ("数据来源：国家统计局", _R.HEADING),  # a chart's source belongs to the chart
        ("新华社记者 陈 颖摄", _R.BODY),  # a photo credit belongs to the photo
    ],
)
def test_marks_rule_roles_out(text: str, never: BlockRole) -> None:
    assert never.value in ruled_out(_features(text))


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("本报记者 崔 寅", _R.BYLINE),
        ("（本报记者 王 沛采访整理）", _R.CREDIT),
        ("——山东港口集团高级别专家张连钢", _R.SPEAKER_AFTER),
        ("数据来源：国家统计局", _R.CAPTION),
        ("推动宪法实施和监督工作跃上新台阶", _R.HEADING),
    ],
)
def test_a_block_with_the_mark_keeps_the_role(text: str, allowed: BlockRole) -> None:
    assert allowed.value not in ruled_out(_features(text))


def test_the_decoder_keeps_a_ruled_out_role_out_whatever_the_weights() -> None:
    """Weights that want every block after the heading to be a byline get one only where the
    byline's mark is."""
    text = "标题\n\n在原作的世界中“燃烧”\n\n李宝群（编剧）\n\n本报记者 崔 寅\n"
    blocks = read_bytes(text.encode("utf-8")).blocks
    eager = Weights({"bias": {"byline": 50.0}, "position=0": {"title": 100.0}, "position=1": {"heading": 100.0}}, {})
    roles = decode(page_features(blocks), eager)
    assert roles[:2] == [_R.TITLE, _R.HEADING]
    assert roles[2] is not _R.BYLINE
    assert roles[3] is _R.BYLINE
