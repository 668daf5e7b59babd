"""The shipped structure weights are what training on the tuning part gives (no hand edits, no test
page involved): the same to 0.01, and the same roles on every corpus page."""

from __future__ import annotations

import json

import pytest

from compiler.structure import FEATURES_VERSION, Weights, decode, page_features
from tests.corpus.labels import label_page
from tests.corpus.split import pages
from tests.corpus.train import OUT, train, training_pages


@pytest.mark.slow  # trains the tagger on the whole tuning part: about 10 s
def test_shipped_structure_weights_are_reproduced_by_training() -> None:
    shipped_text = OUT.read_text(encoding="utf-8")
    shipped = json.loads(shipped_text)
    assert shipped["features_version"] == FEATURES_VERSION
    fresh = train(training_pages(pages("tune")))
    trained = json.loads(fresh.to_json())
    # L-BFGS stops within its tolerance of the optimum: another CPU or build of CRFsuite may stop a
    # little elsewhere, so weights are compared to 0.01 and, exactly, the roles they give.
    for table in ("emission", "transition"):
        keys = {(a, b) for a, row in shipped[table].items() for b in row}
        keys |= {(a, b) for a, row in trained[table].items() for b in row}
        worst = max(abs(shipped[table].get(a, {}).get(b, 0.0) - trained[table].get(a, {}).get(b, 0.0)) for a, b in keys)
        assert worst <= 0.01, f"shipped {table} weights differ from training by {worst}: run `make train`, commit"
    ours = Weights(shipped["emission"], shipped["transition"])
    for path in pages("all"):
        rows = page_features(label_page(path).blocks)
        assert decode(rows, ours) == decode(rows, fresh), f"{path.stem}: the shipped weights tag it otherwise"


def test_training_never_sees_a_test_page() -> None:
    names = {page.name.split("~")[0] for page in training_pages(pages("tune"), copies=0)}
    assert not names & {path.stem for path in pages("test")}
