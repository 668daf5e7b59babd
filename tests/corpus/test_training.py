"""The shipped structure weights are exactly what training on the tuning part gives (no hand edits,
no test page involved)."""

from __future__ import annotations

import json

import pytest

from compiler.structure import FEATURES_VERSION
from tests.corpus.split import pages
from tests.corpus.train import OUT, train, training_pages


@pytest.mark.slow  # trains the tagger on the whole tuning part: about a minute
def test_shipped_structure_weights_are_reproduced_by_training() -> None:
    shipped = json.loads(OUT.read_text(encoding="utf-8"))
    assert shipped["features_version"] == FEATURES_VERSION
    trained = json.loads(train(training_pages(pages("tune"))).to_json())
    assert trained == shipped, "the shipped weights differ from training: run `make train` and commit"


def test_training_never_sees_a_test_page() -> None:
    names = {page.name.split("~")[0] for page in training_pages(pages("tune"), copies=0)}
    assert not names & {path.stem for path in pages("test")}
