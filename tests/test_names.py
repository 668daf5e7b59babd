"""The person-name model: how speaker lines split, and what is never read as a name."""

from __future__ import annotations

import pytest

from compiler.names import best_split, looks_like_name, names_an_organisation


@pytest.mark.parametrize(
    ("line", "affiliation", "name", "title_class"),
    [
        ("全国政协委员 张 辉", "全国政协委员", "张辉", "title"),
        ("北京市朝阳区某某小区居民 王 珏", "北京市朝阳区某某小区居民", "王珏", "status"),
        ("四川省汉源县古路村村民 郑望春", "四川省汉源县古路村村民", "郑望春", "status"),
        ("中国电子科技集团公司工程师 李明", "中国电子科技集团公司工程师", "李明", "occupation"),
        ("张 冀（编剧）", "编剧", "张冀", "occupation"),
        ("全国政协常委 曹卫星（代表民盟中央）", "全国政协常委", "曹卫星", "title"),
        ("全国人大代表、湖北省文化和旅游厅厅长克克：", "全国人大代表、湖北省文化和旅游厅厅长", "克克", "title"),
        ("——南开大学历史学院博士生杨雅丽", "南开大学历史学院博士生", "杨雅丽", "occupation"),
        ("全国政协委员，上海博物馆馆长 褚晓波", "全国政协委员，上海博物馆馆长", "褚晓波", "title"),
        ("讲述人：传化集团副总裁 徐 迅", "传化集团副总裁", "徐迅", "title"),  # a label is no affiliation
        ("本期主讲人：中国民营经济研究会会长  李兆前", "中国民营经济研究会会长", "李兆前", "title"),
        (  # a quotation names an honour; a title word and a surname show the line is a speaker's
            "“人民医护工作者”国家荣誉称号获得者路生梅——",
            "“人民医护工作者”国家荣誉称号获得者",
            "路生梅",
            "status",
        ),
    ],
)
def test_speaker_lines_split_into_affiliation_and_name(
    line: str, affiliation: str, name: str, title_class: str
) -> None:
    split = best_split(line)
    assert split is not None
    assert (split.affiliation, split.name, split.title_class) == (affiliation, name, title_class)


@pytest.mark.parametrize(
    "line",
    [
        "习近平总书记强调",  # a frequent word (强调) is not a name run on after a title
        "推动宪法实施和监督工作跃上新台阶",
        "今年以来，我们做了许多工作。",
        "坚持党建引领 积极履职尽责",
        "追梦舞台 成才平台",  # two phrases: 成才平台 is two dictionary words, not a four-character name
        "严防“四风”回潮",  # a quotation with no title word before the "name"
        "中国银行支持企业探索“出海”新路径",
    ],
)
def test_headings_and_sentences_have_no_reading(line: str) -> None:
    assert best_split(line) is None


def test_bare_names_and_organisations() -> None:
    assert looks_like_name("王 赤") and looks_like_name("信春鹰")
    assert not looks_like_name("发展经济")
    assert names_an_organisation("北京市朝阳区某某小区")
    assert not names_an_organisation("青年")
