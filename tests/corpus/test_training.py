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
    # Four decimals are shipped; another build of CRFsuite may round the last one otherwise.
    for table in ("emission", "transition"):
        keys = {(a, b) for a, row in shipped[table].items() for b in row}
        keys |= {(a, b) for a, row in trained[table].items() for b in row}
        worst = max(abs(shipped[table].get(a, {}).get(b, 0.0) - trained[table].get(a, {}).get(b, 0.0)) for a, b in keys)
        assert worst <= 2e-4, f"shipped {table} weights differ from training by {worst}: run `make train`, commit"


def test_training_never_sees_a_test_page() -> None:
    names = {page.name.split("~")[0] for page in training_pages(pages("tune"), copies=0)}
    assert not names & {path.stem for path in pages("test")}
