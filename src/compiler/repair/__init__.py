"""The repair stage: an ordered list of named repairs, each a pure function (doc) -> (doc, records).

As markdown-it-py's core rules, the list is data: a reader of this file knows every change the
stage can make, in order. Each repair leaves `Repair` records on the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from compiler.model import Compilation, Repair, RepairKind
from compiler.repair.continuations import (
    join_cut_paragraphs,
    plan_links,
    restore_displaced_fragments,
    speech_label,
)
from compiler.repair.evidence import WordModel, default_model
from compiler.repair.junction import JunctionModel, shipped_model
from compiler.repair.review import LEAVE, Review, review_document

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
    """The review file for an unrepaired model: every cut, its candidates, and what repair decides."""
    plan = plan_links(doc, model or default_model())
    linked = {link.cut: link for link in plan.links}
    entries = []
    for cut, options in sorted(plan.options.items()):
        paragraph = doc.speeches[cut.speech].paragraphs[cut.index]
        link = linked.get(cut)
        entries.append(
            {
                "cut_line": paragraph.sources[-1].last if paragraph.sources else 0,
                "speech": speech_label(doc.speeches[cut.speech]),
                "ends": "…" + paragraph.text[-12:],
                "candidates": [
                    {
                        "line": _first_line(doc, o.start.speech, o.start.index),
                        "starts": _head(doc, o.start.speech, o.start.index) + "…",
                        "where": "next block" if o.adjacent else "elsewhere (a move)",
                        "probability": round(o.probability, 3),
                    }
                    for o in options
                ],
                "decision": LEAVE if link is None else _first_line(doc, link.start.speech, link.start.index),
            }
        )
    return review_document(entries, source)


def _first_line(doc: Compilation, speech: int, index: int) -> int | str:
    sources = doc.speeches[speech].paragraphs[index].sources
    return sources[0].first if sources else "?"


def _head(doc: Compilation, speech: int, index: int) -> str:
    return doc.speeches[speech].paragraphs[index].text[:12]
