"""A compact, readable outline of a model, for fixture-file expectations."""

from __future__ import annotations

from compiler.model import Compilation, ParagraphRole


def outline(doc: Compilation) -> str:
    """One line per thing an editor would name: title block, note, speeches with paragraph counts."""
    lines = []
    for label, value in (
        ("series", doc.series),
        ("kicker", doc.kicker),
        ("title", doc.title),
        ("subtitle", doc.subtitle),
    ):
        if value is not None:
            lines.append(f"{label}: {value}")
    if doc.editor_note is not None:
        lines.append(f"note: {len(doc.editor_note.paragraphs)} | {doc.editor_note.signature}")
    for speech in doc.speeches:
        speaker = "-" if speech.speaker is None else f"{speech.speaker.affiliation} | {speech.speaker.name}"
        subheadings = sum(p.role is ParagraphRole.SUBHEADING for p in speech.paragraphs)
        extra = f" | {subheadings} subheading(s)" if subheadings else ""
        credits = [p.text for p in speech.paragraphs if p.role is ParagraphRole.CREDIT]
        credit = "".join(f" | credit: {text}" for text in credits)
        body = sum(p.role is not ParagraphRole.CREDIT for p in speech.paragraphs)
        lines.append(f"speech: {speech.heading or '-'} | {speaker} | {body}{extra}{credit}")
    return "\n".join(lines)
