"""The repair stage: an ordered list of named repairs, each a pure function (doc) -> (doc, records).

As markdown-it-py's core rules, the list is data: a reader of this file knows every change the
stage can make, in order. Each repair leaves `Repair` records on the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from compiler.model import Compilation, Repair, RepairKind
from compiler.repair.continuations import join_cut_paragraphs, restore_displaced_fragments, review_entries
from compiler.repair.evidence import WordModel, default_model
from compiler.repair.junction import JunctionModel, shipped_model
from compiler.repair.review import Review, review_document

RepairFunction = Callable[[Compilation, WordModel, JunctionModel], tuple[Compilation, list[Repair], list[str]]]
"""A repair: the model in, the model out, what it changed, and what it could not decide."""

REPAIRS: list[tuple[str, RepairFunction]] = [
    ("restore_displaced_fragments", restore_displaced_fragments),
    ("join_cut_paragraphs", join_cut_paragraphs),
]


@dataclass(frozen=True, slots=True)
class RepairResult:
    """The repaired model (its `repairs` filled in) and what the stage could not fix."""

    compilation: Compilation
    warnings: tuple[str, ...] = ()


def repair_compilation(
    doc: Compilation,
    model: WordModel | None = None,
    *,
    junctions: JunctionModel | None = None,
    review: Review | None = None,
) -> RepairResult:
    """Run every repair in order and record what each changed (the editor's review, if given,
    overrides the model's decisions where it speaks)."""
    model = model or default_model()
    junctions = junctions or shipped_model()
    if review is not None:
        junctions = replace(junctions, review=review)
    records: list[Repair] = list(doc.repairs)
    warnings: list[str] = []
    for _name, step in REPAIRS:
        doc, made, unsure = step(doc, model, junctions)
        records.extend(made)
        warnings.extend(unsure)
    doc = replace(doc, repairs=tuple(records))
    return RepairResult(compilation=doc, warnings=tuple(warnings + _unsure_repairs(records)))


SURE = 0.99
"""Repairs made with less confidence than this are listed for the editor to look at."""


def _unsure_repairs(records: list[Repair]) -> list[str]:
    return [
        f"line {r.cut_line}: {r.kind.value} …{r.left}|{r.right}… made at confidence {r.confidence:.2f}: "
        "please check it"
        for r in records
        if r.kind in (RepairKind.JOIN, RepairKind.MOVE) and r.confidence < SURE
    ]


def review_of(doc: Compilation, source: str, model: WordModel | None = None) -> str:
    """The review file for an unrepaired model: every cut, its candidates, and what repair decides.

    The decisions are read off the repairs `repair_compilation` makes, not off one plan: moves come
    first and the joins are planned again on the moved text, so a cut's odds can change between the
    two, and an unedited review must repeat exactly what building without one does."""
    model = model or default_model()
    made = {
        r.cut_line: r.source.first
        for r in repair_compilation(doc, model).compilation.repairs
        if r.kind in (RepairKind.JOIN, RepairKind.MOVE)
    }
    return review_document(review_entries(doc, model, made), source)
