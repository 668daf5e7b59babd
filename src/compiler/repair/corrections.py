"""The editor's corrections, a transform beside the repairs: approved find-and-replace pairs from a
YAML file, applied after repair, each change recorded as a `Correction` of the model (not a repair:
no evidence is weighed, the editor decided). A correction that matches nothing is an error: the
editor's list no longer fits the text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from compiler.errors import InputError
from compiler.model import Compilation, CorrectionRecord, Paragraph, Speech
from compiler.yamlfile import load_mapping

CONTEXT = 12
"""Characters of context kept before each change."""


@dataclass(frozen=True, slots=True)
class Correction:
    """A find/replace the editor approved, optionally limited to one speech (by heading or number)."""

    find: str
    replace: str
    speech: str | None = None


def load_corrections(path: Path) -> list[Correction]:
    """Corrections from YAML: `corrections: [{find: …, replace: …, speech: …}, …]`, checked key by key."""
    data = load_mapping(path, "a corrections file")
    if set(data) != {"corrections"} or not isinstance(data["corrections"], list):
        raise InputError(f"{path}: expected one key, corrections:, holding a list")
    corrections = []
    for n, entry in enumerate(data["corrections"], start=1):
        where = f"{path}: corrections[{n}]"
        if not isinstance(entry, dict) or not {"find", "replace"} <= set(entry) <= {"find", "replace", "speech"}:
            raise InputError(f"{where}: needs find and replace (and optionally speech), nothing else")
        if not all(isinstance(entry[k], str) for k in entry if k != "speech") or not entry["find"]:
            raise InputError(f"{where}: find and replace must be texts, find not empty")
        speech = entry.get("speech")
        corrections.append(Correction(entry["find"], entry["replace"], None if speech is None else str(speech)))
    return corrections


def apply_corrections(doc: Compilation, corrections: list[Correction]) -> Compilation:
    """Apply each correction everywhere it matches (in its speech, if limited); record each change.

    A correction that matches nothing is an error: the editor's list no longer fits the text.
    """
    doc, counts = correct(doc, corrections)
    refuse_unmatched(corrections, counts)
    return doc


def refuse_unmatched(corrections: list[Correction], counts: list[int]) -> None:
    """An error for the first correction that changed nothing."""
    for correction, count in zip(corrections, counts, strict=True):
        if count == 0:
            limit = f" in speech {correction.speech!r}" if correction.speech else ""
            raise InputError(f"correction {correction.find!r} → {correction.replace!r} matches nothing{limit}")


def correct(doc: Compilation, corrections: list[Correction]) -> tuple[Compilation, list[int]]:
    """Apply the corrections; the model with a record per change, and each one's match count."""
    records = list(doc.corrections)
    counts = []
    for correction in corrections:
        speeches = list(doc.speeches)
        count = 0
        for k, speech in enumerate(speeches):
            if correction.speech is not None and correction.speech not in (speech.heading, str(k + 1)):
                continue
            paragraphs = []
            for paragraph in speech.paragraphs:
                if correction.find in paragraph.text:
                    count += paragraph.text.count(correction.find)
                    records.append(_record(speech, paragraph, correction))
                    paragraph = replace(paragraph, text=paragraph.text.replace(correction.find, correction.replace))
                paragraphs.append(paragraph)
            speeches[k] = replace(speech, paragraphs=tuple(paragraphs))
        doc = replace(doc, speeches=tuple(speeches))
        if correction.speech is None:
            doc, fixed = _correct_front(doc, correction, records)
            count += fixed
        counts.append(count)
    return replace(doc, corrections=tuple(records)), counts


def _correct_front(
    doc: Compilation, correction: Correction, records: list[CorrectionRecord]
) -> tuple[Compilation, int]:
    """Apply a correction to the title block and the editor's note; how many places it changed."""
    count = 0
    fields: dict[str, Any] = {}
    for name in ("kicker", "title", "subtitle"):
        value = getattr(doc, name)
        if value and correction.find in value:
            count += value.count(correction.find)
            records.append(_record(None, Paragraph(value), correction))
            fields[name] = value.replace(correction.find, correction.replace)
    if doc.editor_note is not None:
        paragraphs = []
        for paragraph in doc.editor_note.paragraphs:
            if correction.find in paragraph.text:
                count += paragraph.text.count(correction.find)
                records.append(_record(None, paragraph, correction))
                paragraph = replace(paragraph, text=paragraph.text.replace(correction.find, correction.replace))
            paragraphs.append(paragraph)
        fields["editor_note"] = replace(doc.editor_note, paragraphs=tuple(paragraphs))
    return replace(doc, **fields), count


def _record(speech: Speech | None, paragraph: Paragraph, correction: Correction) -> CorrectionRecord:
    at = paragraph.text.index(correction.find)
    return CorrectionRecord(
        speech=speech.label("") or None if speech is not None else None,
        line=paragraph.sources[0].first if paragraph.sources else 0,
        context=paragraph.text[max(0, at - CONTEXT) : at],
        found=correction.find,
        replaced_by=correction.replace,
    )
