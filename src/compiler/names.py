"""A person-name model for speaker lines: surnames, titles and occupations, and how a line splits.

A speaker line is "affiliation, then a name" (全国政协委员  张  辉), sometimes "name (title)"
(张冀（编剧）), with a colon or dash around it, or run together (肇东实验站站长陈永教授). Which
characters are the name is decided by evidence, not by a fixed set of last characters: how
common the surname is (src/compiler/data/surnames.txt), whether a known title, occupation or
status word closes the affiliation (data/titles.txt), and the spacing the page used.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from compiler.chinese import HAN, is_han

_DASHES = "—─―–-"
_TRAILING_MARKS = "：:" + _DASHES
_NAME_FIRST = re.compile(
    rf"^(?P<name>[{HAN}·]{{2,6}}|[{HAN}] [{HAN}])\s*[（(](?P<affiliation>[^（）()]{{2,60}})[）)]$"
)
_TRAILING_NOTE = re.compile(r"^(?P<line>.+?)\s*[（(](?P<note>[^（）()]{2,30})[）)]$")
_SEPARATED_NAME = re.compile(rf"^[{HAN}]{{2,4}}$|^[{HAN}]{{1,8}}(?:[·・•][{HAN}]{{1,10}}){{1,3}}$")
# Sentence punctuation never occurs in a speaker line; a comma or 、 may (several titles), and a
# quotation may name an honour or a group (“老杨树宣讲汇”成员), though more often a heading's.
_NOT_IN_SPEAKER = frozenset("。；！？!?;")
_QUOTES = frozenset('“”‘’"')
MAX_SPEAKER_CHARS = 70


@dataclass(frozen=True, slots=True)
class SpeakerSplit:
    """One reading of a speaker line: who, with what title, and how well it fits."""

    affiliation: str
    """Organisation and titles, verbatim but without the marks around the line."""
    name: str
    """The person's name, padding removed (王  珏 → 王珏)."""
    surname_weight: float
    """Log share of the population with this surname (per mille, +1 smoothing): common names score high."""
    title_class: str | None
    """`title`, `occupation` or `status` when a lexicon word closes the affiliation, else None."""
    spaced: bool
    """A space separated the name from the affiliation (the usual print layout)."""
    padded: bool
    """A two-character name printed with a space between its characters."""
    name_first: bool
    """The line was 姓名（职务）."""


@lru_cache(maxsize=1)
def surnames() -> dict[str, float]:
    """Surname → population share (per mille)."""
    table: dict[str, float] = {}
    for line in _data_lines("surnames.txt"):
        name, _, weight = line.partition("\t")
        table[name.strip()] = float(weight or 0.01)
    return table


@lru_cache(maxsize=1)
def title_words() -> dict[str, str]:
    """Title, occupation or status word → its class."""
    table: dict[str, str] = {}
    for line in _data_lines("titles.txt"):
        word, _, kind = line.partition("\t")
        table.setdefault(word.strip(), kind.strip() or "title")
    return table


@lru_cache(maxsize=1)
def _longest_title() -> int:
    return max((len(word) for word in title_words()), default=1)


def _data_lines(name: str) -> list[str]:
    text = resources.files("compiler").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


COMMON_WORD_COUNT = 500
"""A word jieba's dictionary counts this often (强调 6,318, 台阶 1,041) is not read as a name run on
after a title; names in the dictionary are rarer (信春鹰 260, 吉林 89)."""


def _common_word(text: str) -> bool:
    return _known_word(text, COMMON_WORD_COUNT)


def _known_word(text: str, least: int) -> bool:
    """jieba's dictionary counts the word at least `least` times."""
    from compiler.lexicon import lexicon

    words = lexicon()
    words.ensure(text)
    return (words.frequencies.table.get(text) or 0) >= least


@lru_cache(maxsize=1)
def affiliation_words() -> tuple[str, ...]:
    """Words found inside affiliations (省, 公司, 大学, 委员会, 社区…), longest first."""
    return tuple(sorted({line.strip() for line in _data_lines("affiliation_words.txt")}, key=len, reverse=True))


def names_an_organisation(affiliation: str) -> bool:
    """The affiliation names a place or an organisation (…小区, …公司, …大学): evidence that the
    line is 职务 姓名 even when the last word is an occupation or a status, not a title."""
    return any(word in affiliation for word in affiliation_words())


def surname_of(name: str) -> tuple[str, float] | None:
    """The surname a name starts with (compound first) and its share, or None."""
    table = surnames()
    for size in (2, 1):
        if len(name) > size and name[:size] in table:
            return name[:size], table[name[:size]]
    return None


TITLE_SUFFIXES = frozenset("长员师")
"""Characters that close titles no list can hold (田长, 站长, 队员, 讲师…): an affiliation ending in
one, and in no lexicon word, ends in a title of the class "suffix" (weighed apart by the tagger)."""


def title_ending(affiliation: str) -> str | None:
    """The class of the longest lexicon word the affiliation ends with, if any; "suffix" when only
    its last character is a title-forming one."""
    table = title_words()
    for size in range(min(len(affiliation), _longest_title()), 0, -1):
        kind = table.get(affiliation[-size:])
        if kind is not None:
            return kind
    if len(affiliation) >= 2 and affiliation[-1] in TITLE_SUFFIXES:
        return "suffix"
    return None


_LEAD_LABEL = re.compile(rf"^[{HAN}]{{1,4}}[人者宾][：:]\s*(?=\S)")
"""A label before a speaker line: 讲述人：, 本期主讲人：, 受访者：, 对话嘉宾：."""


def strip_marks(line: str) -> str:
    """The line without a leading dash or label and trailing colon or dash (——职务姓名 / 职务姓名：
    / 讲述人：职务  姓名)."""
    return _LEAD_LABEL.sub("", line.lstrip(_DASHES + " ")).rstrip(_TRAILING_MARKS + " ")


def speaker_splits(line: str) -> list[SpeakerSplit]:
    """Every plausible (affiliation, name) reading of a line, best first; empty if none fits."""
    if len(line) > MAX_SPEAKER_CHARS or any(char in _NOT_IN_SPEAKER for char in line):
        return []
    core = strip_marks(line)
    readings: list[SpeakerSplit] = []
    trailing = _TRAILING_NOTE.match(core)
    if trailing and " " in trailing["line"]:
        # 全国政协常委  曹卫星（代表民盟中央）: who the speaker spoke for, after the name.
        readings.extend(speaker_splits(trailing["line"]))
    name_first = _NAME_FIRST.match(core)
    if name_first:
        name = name_first["name"].replace(" ", "")
        found = _reading(name_first["affiliation"], name, spaced=True, padded=" " in name_first["name"])
        if found is not None:
            readings.append(_replace_name_first(found))
    tokens = core.split(" ")
    if len(tokens) >= 3 and all(len(t) == 1 and is_han(t) for t in tokens[-2:]):
        found = _reading(" ".join(tokens[:-2]), tokens[-2] + tokens[-1], spaced=True, padded=True)
        if found is not None:
            readings.append(found)
    if len(tokens) >= 2 and _SEPARATED_NAME.match(tokens[-1]):
        found = _reading(" ".join(tokens[:-1]), tokens[-1], spaced=True, padded=False)
        if found is not None:
            readings.append(found)
    last = tokens[-1]
    for size in (2, 3, 4, 5):
        if len(last) > size + 1 and all(is_han(char) for char in last[-size:]):
            head = " ".join([*tokens[:-1], last[:-size]])
            found = _reading(head, last[-size:], spaced=False, padded=False, need_surname=False)
            if found is not None:
                readings.append(found)
    if any(char in _QUOTES for char in line):
        # “人民医护工作者”国家荣誉称号获得者路生梅 is a speaker, 严防“四风”回潮 a heading: a line
        # with a quotation reads as 职务姓名 only with a title word and a surname to show it.
        readings = [r for r in readings if r.title_class is not None and r.surname_weight >= 0]
    return sorted(readings, key=reading_score, reverse=True)


def _replace_name_first(found: SpeakerSplit) -> SpeakerSplit:
    return SpeakerSplit(
        found.affiliation, found.name, found.surname_weight, found.title_class, found.spaced, found.padded, True
    )


def _reading(
    affiliation: str, name: str, *, spaced: bool, padded: bool, need_surname: bool = False
) -> SpeakerSplit | None:
    """A reading, if the name is plausible: a known surname, or (for names of minorities and
    transliterations: 克克, 巴莫曲布嫫) a known title word right before it."""
    affiliation = affiliation.strip()
    if not affiliation or not any(is_han(char) for char in affiliation):
        return None
    title = title_ending(affiliation)
    surname = surname_of(name) if "·" not in name else ("", 1.0)
    if surname is None and (need_surname or title is None):
        return None
    if not spaced and len(name) >= 4 and title is None:
        return None  # a long run-on name needs a title before it to be told from running text
    if not spaced and _common_word(name):
        return None  # …总书记|强调, …新|台阶: a frequent dictionary word is not a run-on name
    if title is None and _two_words(name):
        return None  # 追梦舞台  成才平台: a heading of two phrases, not 职务  姓名
    return SpeakerSplit(
        affiliation=affiliation,
        name=name,
        surname_weight=math.log1p(surname[1]) if surname else -1.0,
        title_class=title,
        spaced=spaced,
        padded=padded,
        name_first=False,
    )


WORD_PAIR_COUNT = 100
"""Both halves of a four-character "name" this frequent in the dictionary (成才 178, 平台 3,601) make
it two words; given names are rarely words (建国 is, but 成才 is not a compound surname)."""


def _two_words(name: str) -> bool:
    """A four-character name read as two dictionary words, its first half no compound surname."""
    return (
        len(name) == 4
        and name[:2] not in surnames()
        and _known_word(name[:2], WORD_PAIR_COUNT)
        and _known_word(name[2:], WORD_PAIR_COUNT)
    )


def reading_score(split: SpeakerSplit) -> float:
    """How well a reading fits: a known closing title and a space before the name weigh most."""
    return (
        split.surname_weight
        + (2.0 if split.title_class else 0.0)
        + (1.5 if split.spaced else 0.0)
        + (1.0 if split.padded else 0.0)
        + (0.5 if len(split.name) in (2, 3) else 0.0)
    )


@lru_cache(maxsize=8192)
def best_split(line: str) -> SpeakerSplit | None:
    """The best reading of a speaker line, or None when it cannot be one."""
    readings = speaker_splits(line)
    return readings[0] if readings else None


BARE_NAME_WORD_COUNT = 10
"""A name-shaped line the dictionary knows this often (高质量: 99) is a word, not a bare name."""


def is_bare_name(text: str) -> bool:
    """A line that is a person's name and nothing else: name-shaped and no dictionary word (高质量
    starts with a surname, but is a word; a line alone allows no context, so the bar is low)."""
    return looks_like_name(text) and not _known_word(text.replace(" ", ""), BARE_NAME_WORD_COUNT)


def looks_like_name(text: str) -> bool:
    """A bare name: 2–4 ideographs (padding allowed) starting with a known surname."""
    compact = text.replace(" ", "")
    return (
        2 <= len(compact) <= 4
        and all(is_han(char) for char in compact)
        and surname_of(compact) is not None
        and text.count(" ") <= 1
    )
