"""Structure and recovery on the corpus's test part, which nothing was tuned on.

The figures print with `pytest -s tests/corpus/test_recovery.py` and are the ones the README
quotes. The asserted floors sit just under what the current models measure, so a change that makes
recovery worse fails here; they are not the issue's bars (those are in the README, with the gap).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from compiler.model import RepairKind
from compiler.parse import parse_blocks
from compiler.read import read_file
from compiler.repair import repair_compilation
from tests.corpus import evaluate, scoring
from tests.corpus.damage import write_damaged
from tests.corpus.split import PAGES, pages

DAMAGED_COPIES = 2
SEED = "test-part"


@pytest.fixture(scope="module")
def damaged_test_part(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("damaged")
    write_damaged(PAGES, [p.stem for p in pages("test")], DAMAGED_COPIES, out, SEED)
    return out


def test_the_split_is_fixed_and_big_enough() -> None:
    tune, test = pages("tune"), pages("test")
    assert len(test) >= 15
    assert not {p.stem for p in tune} & {p.stem for p in test}
    assert all(not p.stem.startswith("rmrb-2026") for p in pages("all"))


def test_structure_on_clean_test_pages() -> None:
    results = evaluate.evaluate_clean("test", verbose=False)
    print("\n" + evaluate.summary(results, "clean pages, test part"))
    exact = sum(r.exact for r in results) / len(results)
    mean_f1 = sum(r.f1 for r in results) / len(results)
    assert exact >= 0.62  # measured 37/57 = 0.649 (2026-11-28, fifth session, 57 test pages; 32/49 before the last 8)
    assert mean_f1 >= 0.95  # measured 0.961 (0.926 on the same 57 pages with the fourth session's models)


@pytest.mark.slow  # repairs 66 damaged pages: the figures `make test` prints
def test_recovery_on_damaged_test_pages(damaged_test_part: Path) -> None:
    results = evaluate.evaluate_damaged(damaged_test_part, verbose=False)
    print("\n" + evaluate.summary(results, f"damaged pages, test part, {DAMAGED_COPIES} copies each"))
    repairs = sum(r.repairs for r in results)
    right = sum(r.right for r in results)
    mean_f1 = sum(r.f1 for r in results) / len(results)
    assert repairs > 0
    # measured 370/372 = 0.995 on the 57 test pages (2026-11-28, fifth session; 0.986 on the 49 of the
    # fourth): a guard against losing precision, set under the measurement, not the bar
    assert right / repairs >= 0.985
    assert mean_f1 >= 0.80  # measured 0.818


@pytest.mark.slow  # repairs 66 damaged pages: the figures `make test` prints
def test_reliability_of_stated_confidence(damaged_test_part: Path) -> None:
    """Stated confidence against the share of repairs that are right, on the test part."""
    buckets: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for path in sorted(damaged_test_part.glob("*.txt")):
        expected = json.loads(path.with_name(path.name[: -len(".txt")] + ".expected.json").read_text("utf-8"))
        blob = scoring.answer_blob(expected)
        doc = repair_compilation(parse_blocks(read_file(path).blocks).compilation).compilation
        for repair in doc.repairs:
            if repair.kind not in (RepairKind.JOIN, RepairKind.MOVE):
                continue
            bucket = _bucket(repair.confidence)
            buckets[bucket] += 1
            right[bucket] += scoring.is_true_junction(blob, repair.left, repair.right)
    print("\nstated confidence | repairs | right")
    for bucket in sorted(buckets):
        print(f"{bucket:>17} | {buckets[bucket]:>7} | {right[bucket] / buckets[bucket]:.3f}")
    top = "0.99-1.00"
    assert buckets[top] > 0 and right[top] / buckets[top] >= 0.95


def _bucket(confidence: float) -> str:
    for low, high in ((0.99, 1.0), (0.95, 0.99), (0.9, 0.95), (0.7, 0.9), (0.5, 0.7)):
        if confidence >= low:
            return f"{low:.2f}-{high:.2f}"
    return "0.00-0.50"


def test_clean_test_pages_are_rarely_changed() -> None:
    """On undamaged pages every repair is a mistake: count them."""
    made = 0
    for path in pages("test"):
        doc = repair_compilation(parse_blocks(read_file(path).blocks).compilation).compilation
        made += sum(r.kind in (RepairKind.JOIN, RepairKind.MOVE) for r in doc.repairs)
    print(f"\nrepairs made on {len(pages('test'))} clean test pages: {made}")
    assert made == 0  # measured: none


def test_vendored_scorers_match_the_teams() -> None:
    """tests/corpus/shared_*.py are copies of ../shared/eval/: the figures must mean the same."""
    shared = Path(__file__).resolve().parents[3] / "shared" / "eval"
    if not shared.is_dir():
        pytest.skip("../shared/eval is not beside the project")
    here = Path(__file__).parent
    assert (here / "shared_score.py").read_bytes() == (shared / "score.py").read_bytes()
    assert (here / "shared_repair_precision.py").read_bytes() == (shared / "repair_precision.py").read_bytes()
