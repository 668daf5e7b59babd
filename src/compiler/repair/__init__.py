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

RepairFunction = Callable[[Compilation, WordModel, JunctionModel], tuple[Compilation, list[Repair]]]

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
    for _name, step in REPAIRS:
        doc, made = step(doc, model, junctions)
        records.extend(made)
    doc = replace(doc, repairs=tuple(records))
    warnings = _unrepaired_cuts(doc, model, junctions) + _unsure_repairs(records)
    return RepairResult(compilation=doc, warnings=tuple(warnings))


SURE = 0.99
"""Repairs made with less confidence than this are listed for the editor to look at."""


def _unsure_repairs(records: list[Repair]) -> list[str]:
    return [
        f"line {r.cut_line}: {r.kind.value} …{r.left}|{r.right}… made at confidence {r.confidence:.2f}: "
        "please check it"
        for r in records
        if r.kind in (RepairKind.JOIN, RepairKind.MOVE) and r.confidence < SURE
    ]


def _unrepaired_cuts(doc: Compilation, model: WordModel, junctions: JunctionModel) -> list[str]:
    """A sentence for every paragraph that still stops mid-sentence: where, and the best candidates."""
    warnings = []
    for cut, options in plan_links(doc, model, junctions).open_cuts:
        speech = doc.speeches[cut.speech]
        paragraph = speech.paragraphs[cut.index]
        line = paragraph.sources[-1].last if paragraph.sources else "?"
        best = ", ".join(
            f"{'next block' if o.adjacent else 'line ' + str(_first_line(doc, o.start.speech, o.start.index))} "
            f"«{_head(doc, o.start.speech, o.start.index)}…» {o.probability:.2f}"
            for o in options[:2]
        )
        warnings.append(
            f"line {line}: paragraph in «{speech_label(speech)}» stops mid-sentence (…{paragraph.text[-8:]}) and "
            f"no continuation is sure enough; left as it is"
            + (f" (best candidates: {best})" if best else " (no candidate)")
        )
    return warnings


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
