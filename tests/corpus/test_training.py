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


def test_the_repair_thresholds_ask_for_confidence_not_luck() -> None:
    """The lower end of the 90 % Wilson interval: no repair made is no repair wrong; 243 right of
    243 clears 0.99, 449 of 453 (0.991) does not; more of the same share is surer."""
    from tests.corpus.train_repair import wilson_lower

    assert wilson_lower(0, 0) == 1.0
    assert 0.99 < wilson_lower(243, 243) < 1.0
    assert wilson_lower(449, 453) < 0.99 < 449 / 453
    assert wilson_lower(99, 100) < wilson_lower(990, 1000) < wilson_lower(9900, 10000) < 0.99


@pytest.mark.slow  # counts two million characters: about 30 s
def test_the_shipped_character_model_is_what_the_running_text_gives() -> None:
    """Byte for byte, from the tuning answers and the background text (which `make train` fetches:
    without it there is nothing to recount, and the test says so)."""
    from compiler.repair.charlm import CharModel, count_ngrams
    from tests.corpus.background import CACHE, RELEASE
    from tests.corpus.train_repair import DATA, _answers, running_text

    if not (CACHE / RELEASE).exists():
        pytest.skip(f"{CACHE / RELEASE} not fetched (make train fetches it)")
    fresh = CharModel.from_counts(count_ngrams(running_text(_answers(pages("tune")))))
    assert fresh.to_bytes() == (DATA / "charlm.bin").read_bytes(), "run `make train`, commit"
