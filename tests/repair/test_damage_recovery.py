"""Recovery on text the repair has never seen: damage generated from clean text, then repaired."""

from __future__ import annotations

import random
from collections import Counter

from compiler.model import Compilation, Speech
from tests.conftest import model_of_text
from tests.repair.damage import Cut, CutKind, damage

CASES_PER_TEXT = 60


def _speech_like(repaired: Compilation, clean: Speech) -> Speech | None:
    return next((s for s in repaired.speeches if s.heading == clean.heading and s.speaker == clean.speaker), None)


def _junction_ok(repaired: Compilation, clean_doc: Compilation, cut: Cut) -> tuple[bool, bool]:
    """(strict, order): the clean paragraph is back whole; or its two pieces at least follow each other."""
    clean = clean_doc.speeches[cut.speech]
    text = clean.paragraphs[cut.paragraph].text
    speech = _speech_like(repaired, clean)
    if speech is None:
        return False, False
    texts = [p.text for p in speech.paragraphs]
    strict = text in texts
    pieces = (text[: cut.offset], text[cut.offset :])
    order = strict or any(texts[i : i + 2] == list(pieces) for i in range(len(texts) - 1))
    return strict, order


def test_generated_damage_is_repaired(clean_corpus: list[tuple[str, Compilation]]) -> None:
    strict: Counter[str] = Counter()
    order: Counter[str] = Counter()
    total: Counter[str] = Counter()
    whole_pages = 0
    cases = 0
    for name, clean in clean_corpus:
        for n in range(CASES_PER_TEXT):
            rng = random.Random(f"{name}/{n}")
            damaged = damage(clean, rng)
            repaired = model_of_text(damaged.text)
            cases += 1
            whole_pages += [[p.text for p in s.paragraphs] for s in repaired.speeches] == [
                [p.text for p in s.paragraphs] for s in clean.speeches
            ]
            for cut in damaged.cuts:
                group = f"{cut.kind.value}, {'displaced' if cut.displaced else 'adjacent'}"
                ok_strict, ok_order = _junction_ok(repaired, clean, cut)
                total[group] += 1
                strict[group] += ok_strict
                order[group] += ok_order
    print(f"\n{cases} generated pages, {whole_pages} repaired exactly")
    for group in sorted(total):
        print(
            f"  {group:28} {total[group]:4} junctions"
            f"  strict {strict[group] / total[group]:.1%}  order {order[group] / total[group]:.1%}"
        )
    detectable = [g for g in total if not g.startswith(CutKind.SENTENCE_END.value)]
    detectable_rate = sum(strict[g] for g in detectable) / sum(total[g] for g in detectable)
    overall_order = sum(order.values()) / sum(total.values())
    print(f"  detectable junctions strict {detectable_rate:.1%}; all junctions in order {overall_order:.1%}")
    assert cases >= 200
    in_word_adjacent = f"{CutKind.IN_WORD.value}, adjacent"
    assert strict[in_word_adjacent] == total[in_word_adjacent]
    assert detectable_rate >= 0.98
    assert overall_order >= 0.98
