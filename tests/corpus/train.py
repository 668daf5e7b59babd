"""Learn the structure tagger's weights from the tuning part of the corpus.

    python -m tests.corpus.train            # writes src/compiler/data/structure.json

An averaged structured perceptron (Collins 2002): decode each page with the current weights; where
the best path differs from the gold roles, add the gold path's features and subtract the
predicted path's. Averaging the weights over all steps keeps the model from chasing the last
pages it saw. Pages are visited in a fixed order and ties are broken by the grammar's order, so a
run is deterministic: the shipped file is exactly what this script writes (a test checks it).
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from compiler.structure import START, BlockRole, Weights, decode, page_features
from tests.corpus.damage import damage_page
from tests.corpus.labels import LabelledPage, label_page, label_text
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


DAMAGED_COPIES = 2
"""Damaged copies of each tuning page trained on beside it: cut fragments must stay body text."""


def variant(page: LabelledPage, rng: random.Random) -> LabelledPage:
    """The same page laid out otherwise, as other pages of the genre are: without its captions, or
    without its editor's note, or with every paragraph cut to its first sentence (short speeches).
    Keeps the learner from tying roles to one page's furniture or to paragraph length alone."""
    drop_extras, drop_note, short = rng.random() < 0.5, rng.random() < 0.3, rng.random() < 0.5
    blocks, roles = [], []
    for block, role in zip(page.blocks, page.roles, strict=True):
        if drop_extras and role in (BlockRole.FRONT_EXTRA, BlockRole.CAPTION):
            continue
        if drop_note and role in (BlockRole.NOTE, BlockRole.SIGNATURE):
            continue
        if short and role in (BlockRole.BODY, BlockRole.NOTE):
            block = replace(block, text=_first_sentence(block.text))
        blocks.append(block)
        roles.append(role)
    return LabelledPage(page.name + "~variant", blocks, roles, [])


def _first_sentence(text: str) -> str:
    for n, char in enumerate(text):
        if char in "。！？" and n >= 3:
            return text[: n + 1]
    return text


def training_pages(paths: Sequence[Path], copies: int = DAMAGED_COPIES) -> list[LabelledPage]:
    """Each page as printed, a variant of its layout, and `copies` damaged copies (tests/corpus/damage.py)."""
    out = []
    for path in paths:
        page = label_page(path)
        out.append(page)
        out.append(variant(page, random.Random(f"{SEED}/variant/{path.stem}")))
        answer = json.loads(Path(str(path)[: -len(".txt")] + ".expected.json").read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        for copy in range(copies):
            damaged = damage_page(text, answer, random.Random(f"{SEED}/{path.stem}/{copy}"))
            out.append(label_text(f"{path.stem}~{copy}", damaged.text, answer))
    return out


def main(argv: list[str]) -> int:
    labelled = training_pages(pages("tune"))
    weights = train(labelled)
    OUT.write_text(weights.to_json() + "\n", encoding="utf-8")
    print(f"trained on {len(labelled)} tuning pages, {sum(len(p.blocks) for p in labelled)} blocks -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
