"""Gold block roles of a labelled page, derived from its structure answer.

The answers (NAME.expected.json) say what the kicker, title, note, headings, speakers and
paragraphs are; the tagger learns and is measured on roles per block. This module lines the two
up: each block of the page text is found in the answer (texts compared without white space).
A block no rule explains is reported, so a wrong answer or a new convention shows at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from compiler.read import Block, read_bytes, read_file
from compiler.structure import BlockRole
from tests.corpus.scoring import norm, para_text

_R = BlockRole




@dataclass
class LabelledPage:
    name: str
    blocks: list[Block]
    roles: list[BlockRole]
    unexplained: list[int]
    """Indices of blocks the answer did not account for (labelled BODY)."""


_BYLINE = re.compile(r"^(?:本报|人民日报|新华社|人民网|央视|光明日报|经济日报)?[^，。：]{0,12}(?:记者|通讯员)")
_CREDIT = re.compile(r"^[（(].*[）)]$")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、是]|[（(][一二三四五六七八九十]+[）)])")


def _paragraph_role(text: str) -> BlockRole:
    compact = norm(text)
    if _CREDIT.match(compact) and len(compact) <= 80:
        return _R.CREDIT
    if _BYLINE.match(compact) and len(compact) <= 40 and compact[-1] not in "。！？":
        return _R.BYLINE
    core = compact.rstrip("”’）)")
    if len(compact) <= 30 and (not core or core[-1] not in "。！？…：") :
        return _R.SECTION
    if len(compact) <= 24 and _NUMBERED.match(compact):
        return _R.SECTION
    return _R.BODY


def label_page(txt: Path) -> LabelledPage:
    answer = json.loads(Path(str(txt)[: -len(".txt")] + ".expected.json").read_text(encoding="utf-8"))
    blocks = list(read_file(txt).blocks)
    return LabelledPage(txt.stem, blocks, *_roles(blocks, answer))


def label_text(name: str, text: str, answer: dict) -> LabelledPage:
    """Roles of a page given as text (a damaged copy): pieces of cut paragraphs are body, pieces
    of the editor's note's paragraphs are note."""
    blocks = list(read_bytes(text.encode("utf-8")).blocks)
    return LabelledPage(name, blocks, *_roles(blocks, answer))


def _roles(blocks: list[Block], answer: dict) -> tuple[list[BlockRole], list[int]]:
    texts = [norm(b.text) for b in blocks]
    unscored = {norm(u) for u in answer.get("unscored") or []}
    note = answer.get("editor_note") or {}
    note_paras = {norm(para_text(p)) for p in note.get("paragraphs") or []}
    signature = norm(note.get("signature"))
    headings = {norm(s.get("heading")) for s in answer["speeches"]} - {""}
    speakers: list[tuple[str, str]] = []
    paragraphs: dict[str, BlockRole] = {}
    for speech in answer["speeches"]:
        sp = speech.get("speaker") or {}
        speakers.append((norm(sp.get("affiliation")), norm(sp.get("name"))))
        for p in speech.get("paragraphs") or []:
            paragraphs.setdefault(norm(para_text(p)), _paragraph_role(para_text(p)))
    roles: list[BlockRole | None] = [None] * len(blocks)
    unexplained: list[int] = []
    title_parts = {key: norm(answer.get(key)) for key in ("kicker", "title", "subtitle")}
    first_header = None
    for i, text in enumerate(texts):
        role = _front_role(text, title_parts, texts, i)
        if role is None and (text in note_paras or any(_labelled(text, p, unscored) for p in note_paras)):
            role = _R.NOTE
        if role is None and signature and text == signature:
            role = _R.SIGNATURE
        if role is None and (text in headings or _part_of_heading(texts, i, headings)):
            role = _R.HEADING
        if role is None:
            role = _speaker_role(text, speakers, unscored, paragraphs)
        if role is None and text in paragraphs:
            role = paragraphs[text]
        if role is None and text in unscored:
            role = _R.CAPTION
        if role is None and (text.startswith("（作者为") or text.startswith("(作者为") or "，本报记者" in text):
            role = _R.CREDIT
        if role is None and _piece_of(text, note_paras) and not _piece_of(text, paragraphs.keys()):
            role = _R.NOTE  # a piece of a cut note paragraph (damaged copies) is still the note
        if role is None:
            unexplained.append(i)
            role = _R.BODY
        if first_header is None and role in (_R.HEADING, _R.SPEAKER, _R.SPEAKER_INLINE, _R.SPEAKER_AFTER, _R.BODY):
            first_header = i
        roles[i] = role
    final: list[BlockRole] = []
    for i, role in enumerate(roles):
        assert role is not None
        before_speeches = first_header is None or i < first_header
        if before_speeches and role in (_R.CAPTION, _R.BYLINE, _R.CREDIT):
            role = _R.FRONT_EXTRA
        final.append(role)
    return final, unexplained


def _labelled(text: str, whole: str, unscored: set[str]) -> bool:
    """The text is an unscored label (编者按：, 讲述人：) and then `whole`; a leading dash is a
    signature's mark, not a label."""
    label = text[: len(text) - len(whole)]
    return bool(whole) and text.endswith(whole) and label in unscored and not label.startswith("—")


def _piece_of(text: str, wholes: Iterable[str]) -> bool:
    return bool(text) and any(text in whole for whole in wholes)


def _front_role(text: str, parts: dict[str, str], texts: list[str], i: int) -> BlockRole | None:
    for key, role in (("title", _R.TITLE), ("kicker", _R.KICKER), ("subtitle", _R.SUBTITLE)):
        whole = parts[key]
        if not whole:
            continue
        if text == whole:
            return role
        # A title printed over two lines (joined in the answer).
        if text and text in whole and (
            (i + 1 < len(texts) and text + texts[i + 1] == whole) or (i > 0 and texts[i - 1] + text == whole)
        ):
            return role
    return None


def _part_of_heading(texts: list[str], i: int, headings: set[str], most: int = 4) -> bool:
    """Block i is one line of a heading printed on up to `most` lines (joined in the answer)."""
    if not texts[i]:
        return False
    for first in range(max(0, i - most + 1), i + 1):
        for last in range(max(i, first + 1), min(len(texts), first + most)):
            if "".join(texts[first : last + 1]) in headings:
                return True
    return False


def _speaker_role(
    text: str, speakers: list[tuple[str, str]], unscored: set[str], paragraphs: dict[str, BlockRole]
) -> BlockRole | None:
    for affiliation, name in speakers:
        whole = affiliation + name
        stripped = text.strip("：:—")
        if not name:
            # a team or an office speaks (…青年创新团队——, 西部计划全国项目办): the line is the affiliation
            if affiliation and stripped == affiliation:
                return _R.SPEAKER_AFTER if text.startswith("—") else _R.SPEAKER
            continue
        if stripped in (whole, name + "（" + affiliation + "）", name + "(" + affiliation + ")") or (
            stripped == name and affiliation
        ):
            return _R.SPEAKER_AFTER if text.startswith("—") else _R.SPEAKER
        if text == name + affiliation or (name and stripped == name):
            return _R.SPEAKER
        if text.startswith(whole) and text[len(whole) :] in unscored:
            return _R.SPEAKER
        for sep in ("：", ":"):
            prefix = whole + sep
            if text.startswith(prefix) and text[len(prefix) :] in paragraphs:
                return _R.SPEAKER_INLINE
            for form in (name + "（" + affiliation + "）", name + "代表（" + affiliation + "）"):
                if text.startswith(form + sep):
                    return _R.SPEAKER_INLINE
        if len(text) > len(whole) + 1 and text.startswith(whole) and text[len(whole)] in "：:":
            return _R.SPEAKER_INLINE
        if _labelled(text, whole, unscored):
            return _R.SPEAKER  # a label before the line (讲述人：职务  姓名), the label unscored
    return None


def main() -> None:
    import sys

    for path in sys.argv[1:]:
        page = label_page(Path(path))
        for i, (block, role) in enumerate(zip(page.blocks, page.roles, strict=True)):
            flag = "  ??" if i in page.unexplained else ""
            print(f"{role.value:15} {block.text[:50]}{flag}")


if __name__ == "__main__":
    main()
