"""The damage generator breaks pages the way print does, and its record tells the truth about it.

Recovery scores are only as good as the damage they are measured on: a cut that is not really a
cut, a lost character, or a wrong junction kind would make the scorer's figures lie.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.corpus.damage import (
    DEFAULT_PAGES,
    INDENT,
    classify_cut,
    damage_page,
    main,
    page_names,
    read_page,
    write_damaged,
)

PAGES = page_names(DEFAULT_PAGES)
SEEDS = range(12)
SPACE = re.compile(r"[\s\ufeff]+")
SENTENCE_END = re.compile(r"[。！？…][”’）》」』]*$")


def squash(text: str) -> str:
    return SPACE.sub("", text)


def blocks_of(text: str) -> list[str]:
    """The damaged page's blocks: joined by one blank line, the page ending in one newline."""
    assert text.endswith("\n") and not text.endswith("\n\n")
    return text[:-1].split("\n\n")


def cut_cleanly(damaged: str, clean: str) -> bool:
    """Every damaged block that starts (ends) with white space starts (ends) a clean block the same way:
    a cut never leaves a space at the edge of a half."""
    originals = [line for line in clean.split("\n") if line.strip()]
    for block in blocks_of(damaged):
        if block[:1].isspace() and not any(o.startswith(block) or block in o for o in originals):
            return False
        if block[-1:].isspace() and not any(o.endswith(block) or block in o for o in originals):
            return False
    return True


def paragraph_of(answer: dict[str, Any], split: dict[str, Any]) -> str:
    """The answer paragraph a split points at, whitespace removed (KeyError/IndexError if it points nowhere)."""
    if split["where"] == "editor_note":
        item = answer["editor_note"]["paragraphs"][split["paragraph"]]
    else:
        item = answer["speeches"][split["speech"]]["paragraphs"][split["paragraph"]]
    return squash(item if isinstance(item, str) else item["text"])


def expected_kind(head: str) -> str:
    """The scorer's junction kinds, written independently of the generator."""
    if head[-1] in "，、；：":
        return "clause"
    if SENTENCE_END.search(head):
        return "sentence"
    return "word"


def joins(block: str, paragraph: str) -> bool:
    """Whether `block` (whitespace removed) ends with the start of `paragraph`: the paragraph begins there."""
    return any(block.endswith(paragraph[:k]) for k in range(min(len(block), len(paragraph)), 1, -1))


QUICK_PAGES = 5
"""`make quick` damages one page in fifteen or so; `make test` damages them all."""


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(name, marks=() if n % (len(PAGES) // QUICK_PAGES or 1) == 0 else pytest.mark.slow)
        for n, name in enumerate(PAGES)
    ],
)
def page(request: pytest.FixtureRequest) -> tuple[str, str, dict[str, Any]]:
    name = request.param
    text, answer = read_page(DEFAULT_PAGES, name)
    return name, text, answer


def damaged_copies(name: str, text: str, answer: dict[str, Any], mode: str | None = None) -> list[Any]:
    return [damage_page(text, answer, random.Random(f"test/{name}/{s}"), indent_mode=mode) for s in SEEDS]


# --- conservation ---------------------------------------------------------------------------


def test_corpus_is_present() -> None:
    assert len(PAGES) >= 20


def test_every_character_kept_exactly_once(page: tuple[str, str, dict[str, Any]]) -> None:
    name, text, answer = page
    for damaged in damaged_copies(name, text, answer):
        assert Counter(squash(damaged.text)) == Counter(squash(text))


def test_no_whitespace_lost_or_added_without_indentation(page: tuple[str, str, dict[str, Any]]) -> None:
    """With indentation off, only block separators differ: the cuts never drop a space."""
    name, text, answer = page
    for damaged in damaged_copies(name, text, answer, mode="none"):
        assert Counter(damaged.text.replace("\n", "")) == Counter(text.replace("\n", ""))
        assert cut_cleanly(damaged.text, text)


# --- the record matches the damage ----------------------------------------------------------


def test_splits_are_real_cuts(page: tuple[str, str, dict[str, Any]]) -> None:
    name, text, answer = page
    for damaged in damaged_copies(name, text, answer):
        blocks = [squash(b) for b in blocks_of(damaged.text)]
        splits = damaged.meta["splits"]
        assert 1 <= len(splits) <= len(answer["speeches"]) + 2
        assert len({(s["where"], s.get("speech"), s["paragraph"]) for s in splits}) == len(splits)
        for split in splits:
            whole = paragraph_of(answer, split)
            head, tail = whole[: split["offset"]], whole[split["offset"] :]
            assert len(head) >= 2 and len(tail) >= 2
            assert whole not in blocks, f"{name}: {split} still whole"
            assert tail in blocks, f"{name}: tail of {split} is not a block"
            assert any(b.endswith(head) for b in blocks), f"{name}: head of {split} is not a block's end"


def test_meta_shape(page: tuple[str, str, dict[str, Any]]) -> None:
    name, text, answer = page
    for damaged in damaged_copies(name, text, answer):
        meta = damaged.meta
        assert meta["indent"] in {"none", "body", "all"}
        assert meta["unlocated"] == 0
        displaced = [s for s in meta["splits"] if s["displaced"]]
        assert len(displaced) <= 3
        assert len({s["speech"] for s in displaced}) == len(displaced)
        for split in meta["splits"]:
            assert split["kind"] in {"word", "clause", "sentence"}
            if split["where"] == "editor_note":
                assert "speech" not in split and not split["displaced"]
            if split["displaced"]:
                assert split["landing"] in {"after-speech", "before-header", "end"}
            else:
                assert split["landing"] is None and split["whole_rest"] is False
        json.dumps(meta)


def test_kinds_match_the_text_before_the_cut(page: tuple[str, str, dict[str, Any]]) -> None:
    name, text, answer = page
    for damaged in damaged_copies(name, text, answer):
        for split in damaged.meta["splits"]:
            assert split["kind"] == expected_kind(paragraph_of(answer, split)[: split["offset"]])


def test_tails_stay_or_move_as_recorded(page: tuple[str, str, dict[str, Any]]) -> None:
    """An adjacent tail follows its head; a displaced one does not, and what follows it is as recorded."""
    name, text, answer = page
    checked = 0
    for damaged in damaged_copies(name, text, answer):
        blocks = [squash(b) for b in blocks_of(damaged.text)]
        for split in damaged.meta["splits"]:
            whole = paragraph_of(answer, split)
            head, tail = whole[: split["offset"]], whole[split["offset"] :]
            at = [i for i, b in enumerate(blocks) if b == tail]
            assert at, f"{name}: the tail of {split} is missing"
            if len(at) > 1:
                # Two credits cut at the same place leave the same tail twice (…采访|整理）): which
                # copy is whose cannot be told from the text, so only the splits with a unique tail are checked.
                continue
            checked += 1
            follows_head = at[0] > 0 and blocks[at[0] - 1].endswith(head)
            assert follows_head != split["displaced"], f"{name}: {split}"
            if not split["displaced"] or split["where"] != "speech":
                continue
            paragraphs = answer["speeches"][split["speech"]]["paragraphs"]
            if split["paragraph"] + 1 >= len(paragraphs):
                continue
            following = paragraph_of(answer, {**split, "paragraph": split["paragraph"] + 1})
            # The next paragraph follows (maybe after a speaker line printed under the body, "——职务姓名"):
            # after the tail when the rest travelled with it, after the head when the tail went alone.
            after = [at[0]] if split["whole_rest"] else [i for i, b in enumerate(blocks) if b.endswith(head)]
            assert any(joins(b, following) for i in after for b in blocks[i + 1 : i + 3]), f"{name}: {split}"
    assert checked > 0


# --- junction kinds, on a synthetic answer --------------------------------------------------

BODY = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
MARKS = "，、；：。！？…"
CLOSE = "”’）》」』"
OPEN = "“（《"
HEAD_CHARS = "甲乙丙丁戊己庚辛壬癸"
NAME_CHARS = "赵钱孙李周吴郑冯陈褚"


@given(st.text(alphabet=BODY + MARKS + CLOSE + OPEN + "0123AB", min_size=1, max_size=20),
       st.sampled_from(list(MARKS) + list(BODY[:5])), st.text(alphabet=CLOSE, max_size=3))
def test_classify_cut(prefix: str, mark: str, closers: str) -> None:
    before = prefix + mark + closers
    if mark in "，、；：" and closers:
        assert classify_cut(before) == "word"  # a closing quote after a comma is no sentence end
    elif mark in "，、；：":
        assert classify_cut(before) == "clause"
    elif mark in "。！？…":
        assert classify_cut(before) == "sentence"
    else:
        assert classify_cut(before) == "word"


paragraph_text = st.text(alphabet=BODY + MARKS + CLOSE + OPEN + "0123AB ", min_size=1, max_size=80).map(
    str.strip).filter(lambda t: len(squash(t)) >= 1)


@st.composite
def synthetic_page(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A page in the corpus's shape: title, an optional note, speeches of heading, speaker line and paragraphs."""
    n_speeches = draw(st.integers(1, 4))
    texts = draw(st.lists(paragraph_text, min_size=n_speeches + 1, max_size=n_speeches * 4 + 2,
                          unique_by=squash))
    has_note = draw(st.booleans())
    note, texts = (texts[:1], texts[1:]) if has_note else ([], texts)
    cuts = sorted(draw(st.lists(st.integers(1, max(1, len(texts) - 1)), min_size=n_speeches - 1,
                                max_size=n_speeches - 1)))
    bounds = [0, *cuts, len(texts)]
    blocks = ["标题甲乙"]
    blocks += [*note, "——编  者"] if note else []
    speeches = []
    for i in range(n_speeches):
        heading = HEAD_CHARS[i] * 3 + "癸"
        affiliation, name = "单位" + HEAD_CHARS[i], NAME_CHARS[i] * 2
        body = texts[bounds[i] : bounds[i + 1]]
        blocks += [heading, f"{affiliation}  {name}", *body]
        speeches.append({"heading": heading, "speaker": {"affiliation": affiliation, "name": name},
                         "paragraphs": body})
    answer = {"kicker": None, "title": "标题甲乙", "subtitle": None,
              "editor_note": {"paragraphs": note, "signature": "——编  者"} if note else None,
              "speeches": speeches, "unscored": []}
    return "\n\n".join(blocks) + "\n", answer


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(synthetic_page(), st.integers(0, 2**32))
def test_synthetic_pages(page: tuple[str, dict[str, Any]], seed: int) -> None:
    text, answer = page
    damaged = damage_page(text, answer, random.Random(seed), indent_mode="none")
    blocks = [squash(b) for b in blocks_of(damaged.text)]
    assert Counter(damaged.text.replace("\n", "")) == Counter(text.replace("\n", ""))
    assert all(block == block.strip() for block in blocks_of(damaged.text))  # synthetic blocks have no edge spaces
    for split in damaged.meta["splits"]:
        whole = paragraph_of(answer, split)
        head, tail = whole[: split["offset"]], whole[split["offset"] :]
        assert len(whole) >= 8 and len(head) >= 2 and len(tail) >= 2
        assert split["kind"] == expected_kind(head)
        assert whole not in blocks and tail in blocks and head in blocks


# --- indentation ----------------------------------------------------------------------------


def all_paragraphs(answer: dict[str, Any]) -> list[str]:
    note = answer.get("editor_note") or {}
    items = list(note.get("paragraphs") or []) + [p for sp in answer["speeches"] for p in sp["paragraphs"]]
    return [squash(p if isinstance(p, str) else p["text"]) for p in items]


def paragraph_blocks(clean: str, answer: dict[str, Any]) -> list[str]:
    """Clean blocks holding a paragraph (whole, or after a speaker prefix), found in reading order."""
    blocks = [squash(line) for line in clean.split("\n") if line.strip()]
    found, cursor = [], 0
    for paragraph in all_paragraphs(answer):
        hit = next((i for i in range(cursor, len(blocks)) if blocks[i].endswith(paragraph)), None)
        if paragraph and hit is not None:
            found.append(blocks[hit])
            cursor = hit + 1
    return found


def continuations(answer: dict[str, Any], meta: dict[str, Any]) -> set[str]:
    return {paragraph_of(answer, s)[s["offset"] :] for s in meta["splits"]}


def test_body_indent(page: tuple[str, str, dict[str, Any]]) -> None:
    name, text, answer = page
    headings = {squash(sp["heading"]) for sp in answer["speeches"] if squash(sp["heading"])}
    starts = paragraph_blocks(text, answer)
    # A heading may be the first words of its paragraph: such a block says nothing either way.
    others = {squash(line) for line in text.split("\n") if line.strip()} - set(starts)
    for damaged in damaged_copies(name, text, answer, mode="body"):
        tails = continuations(answer, damaged.meta)
        for block in blocks_of(damaged.text):
            flat = squash(block)
            if flat in tails:
                assert not block.startswith("\u3000"), f"{name}: continuation indented: {block[:20]}"
            elif flat not in others and any(whole.startswith(flat) for whole in starts):  # a paragraph or a head
                assert block.startswith(INDENT), f"{name}: paragraph start not indented: {block[:20]}"
            if flat in headings or flat == squash(answer.get("title")):
                assert not block.startswith("\u3000"), f"{name}: heading indented in body mode"


def test_all_and_none_indent(page: tuple[str, str, dict[str, Any]]) -> None:
    name, text, answer = page
    for damaged in damaged_copies(name, text, answer, mode="all"):
        tails = continuations(answer, damaged.meta)
        for block in blocks_of(damaged.text):
            assert block.startswith("\u3000") == (squash(block) not in tails), f"{name}: {block[:20]}"
    for damaged in damaged_copies(name, text, answer, mode="none"):
        assert not any(block.startswith("\u3000") for block in blocks_of(damaged.text))


def test_indent_modes_are_all_drawn() -> None:
    text, answer = read_page(DEFAULT_PAGES, PAGES[0])
    modes = {damage_page(text, answer, random.Random(s)).meta["indent"] for s in range(60)}
    assert modes == {"none", "body", "all"}


# --- odd inputs and reproducibility ---------------------------------------------------------


def test_unlocated_paragraphs_are_skipped() -> None:
    text, answer = read_page(DEFAULT_PAGES, PAGES[0])
    answer = json.loads(json.dumps(answer))
    answer["speeches"][0]["paragraphs"].append("这一段文字不在页面上，无法定位。")
    for s in SEEDS:
        damaged = damage_page(text, answer, random.Random(s))
        assert damaged.meta["unlocated"] == 1
        assert Counter(squash(damaged.text)) == Counter(squash(text))
        last = len(answer["speeches"][0]["paragraphs"]) - 1
        assert not any(sp.get("speech") == 0 and sp["paragraph"] == last for sp in damaged.meta["splits"])


def test_page_that_matches_nothing() -> None:
    answer = {"title": "无", "speeches": [{"heading": "甲", "speaker": {}, "paragraphs": ["不在这里的一段话"]}]}
    damaged = damage_page("第一块文字内容\n\n第二块文字内容\n", answer, random.Random(1))
    assert damaged.meta["splits"] == [] and damaged.meta["unlocated"] == 1
    assert squash(damaged.text) == "第一块文字内容第二块文字内容"


def test_same_seed_same_damage(page: tuple[str, str, dict[str, Any]]) -> None:
    name, text, answer = page
    first = damage_page(text, answer, random.Random(f"again/{name}"))
    second = damage_page(text, answer, random.Random(f"again/{name}"))
    assert first == second


def test_write_damaged_is_reproducible(tmp_path: Path) -> None:
    names = PAGES[:3]
    a = write_damaged(DEFAULT_PAGES, names, 2, tmp_path / "a", "s1")
    b = write_damaged(DEFAULT_PAGES, list(reversed(names)), 2, tmp_path / "b", "s1")
    c = write_damaged(DEFAULT_PAGES, names, 2, tmp_path / "c", "s2")
    assert sorted(p.name for p in a) == sorted(p.name for p in b) == [f"{n}~{c}.txt" for n in names for c in (0, 1)]
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == 3 * 2 * 3
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    assert any((tmp_path / "a" / p.name).read_text() != p.read_text() for p in c)
    for name in names:
        meta = json.loads((tmp_path / "a" / f"{name}~1.meta.json").read_text(encoding="utf-8"))
        assert meta["seed"] == f"s1/{name}/1"
        expected = (tmp_path / "a" / f"{name}~1.expected.json").read_bytes()
        assert expected == (DEFAULT_PAGES / f"{name}.expected.json").read_bytes()


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--pages", str(DEFAULT_PAGES), "--names", ",".join(PAGES[:2]), "--copies", "1",
                 "--out", str(tmp_path), "--seed", "cli"]) == 0
    assert "wrote 2" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == sorted(f"{n}~0.txt" for n in PAGES[:2])
