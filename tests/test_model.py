"""Model: JSON round trip (property), version refusal, malformed JSON refused in one sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.errors import ModelFormatError
from compiler.model import (
    Book,
    Compilation,
    CorrectionRecord,
    EditorNote,
    Paragraph,
    ParagraphRole,
    Repair,
    RepairKind,
    Span,
    Speaker,
    Speech,
    book_from_json,
    from_json,
    to_json,
)

text = st.text(min_size=1, max_size=20)
maybe_text = st.none() | text
spans = st.tuples(st.integers(1, 10_000), st.integers(1, 10_000)).map(lambda t: Span(*t))
paragraphs = st.builds(
    Paragraph,
    text=text,
    sources=st.tuples(spans) | st.tuples(),
    role=st.sampled_from(ParagraphRole),
    indented=st.booleans(),
)
speakers = st.builds(Speaker, affiliation=text, name=text, line=st.just("") | text)
speeches = st.builds(
    Speech,
    heading=maybe_text,
    speaker=st.none() | speakers,
    paragraphs=st.lists(paragraphs, max_size=3).map(tuple),
    line=st.none() | st.integers(1, 10_000),
)
repairs = st.builds(
    Repair,
    kind=st.sampled_from(RepairKind),
    speech=maybe_text,
    cut_line=st.integers(0, 10_000),
    left=text,
    right=text,
    score=st.floats(0, 100, allow_nan=False),
    confidence=st.floats(0, 1),
    source=spans,
    moved_paragraphs=st.integers(0, 10),
    evidence=st.text(max_size=30),
)
corrections = st.builds(
    CorrectionRecord, speech=maybe_text, line=st.integers(0, 10_000), context=text, found=text, replaced_by=text
)
compilations = st.builds(
    Compilation,
    title=maybe_text,
    kicker=maybe_text,
    subtitle=maybe_text,
    front_matter=st.lists(paragraphs, max_size=2).map(tuple),
    series=maybe_text,
    editor_note=st.none()
    | st.builds(EditorNote, paragraphs=st.lists(paragraphs, max_size=2).map(tuple), signature=maybe_text),
    speeches=st.lists(speeches, max_size=3).map(tuple),
    repairs=st.lists(repairs, max_size=2).map(tuple),
    corrections=st.lists(corrections, max_size=2).map(tuple),
)


books = st.builds(
    Book,
    title=text,
    parts=st.lists(compilations, min_size=1, max_size=3).map(tuple),
    subtitle=maybe_text,
    editor=maybe_text,
    publisher=maybe_text,
    date=maybe_text,
    isbn=maybe_text,
    language=st.sampled_from(["zh-CN", "zh-TW", "en"]),
)


@given(books)
def test_book_json_round_trip(book: Book) -> None:
    text = to_json(book)
    assert json.loads(text)["format"] == "speech-book" and json.loads(text)["version"][0] == 1
    assert book_from_json(text) == book


def test_a_book_is_not_read_as_a_compilation_nor_the_reverse(seed_model: Compilation) -> None:
    with pytest.raises(ModelFormatError, match="not a speech-compilation model"):
        from_json(to_json(Book(title="书", parts=(seed_model,))))
    with pytest.raises(ModelFormatError, match="not a speech-book model"):
        book_from_json(to_json(seed_model))


@given(compilations)
def test_json_round_trip(doc: Compilation) -> None:
    assert from_json(to_json(doc)) == doc


def test_seed_round_trip_and_readable_json(seed_model: Compilation) -> None:
    serialised = to_json(seed_model)
    assert from_json(serialised) == seed_model
    data = json.loads(serialised)
    assert data["format"] == "speech-compilation" and data["version"][0] == 2
    assert "信春鹰" in serialised  # UTF-8, not ASCII-escaped
    speech = data["speeches"][0]
    assert set(speech) >= {"heading", "speaker", "paragraphs"}
    assert set(speech["speaker"]) == {"affiliation", "name", "line"}
    assert isinstance(speech["paragraphs"][0]["text"], str)


def test_a_version_1_credit_becomes_a_credit_paragraph() -> None:
    data = {
        "format": "speech-compilation",
        "version": [1, 1],
        "title": "T",
        "speeches": [
            {"heading": "H", "speaker": {"affiliation": "某局局长", "name": "张三"}, "paragraphs": ["一段。"],
             "credit": "（本报记者 李四整理）"}
        ],
        "repairs": [],
    }
    speech = from_json(json.dumps(data)).speeches[0]
    assert [p.role for p in speech.paragraphs] == [ParagraphRole.BODY, ParagraphRole.CREDIT]
    assert speech.paragraphs[-1].text == "（本报记者 李四整理）"
    assert speech.speaker is not None and speech.speaker.printed == "某局局长\u3000张三"


def test_a_version_2_0_correction_repair_becomes_a_correction_record() -> None:
    data = {
        "format": "speech-compilation",
        "version": [2, 0],
        "title": "T",
        "speeches": [],
        "repairs": [
            {"kind": "correct", "speech": "H — 张三", "cut_line": 7, "left": "上下文批示批示", "right": "批示",
             "score": 0.0, "confidence": 1.0, "source": [7, 7], "evidence": "approved by the editor"}
        ],
    }
    doc = from_json(json.dumps(data))
    assert doc.repairs == ()
    assert doc.corrections == (CorrectionRecord("H — 张三", 7, "上下文批示批示", "", "批示"),)


def test_paragraphs_may_be_plain_strings() -> None:
    data = {
        "format": "speech-compilation",
        "version": [1, 0],
        "title": "T",
        "speeches": [{"heading": "H", "speaker": None, "paragraphs": ["一段。"]}],
        "repairs": [],
    }
    doc = from_json(json.dumps(data))
    assert doc.speeches[0].paragraphs == (Paragraph("一段。"),)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "must be an object"),
        (
            '{"format": "speech-compilation", "version": [1, 0], "title": "\\ud800", "speeches": [], "repairs": []}',
            "lone surrogate",
        ),
        ('{"format": "other", "version": [1, 0]}', "not a speech-compilation model"),
        ('{"format": "speech-compilation", "version": [3, 0]}', "version \\[3, 0\\] is not supported"),
        ('{"format": "speech-compilation", "version": [1, 0], "title": 3, "speeches": [], "repairs": []}', "title"),
        (
            '{"format": "speech-compilation", "version": [1, 0], '
            '"speeches": [{"paragraphs": [{"text": "x", "role": "odd"}]}], "repairs": []}',
            "role",
        ),
    ],
)
def test_bad_json_is_refused_in_one_sentence(document: str, message: str) -> None:
    with pytest.raises(ModelFormatError, match=message):
        from_json(document)


def test_seed_model_fixture_is_current(seed_model: Compilation) -> None:
    """Writer tests start from tests/data/seed.model.json; it must be what the pipeline gives today."""
    fixture = Path(__file__).parent / "data" / "seed.model.json"
    assert from_json(fixture.read_text(encoding="utf-8")) == seed_model, (
        "the seed's model changed; if that is intended, accept it with:\n"
        "  .venv/bin/compiler parse seeds/000_e966b2786ad61c87.txt -o tests/data/seed.model.json"
    )
