"""Learn the structure tagger's weights from the tuning part of the corpus.

    python -m tests.corpus.train            # writes src/compiler/data/structure.json

An averaged structured perceptron (Collins 2002): decode each page with the current weights; where
the best path differs from the gold roles, add the gold path's features and subtract the
predicted path's. Averaging the weights over all steps keeps the model from chasing the last
pages it saw. Pages are visited in a fixed order and ties are broken by the grammar's order, so a
run is deterministic: the shipped file is exactly what this script writes (a test checks it).
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from compiler.structure import START, BlockRole, Weights, decode, page_features
from tests.corpus.labels import LabelledPage, label_page
from tests.corpus.split import pages

OUT = Path(__file__).resolve().parents[2] / "src" / "compiler" / "data" / "structure.json"
EPOCHS = 30
SEED = "structure-perceptron"


class _Averaged:
    """Weights with the running sums that averaging needs (the "lazy update" trick)."""

    def __init__(self) -> None:
        self.value: dict[tuple[str, str], float] = defaultdict(float)
        self.total: dict[tuple[str, str], float] = defaultdict(float)
        self.stamp: dict[tuple[str, str], int] = defaultdict(int)
        self.step = 0

    def add(self, key: tuple[str, str], delta: float) -> None:
        self.total[key] += (self.step - self.stamp[key]) * self.value[key]
        self.stamp[key] = self.step
        self.value[key] += delta

    def averaged(self) -> dict[tuple[str, str], float]:
        out = {}
        for key, value in self.value.items():
            total = self.total[key] + (self.step - self.stamp[key]) * value
            average = total / max(1, self.step)
            if abs(average) > 1e-6:
                out[key] = round(average, 4)
        return out


def _weights(table: dict[tuple[str, str], float]) -> Weights:
    emission: dict[str, dict[str, float]] = {}
    transition: dict[str, dict[str, float]] = {}
    for (left, right), value in table.items():
        if left.startswith("T:"):
            transition.setdefault(left[2:], {})[right] = value
        else:
            emission.setdefault(left, {})[right] = value
    return Weights(emission, transition)


def _path_features(features: Sequence[Sequence[str]], roles: Sequence[BlockRole]) -> dict[tuple[str, str], float]:
    counts: dict[tuple[str, str], float] = defaultdict(float)
    previous = START
    for row, role in zip(features, roles, strict=True):
        counts[("T:" + previous, role.value)] += 1
        for feature in row:
            counts[(feature, role.value)] += 1
        previous = role.value
    return counts


def train(labelled: Sequence[LabelledPage], epochs: int = EPOCHS) -> Weights:
    """Averaged structured perceptron over the pages' gold role sequences."""
    model = _Averaged()
    data = [(page_features(page.blocks), page.roles) for page in labelled]
    order = list(range(len(data)))
    rng = random.Random(SEED)
    for _ in range(epochs):
        rng.shuffle(order)
        for n in order:
            features, gold = data[n]
            model.step += 1
            predicted = decode(features, _weights(dict(model.value)))
            if predicted == list(gold):
                continue
            for key, count in _path_features(features, gold).items():
                model.add(key, count)
            for key, count in _path_features(features, predicted).items():
                model.add(key, -count)
    return _weights(model.averaged())


def main(argv: list[str]) -> int:
    labelled = [label_page(path) for path in pages("tune")]
    weights = train(labelled)
    OUT.write_text(weights.to_json() + "\n", encoding="utf-8")
    print(f"trained on {len(labelled)} tuning pages, {sum(len(p.blocks) for p in labelled)} blocks -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
