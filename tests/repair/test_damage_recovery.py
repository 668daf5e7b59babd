"""Recovery on text the repair has never seen: damage generated from clean text, then repaired.

The figures printed here (run `pytest -s -k generated`) are the ones quoted in the README and in
closing notes. A junction counts as recovered ("strict") when the clean paragraph is back whole in
its speech; "order" also accepts the two pieces as consecutive paragraphs, which is all that can be
asked of a cut right after a sentence end (it looks exactly like a paragraph break).
"""

from __future__ import annotations

import random
from collections import Counter

from compiler.model import Compilation, RepairKind, Speech
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
    pieces = [text[: cut.offset], text[cut.offset :]]
    order = strict or any(texts[i : i + 2] == pieces for i in range(len(texts) - 1))
    return strict, order


def _repairs_right(repaired: Compilation, clean: Compilation) -> tuple[int, int]:
    """How many of the repairs made are right: their junction is in the clean text of some speech."""
    clean_text = "\n".join(p.text for s in clean.speeches for p in s.paragraphs)
    made = [r for r in repaired.repairs if r.kind in (RepairKind.JOIN, RepairKind.MOVE)]
    return sum((r.left + r.right) in clean_text for r in made), len(made)


def test_generated_damage_is_repaired(clean_corpus: list[tuple[str, Compilation]]) -> None:
    strict: Counter[str] = Counter()
    order: Counter[str] = Counter()
    total: Counter[str] = Counter()
    right = made = whole_pages = cases = 0
    for name, clean in clean_corpus:
        for n in range(CASES_PER_TEXT):
            damaged = damage(clean, random.Random(f"{name}/{n}"))
            repaired = model_of_text(damaged.text)
            cases += 1
            whole_pages += [[p.text for p in s.paragraphs] for s in repaired.speeches] == [
                [p.text for p in s.paragraphs] for s in clean.speeches
            ]
            good, count = _repairs_right(repaired, clean)
            right, made = right + good, made + count
            for cut in damaged.cuts:
                group = f"{cut.kind.value}, {'displaced' if cut.displaced else 'adjacent'}"
                ok_strict, ok_order = _junction_ok(repaired, clean, cut)
                total[group] += 1
                strict[group] += ok_strict
                order[group] += ok_order

    def rate(counter: Counter[str], groups: list[str]) -> float:
        return sum(counter[g] for g in groups) / max(1, sum(total[g] for g in groups))

    print(f"\n{cases} generated pages, {whole_pages} repaired exactly; {right}/{made} repairs made were right")
    for group in sorted(total):
        print(f"  {group:26} {total[group]:4}  strict {rate(strict, [group]):.1%}  order {rate(order, [group]):.1%}")
    groups = sorted(total)
    detectable = [g for g in groups if not g.startswith(CutKind.SENTENCE_END.value)]
    adjacent = [g for g in groups if g.endswith("adjacent")]
    print(
        f"  all junctions: strict {rate(strict, groups):.1%}, order {rate(order, groups):.1%}; "
        f"detectable (not after a sentence end): strict {rate(strict, detectable):.1%}; "
        f"adjacent: order {rate(order, adjacent):.1%}"
    )
    assert cases >= 200
    assert rate(strict, ["in-word, adjacent"]) == 1.0
    assert rate(strict, ["between-words, adjacent"]) >= 0.99
    assert rate(order, adjacent) >= 0.99
    assert rate(strict, ["in-word, displaced"]) >= 0.75
    assert right / made >= 0.95
