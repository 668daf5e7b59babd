"""Score the pipeline on the corpus with the shared scorers' rules, in process.

    python -m tests.corpus.evaluate clean [tune|test|all]      # structure on clean pages
    python -m tests.corpus.evaluate damaged DIR                 # pages written by tests.corpus.damage

Per page: speech structure exact (speech count, every heading, every speaker), paragraph F1 (the
same definition as ../shared/eval/score.py: a paragraph counts only in its own speech or the
note) and, for damaged pages, the repair precision of ../shared/eval/repair_precision.py and the
junctions recovered by kind. The scorer module is vendored in tests/corpus/scoring.py.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from compiler.model import Compilation, RepairKind, to_data
from compiler.parse import parse_blocks
from compiler.read import read_file
from compiler.repair import repair_compilation
from tests.corpus import scoring
from tests.corpus.split import pages


@dataclass
class PageScore:
    name: str
    exact: bool
    f1: float
    speeches: tuple[int, int]
    headings: int
    speakers: int
    repairs: int = 0
    right: int = 0
    junctions: Counter[str] = field(default_factory=Counter)
    recovered: Counter[str] = field(default_factory=Counter)


def parse_page(path: Path, *, repair: bool = True) -> Compilation:
    doc = parse_blocks(read_file(path).blocks).compilation
    return repair_compilation(doc).compilation if repair else doc


def score_page(path: Path, expected_path: Path, doc: Compilation, meta: dict | None = None) -> PageScore:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    actual = scoring.drop_unscored(expected, to_data(doc))
    exp_sp, act_sp = scoring.speeches(expected), scoring.speeches(actual)
    mapping = scoring.align(exp_sp, act_sp)
    headings = sum(1 for j, i in mapping.items() if exp_sp[j]["heading"] == act_sp[i]["heading"])
    speakers = sum(1 for j, i in mapping.items() if scoring.same_speaker(exp_sp[j], act_sp[i]))
    exp_note, act_note = scoring.note_paragraphs(expected), scoring.note_paragraphs(actual)
    n_exp = len(exp_note) + sum(len(s["paragraphs"]) for s in exp_sp)
    n_act = len(act_note) + sum(len(s["paragraphs"]) for s in act_sp)
    matched = scoring.overlap(exp_note, act_note) + sum(
        scoring.overlap(exp_sp[j]["paragraphs"], act_sp[i]["paragraphs"]) for j, i in mapping.items()
    )
    precision = matched / n_act if n_act else 0.0
    recall = matched / n_exp if n_exp else 0.0
    exact = len(exp_sp) == len(act_sp) and headings == len(exp_sp) and speakers == len(exp_sp)
    result = PageScore(path.stem, exact, scoring.f1(precision, recall), (len(exp_sp), len(act_sp)), headings, speakers)
    blob = scoring.answer_blob(expected)
    for repair in doc.repairs:
        if repair.kind in (RepairKind.JOIN, RepairKind.MOVE):
            result.repairs += 1
            result.right += scoring.is_true_junction(blob, repair.left, repair.right)
    if meta:
        present = Counter(scoring.all_paragraphs(actual))
        for split in meta.get("splits", []):
            text = scoring.split_text(expected, split)
            for group in (split.get("kind", "?"), "displaced" if split.get("displaced") else "adjacent"):
                result.junctions[group] += 1
                result.recovered[group] += 1 if present[text] else 0
    return result


def _expected(path: Path) -> Path:
    return path.with_name(path.name[: -len(".txt")] + ".expected.json")


def evaluate_clean(part: str, *, verbose: bool = True) -> list[PageScore]:
    results = []
    for path in pages(part):
        results.append(score_page(path, _expected(path), parse_page(path)))
    if verbose:
        report(results, f"clean pages ({part})")
    return results


def evaluate_damaged(directory: Path, *, verbose: bool = True) -> list[PageScore]:
    results = []
    for path in sorted(directory.glob("*.txt")):
        meta_path = path.with_name(path.name[: -len(".txt")] + ".meta.json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else None
        results.append(score_page(path, _expected(path), parse_page(path), meta))
    if verbose:
        report(results, f"damaged pages ({directory})")
    return results


def report(results: list[PageScore], label: str) -> None:
    for r in results:
        flag = "exact" if r.exact else "WRONG"
        extra = f"  repairs {r.right}/{r.repairs}" if r.repairs else ""
        print(
            f"  {r.name:42} {flag:5} f1 {r.f1:.3f}  speeches {r.speeches[1]}/{r.speeches[0]} "
            f"headings {r.headings} speakers {r.speakers}{extra}"
        )
    print(summary(results, label))


def summary(results: list[PageScore], label: str) -> str:
    n = max(1, len(results))
    exact = sum(r.exact for r in results)
    mean_f1 = sum(r.f1 for r in results) / n
    repairs = sum(r.repairs for r in results)
    right = sum(r.right for r in results)
    junctions: Counter[str] = Counter()
    recovered: Counter[str] = Counter()
    for r in results:
        junctions.update(r.junctions)
        recovered.update(r.recovered)
    lines = [
        f"{label}: {len(results)} pages, structure exact {exact}/{len(results)} ({exact / n:.1%}), "
        f"mean paragraph F1 {mean_f1:.4f}, repairs {right}/{repairs} right "
        f"(precision {right / repairs if repairs else 1.0:.4f})"
    ]
    if junctions:
        parts = [f"{k} {recovered[k]}/{junctions[k]} ({recovered[k] / junctions[k]:.1%})" for k in sorted(junctions)]
        lines.append("  junctions recovered: " + ", ".join(parts))
    return "\n".join(lines)


def cross_validate(folds: int = 5) -> list[PageScore]:
    """Structure on the tuning part, each page scored by weights trained without it (development figures)."""
    import compiler.structure as structure
    from compiler.parse import build_compilation
    from tests.corpus.labels import label_page
    from tests.corpus.train import fold_taggers

    paths = pages("tune")
    taggers = fold_taggers(paths, folds)
    results = []
    for path in paths:
        blocks = label_page(path).blocks
        roles = structure.decode(structure.page_features(blocks), taggers[path])
        doc = repair_compilation(build_compilation(blocks, roles).compilation).compilation
        results.append(score_page(path, _expected(path), doc))
    report(results, f"tuning part, {folds}-fold cross-validation")
    return results


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[1] == "clean":
        evaluate_clean(argv[2] if len(argv) > 2 else "tune")
        return 0
    if len(argv) >= 2 and argv[1] == "cv":
        cross_validate()
        return 0
    if len(argv) >= 3 and argv[1] == "damaged":
        evaluate_damaged(Path(argv[2]))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
