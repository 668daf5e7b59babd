"""The repair stage: an ordered list of named repairs, each a pure function (doc) -> (doc, records).

As markdown-it-py's core rules, the list is data: a reader of this file knows every change the
stage can make, in order. Each repair leaves `Repair` records on the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from compiler.model import Compilation, Repair
from compiler.repair.continuations import (
    is_cut,
    join_cut_paragraphs,
    restore_displaced_fragments,
    speech_label,
)
from compiler.repair.evidence import WordModel, default_model

RepairFunction = Callable[[Compilation, WordModel], tuple[Compilation, list[Repair]]]

REPAIRS: list[tuple[str, RepairFunction]] = [
    ("restore_displaced_fragments", restore_displaced_fragments),
    ("join_cut_paragraphs", join_cut_paragraphs),
]


@dataclass(frozen=True, slots=True)
class RepairResult:
    """The repaired model (its `repairs` filled in) and what the stage could not fix."""

    compilation: Compilation
    warnings: tuple[str, ...] = ()


def repair_compilation(doc: Compilation, model: WordModel | None = None) -> RepairResult:
    """Run every repair in order and record what each changed."""
    model = model or default_model()
    records: list[Repair] = list(doc.repairs)
    for _name, step in REPAIRS:
        doc, made = step(doc, model)
        records.extend(made)
    doc = replace(doc, repairs=tuple(records))
    return RepairResult(compilation=doc, warnings=tuple(_unrepaired_cuts(doc)))


def _unrepaired_cuts(doc: Compilation) -> list[str]:
    """A sentence for every paragraph that still stops mid-sentence after repair."""
    warnings = []
    for speech in doc.speeches:
        for paragraph in speech.paragraphs:
            if is_cut(paragraph):
                line = paragraph.sources[-1].last if paragraph.sources else "?"
                warnings.append(
                    f"line {line}: paragraph in «{speech_label(speech)}» stops mid-sentence "
                    f"(…{paragraph.text[-8:]}) and no continuation was found"
                )
    return warnings
