"""Block roles decided for the page as a whole: Viterbi over the genre's grammar.

Every block of a page gets one role (kicker, title, heading, speaker, body, caption, …). A role is
not read off one line by a fixed rule: each block has features (its length and punctuation, what a
person-name model makes of it, layout, position, its neighbours' look, and how many blocks of the
same shape the page has), each role scores them with learned weights, role-to-role transitions
score the sequence, and the best path through the grammar wins. So five speaker lines of one shape
outvote one block's odd look, and a block that fits nothing well stays running text.

The weights are learned from the tuning part of the corpus (tests/corpus/train.py, a linear-chain
CRF fitted with CRFsuite at training time only) and shipped in data/structure.json.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from enum import Enum
from functools import lru_cache
from importlib import resources

from compiler.chinese import CLOSING, HAN, SENTENCE_END, count_han, ends_sentence, is_han
from compiler.names import best_split, looks_like_name, names_an_organisation
from compiler.read import Block


class BlockRole(Enum):
    """What a block is on the page."""

    KICKER = "kicker"
    TITLE = "title"
    SUBTITLE = "subtitle"
    FRONT_EXTRA = "front-extra"
    """A caption, byline or chart source in the title area."""
    NOTE = "note"
    SIGNATURE = "signature"
    HEADING = "heading"
    SPEAKER = "speaker"
    SPEAKER_INLINE = "speaker-inline"
    """A block that starts with the speaker (职务姓名：) and goes on with the speech."""
    SPEAKER_AFTER = "speaker-after"
    """A dash signature (——职务姓名) closing a speech that had no speaker line above it."""
    BYLINE = "byline"
    SECTION = "section"
    BODY = "body"
    CREDIT = "credit"
    CAPTION = "caption"


ROLES = tuple(BlockRole)
_ROLE_VALUES = tuple(role.value for role in ROLES)
_R = BlockRole
_SPEECH_LEVEL = (_R.BODY, _R.SECTION, _R.CREDIT, _R.CAPTION, _R.BYLINE)
_SPEECH_START = (_R.HEADING, _R.SPEAKER, _R.SPEAKER_INLINE)
_FRONT = (_R.KICKER, _R.TITLE, _R.SUBTITLE, _R.FRONT_EXTRA, _R.NOTE, _R.SIGNATURE)

START = "<start>"
ALLOWED: dict[str, tuple[BlockRole, ...]] = {
    START: (_R.KICKER, _R.TITLE, _R.FRONT_EXTRA),
    _R.KICKER.value: (_R.KICKER, _R.TITLE, _R.FRONT_EXTRA),
    _R.TITLE.value: (_R.TITLE, _R.SUBTITLE, _R.FRONT_EXTRA, _R.NOTE, *_SPEECH_START, _R.BODY),
    _R.SUBTITLE.value: (_R.FRONT_EXTRA, _R.NOTE, *_SPEECH_START, _R.BODY),
    _R.FRONT_EXTRA.value: (_R.FRONT_EXTRA, _R.KICKER, _R.TITLE, _R.SUBTITLE, _R.NOTE, *_SPEECH_START, _R.BODY),
    _R.NOTE.value: (_R.NOTE, _R.SIGNATURE, _R.FRONT_EXTRA, _R.CAPTION, *_SPEECH_START, _R.BODY),
    _R.SIGNATURE.value: (_R.FRONT_EXTRA, _R.CAPTION, *_SPEECH_START, _R.BODY),
    _R.HEADING.value: (_R.HEADING, _R.SPEAKER, _R.SPEAKER_INLINE, *_SPEECH_LEVEL),
    _R.SPEAKER.value: (_R.HEADING, _R.SPEAKER_INLINE, *_SPEECH_LEVEL),
    _R.SPEAKER_INLINE.value: (*_SPEECH_START, *_SPEECH_LEVEL, _R.SPEAKER_AFTER),
    _R.SPEAKER_AFTER.value: (*_SPEECH_START, _R.BODY, _R.CREDIT, _R.CAPTION, _R.SPEAKER_AFTER),
    **{role.value: (*_SPEECH_START, *_SPEECH_LEVEL, _R.SPEAKER_AFTER) for role in _SPEECH_LEVEL},
}
"""The genre's grammar: which role may follow which (the first role after `<start>`)."""

FEATURES_VERSION = 3

_DASH = "—─―–-"
_SECTION_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、是]|[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十]+|\d{1,2}[.、．])"
)
_PHOTO_CREDIT = re.compile(r"(?:摄|供图|发|摄影报道|制图|绘)$")
_PHOTO_CREDIT_MARK = re.compile(r"(?:摄|供图|摄影报道)$")
"""The unambiguous credit endings (a heading may end in 发 or 绘: 蓄势待发, 共绘)."""
_CAPTION_START = re.compile(r"^(?:图[①②③④⑤⑥⑦⑧⑨⑩\d一二三四五六七八九]*[：:为]|图为|上图|下图|左图|右图)")
BYLINE = re.compile(
    r"^(?:本报|人民日报|新华社|人民网|央视|光明日报|经济日报)?[^，。：]{0,12}(?:记者|通讯员|特约撰稿人)\s"
)
"""A reporter's byline (本报记者  张  洋), matched on the text with a space appended."""
CREDIT = re.compile(r"^[（(].*(?:整理|采写|采访|记者|作者|撰稿|供稿|编辑|参与).*[）)]$")
"""A credit line in brackets: （本报记者…采访整理）, （作者为…）."""
_DATA_SOURCE = re.compile(r"^(?:数据来源|资料来源|来源|制图|版式设计|本期统筹|融媒合作)[：:]")
SERIES_TAG = re.compile(r"^(【[^】]+】|〔[^〕]+〕|［[^］]+］|\[[^\]]+\])\s*(.*)$")
"""A bracketed series tag before a title (【学习贯彻…】), and the rest of the line."""
SIDEBAR_LABELS = frozenset(
    (
        "编辑手记",
        "记者手记",
        "采访手记",
        "编后",
        "编后语",
        "链接",
        "相关链接",
        "延伸阅读",
        "背景链接",
        "知识链接",
        "小贴士",
    )
)
"""A newspaper's labels for boxes beside the articles (a note after them, a fact box)."""
_BRACKET_LABEL = re.compile(r"【[^】]{1,8}】")
_INLINE_NAME = re.compile(rf"^(?P<name>[{HAN}]{{2,4}}|[{HAN}] [{HAN}])[：:](?P<rest>.+)$")
_INLINE_SPEAKER = re.compile(r"^(?P<who>[^：:。；！？，]{4,48})[：:](?P<rest>.{2,})$")


def is_header_like(text: str) -> bool:
    """Short, with ideographs, and not ending like running text (。，；： end sentences and clauses)."""
    return len(text) <= 40 and count_han(text) >= 2 and _end_class(text) not in ("period", "comma", "colon")


def _length_bucket(n: int) -> str:
    for limit in (2, 4, 8, 12, 16, 24, 32, 45, 60, 90, 150):
        if n <= limit:
            return str(limit)
    return "long"


def _end_class(text: str) -> str:
    last = text[-1]
    if last in "。":
        return "period"
    if last in "！!":
        return "exclaim"
    if last in "？?":
        return "question"
    if last in "：:":
        return "colon"
    if last in "，,；;、":
        return "comma"
    if last in "”’」』":
        return "close-quote-sentence" if ends_sentence(text) else "close-quote"
    if last in "）)】］〕":
        return "close-paren"
    if last in _DASH:
        return "dash"
    if last in "…":
        return "ellipsis"
    if is_han(last):
        return "han"
    if last.isdigit():
        return "digit"
    return "other"


def _start_class(text: str) -> str:
    first = text[0]
    if first in "“‘「『":
        return "open-quote"
    if first in "（(":
        return "open-paren"
    if first in _DASH:
        return "dash"
    if first in "【［〔[":
        return "bracket"
    if first.isdigit():
        return "digit"
    if is_han(first):
        return "han"
    return "other"


def _shape(block: Block) -> str:
    """A coarse look of a block, for counting how many blocks on the page share it."""
    text = block.text
    speaker = best_split(text)
    return "|".join(
        (
            _length_bucket(len(text)) if len(text) <= 60 else "long",
            _end_class(text),
            "sp" if speaker is not None else "-",
            "space" if " " in text else "-",
            _start_class(text),
        )
    )


def block_features(block: Block) -> list[str]:
    """What one block looks like on its own."""
    text = block.text
    han = count_han(text)
    features = [
        "bias",
        f"len={_length_bucket(len(text))}",
        f"end={_end_class(text)}",
        f"start={_start_class(text)}",
        f"sentences={min(3, sum(text.count(mark) for mark in SENTENCE_END))}",
    ]
    if han * 2 < len(text.replace(" ", "")):
        features.append("mostly-not-han")
    if " " in text:
        features.append("has-space")
        if "  " in text or text.count(" ") >= 2:
            features.append("several-spaces")
    if "，" in text or "," in text:
        features.append("has-comma")
    if "、" in text:
        features.append("has-enumeration-comma")
    if "：" in text or ":" in text:
        features.append("has-colon")
    if "“" in text:
        features.append("has-quote")
    if "？" in text or "！" in text:
        features.append("has-question-or-exclaim")
    if block.indented:
        features.append("indented")
    core = text.rstrip("".join(CLOSING))
    if core and core[-1] in SENTENCE_END and len(text) <= 30:
        features.append("short-sentence")
    if is_header_like(text):
        features.append("header-like")
    if len(text) > 90 or (len(text) > 40 and ends_sentence(text)):
        features.append("running-text")
    inline_name = _INLINE_NAME.match(text)
    if inline_name and looks_like_name(inline_name["name"]):
        # a turn cut at a column break keeps only a few characters after the colon (王芳芳：新就业)
        features.append("inline-name" if len(inline_name["rest"]) >= 10 else "inline-name-short")
    features.extend(_speaker_features(text))
    if looks_like_name(text):
        features.append("name-alone")
    if re.fullmatch(rf"[{_DASH}]{{1,3}}\s*编\s*者", text):
        features.append("editor-signature")
    if text.startswith("编者按"):
        features.append("editor-note-head")
    if len(text) <= 8 and text[-1] in "：:":
        features.append("label-colon")  # 对话嘉宾：, 访谈嘉宾： head a list, not a speech
    if text in SIDEBAR_LABELS or _BRACKET_LABEL.fullmatch(text):
        features.append("sidebar-label")
    if text[0] in _DASH:
        features.append("dash-start")
        features.append(f"dash-start-len={_length_bucket(len(text))}")
    if SERIES_TAG.match(text):
        features.append("series-tag")
    if _SECTION_NUMBER.match(text):
        features.append("section-number")
    if _PHOTO_CREDIT.search(text) and len(text) <= 40:
        features.append("photo-credit")
        if _PHOTO_CREDIT_MARK.search(text):
            features.append("photo-credit-mark")
    if _CAPTION_START.match(text):
        features.append("caption-start")
    if BYLINE.match(text + " ") and len(text) <= 40:
        features.append("byline")
    if CREDIT.match(text) and len(text) <= 80:
        features.append("paren-credit")
        if "作者为" in text or "作者系" in text:
            features.append("author-credit")
    if _DATA_SOURCE.match(text):
        features.append("data-source")
    inline = _INLINE_SPEAKER.match(text)
    if inline and len(text) > 40:
        who = best_split(inline["who"])
        if who is not None:
            features.append("inline-speaker")
            if who.title_class:
                features.append(f"inline-speaker-title={who.title_class}")
    return features


_COMMON_SURNAME = math.log1p(0.5)
"""A surname held by at least 0.5 per mille of people: a run-on reading with a rarer one and no
title word before it (…深度|融合) is too weak to call a speaker line."""


def _speaker_features(text: str) -> list[str]:
    split = best_split(text)
    if split is None:
        return []
    plausible = split.title_class is not None or split.spaced or split.surname_weight >= _COMMON_SURNAME
    features = [f"speaker-surname={min(3, int(split.surname_weight))}"]
    if not plausible:
        return ["speaker-weak"]
    features.append("speaker-split")
    if split.title_class:
        features.append(f"speaker-title={split.title_class}")
    if split.spaced:
        features.append("speaker-spaced")
    if split.padded:
        features.append("speaker-padded")
    if split.name_first:
        features.append("speaker-name-first")
    features.append(f"speaker-name-len={len(split.name)}")
    if split.title_class and split.spaced:
        features.append("speaker-strong")
    if names_an_organisation(split.affiliation):
        features.append("speaker-organisation")
        if split.title_class:
            features.append(f"speaker-organisation&{split.title_class}")
    return features


def page_features(blocks: Sequence[Block]) -> list[list[str]]:
    """Each block's features: its own, its neighbours' (prefixed), its position, its page's pattern."""
    own = [block_features(block) for block in blocks]
    order = _page_order(own)
    shapes = [_shape(block) for block in blocks]
    shape_counts = Counter(shapes)
    indented_share = sum(block.indented for block in blocks) / max(1, len(blocks))
    first_long = next((i for i, b in enumerate(blocks) if len(b.text) > 90), len(blocks))
    out: list[list[str]] = []
    for i, features in enumerate(own):
        row = list(features)
        row.append(f"position={min(i, 4)}")
        row.append(f"page-order={order}")
        for mark in ("header-like", "speaker-strong", "speaker-split", "running-text"):
            if mark in features:
                row.append(f"page-order={order}&{mark}")
                for offset, side in ((-1, "prev"), (1, "next")):
                    j = i + offset
                    if 0 <= j < len(blocks):
                        row.extend(
                            f"{order}&{mark}&{side}:{f}"
                            for f in own[j]
                            if f in ("header-like", "speaker-strong", "speaker-split", "running-text")
                        )
        if i < first_long:
            row.append("before-first-long")
        if i == len(blocks) - 1:
            row.append("last-block")
        repeats = shape_counts[shapes[i]]
        if repeats >= 3 and len(blocks[i].text) <= 60:
            row.append("repeated-shape")
            row.extend(f"repeated&{f}" for f in features if f.startswith(("speaker", "end=", "len=")))
        if indented_share > 0.3:
            row.append("page-indents" if blocks[i].indented else "page-indents&not-indented")
        for offset, name in ((-1, "prev"), (1, "next"), (2, "next2"), (-2, "prev2")):
            j = i + offset
            if 0 <= j < len(blocks):
                row.extend(f"{name}:{f}" for f in own[j] if _CONTEXT_FEATURE.match(f))
            else:
                row.append(f"{name}:none")
        out.append(row)
    return out


_CONTEXT_FEATURE = re.compile(
    r"^(len=|end=|speaker-strong|speaker-split|speaker-title|name-alone|byline|paren-credit|photo-credit|"
    r"caption-start|editor-signature|section-number|inline-speaker$|inline-name|header-like|running-text|dash-start$)"
)


def _page_order(own: Sequence[Sequence[str]]) -> str:
    """Whether this page prints headings before speaker lines (HS) or after them (SH), by majority.

    Counted over speaker-like lines: is the block just before them header-like, or the one just
    after? Five speeches of one shape outvote one odd block."""
    before = after = 0
    for i, features in enumerate(own):
        if "speaker-strong" not in features and "speaker-split" not in features:
            continue
        if i > 0 and "header-like" in own[i - 1] and "speaker-split" not in own[i - 1]:
            before += 1
        if i + 1 < len(own) and "header-like" in own[i + 1] and "speaker-split" not in own[i + 1]:
            after += 1
    if before == after:
        return "none"
    return "HS" if before > after else "SH"


class Weights:
    """Learned weights: (feature, role) emission weights and (role, role) transition weights."""

    def __init__(self, emission: dict[str, dict[str, float]], transition: dict[str, dict[str, float]]) -> None:
        self.emission = emission
        self.transition = transition
        self._steps: dict[str, list[tuple[str, float]]] = {}

    def steps_from(self, previous: str) -> list[tuple[str, float]]:
        """The roles (their values) the grammar allows after `previous`, each with its transition
        weight (computed once per role: the decoder asks for them at every block)."""
        found = self._steps.get(previous)
        if found is None:
            found = self._steps[previous] = [
                (role.value, self.transition_score(previous, role)) for role in ALLOWED[previous]
            ]
        return found

    def emission_scores(self, features: Sequence[str]) -> dict[str, float]:
        """Every role's score for one block (a role no feature speaks for scores 0)."""
        totals = dict.fromkeys(_ROLE_VALUES, 0.0)
        for feature in features:
            row = self.emission.get(feature)
            if row:
                for role, weight in row.items():
                    totals[role] += weight
        return totals

    def transition_score(self, previous: str, role: BlockRole) -> float:
        return self.transition.get(previous, {}).get(role.value, 0.0)

    def to_json(self) -> str:
        return json.dumps(
            {"features_version": FEATURES_VERSION, "emission": self.emission, "transition": self.transition},
            ensure_ascii=False,
            sort_keys=True,
            indent=0,
        )


@lru_cache(maxsize=1)
def shipped_weights() -> Weights:
    """The weights learned from the corpus's tuning part (data/structure.json)."""
    text = resources.files("compiler").joinpath("data", "structure.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return Weights(data["emission"], data["transition"])


ANCHORS: dict[str, tuple[BlockRole, ...]] = {
    "editor-signature": (_R.SIGNATURE,),
    "data-source": (_R.FRONT_EXTRA, _R.CAPTION),
    "photo-credit-mark": (_R.FRONT_EXTRA, _R.CAPTION),
}
"""Features that leave a block one role (or one kind of role) only, whatever the weights say:
——编者 signs the editor's note; a chart's source (数据来源：…) and a photo's credit (…摄, …供图)
belong to a picture, in the title area or beside the speeches. The grammar then carries the
certainty to the blocks around it (what comes before a signature is the note, what comes before
the note is the title block)."""


REQUIRES: dict[BlockRole, tuple[str, ...]] = {
    _R.BYLINE: ("byline",),
    _R.CREDIT: ("paren-credit",),
    _R.SPEAKER_AFTER: ("dash-start", "speaker-split"),
}
"""Roles defined by marks: a byline names a reporter (记者, 通讯员), a credit line is bracketed
(（…采访整理）, （作者为…）), a closing signature is a dash and a speaker (——摘自《…》 cites a book).
Without its marks a block cannot take the role, however much else about it looks like one
(雷佳音（演员） under a heading is not a byline because bylines also sit under headings)."""


EXCLUDES: dict[str, tuple[BlockRole, ...]] = {
    "byline": (_R.SPEAKER, _R.HEADING),
}
"""Marks that rule roles out: a reporter's byline (本报记者  崔  寅) is never the speaker or a
heading, though it has a speaker line's shape (a title word, a spaced name)."""


def ruled_out(row: Sequence[str]) -> frozenset[str]:
    """The roles (their values: the decoder's keys) one block cannot take, whatever the weights:
    all but an anchor's, any role whose mark the block lacks, any role one of its marks excludes."""
    present = set(row)
    out = {role for role, marks in REQUIRES.items() if not present.issuperset(marks)}
    for feature, roles in EXCLUDES.items():
        if feature in present:
            out.update(roles)
    for feature, roles in ANCHORS.items():
        if feature in present:
            out.update(role for role in ROLES if role not in roles)
            break
    return frozenset(role.value for role in out)


def decode(features: Sequence[Sequence[str]], weights: Weights) -> list[BlockRole]:
    """The best role sequence under the grammar (Viterbi); every page has one since BODY is always allowed."""
    if not features:
        return []
    scores: list[dict[str, float]] = []
    back: list[dict[str, str]] = []
    previous = {START: 0.0}
    for row in features:
        emissions = weights.emission_scores(row)
        forbidden = ruled_out(row)
        current: dict[str, float] = {}
        pointers: dict[str, str] = {}
        for prev_role, prev_score in previous.items():
            for value, transition in weights.steps_from(prev_role):
                if value in forbidden:
                    continue
                score = prev_score + transition + emissions[value]
                if score > current.get(value, -math.inf):
                    current[value] = score
                    pointers[value] = prev_role
        if not current:  # unreachable by the grammar's construction; keep the text as body
            current = {_R.BODY.value: max(previous.values())}
            pointers = {_R.BODY.value: next(iter(previous))}
        scores.append(current)
        back.append(pointers)
        previous = current
    last = max(previous, key=lambda role: previous[role])
    path = [last]
    for pointers in reversed(back[1:]):
        path.append(pointers[path[-1]])
    return [BlockRole(role) for role in reversed(path)]


def tag_blocks(blocks: Sequence[Block], weights: Weights | None = None) -> list[BlockRole]:
    """The role of every block of one page."""
    return decode(page_features(blocks), weights or shipped_weights())
