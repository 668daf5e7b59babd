"""The editor decides: a review file written by check, edited, and applied exactly by build."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compiler.cli import main
from compiler.errors import InputError
from compiler.model import Compilation, RepairKind
from compiler.repair import repair_compilation, review_of
from compiler.repair.review import load_review
from tests.conftest import SEED, model_of_file


@pytest.fixture(scope="module")
def unrepaired() -> Compilation:
    return model_of_file(SEED, repair=False)


def _texts(doc: Compilation) -> list[list[str]]:
    return [[p.text for p in s.paragraphs] for s in doc.speeches]


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "review.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_an_unedited_review_repeats_the_automatic_repair(unrepaired: Compilation, tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    path.write_text(review_of(unrepaired, str(SEED)), encoding="utf-8")
    automatic = repair_compilation(unrepaired).compilation
    reviewed = repair_compilation(unrepaired, review=load_review(path)).compilation
    assert _texts(reviewed) == _texts(automatic)
    assert len(reviewed.repairs) == len(automatic.repairs)


def test_the_editor_can_undo_a_repair_and_make_another(unrepaired: Compilation, tmp_path: Path) -> None:
    data = yaml.safe_load(review_of(unrepaired, str(SEED)))
    made = next(c for c in data["cuts"] if c["decision"] != "leave" and c["candidates"][0]["where"] == "next block")
    left = next(c for c in data["cuts"] if c["decision"] == "leave")
    made["decision"] = "leave"
    left["decision"] = left["candidates"][0]["line"]
    doc = repair_compilation(unrepaired, review=load_review(_write(tmp_path, data))).compilation
    cut_lines = {r.cut_line for r in doc.repairs if r.kind is RepairKind.JOIN}
    assert made["cut_line"] not in cut_lines
    assert left["cut_line"] in cut_lines
    chosen = next(r for r in doc.repairs if r.cut_line == left["cut_line"])
    assert "chosen by the editor" in chosen.evidence


def test_a_decision_for_a_block_that_is_no_candidate_is_refused(unrepaired: Compilation, tmp_path: Path) -> None:
    data = yaml.safe_load(review_of(unrepaired, str(SEED)))
    data["cuts"][0]["decision"] = 1  # the kicker's line: never a continuation
    with pytest.raises(InputError, match="no candidate at line 1"):
        repair_compilation(unrepaired, review=load_review(_write(tmp_path, data)))


@pytest.mark.parametrize("decision", ["maybe", True, 3.5])
def test_a_malformed_decision_is_refused_naming_the_cut(decision: object, tmp_path: Path) -> None:
    path = _write(tmp_path, {"cuts": [{"cut_line": 21, "decision": decision}]})
    with pytest.raises(InputError, match="line 21"):
        load_review(path)


def test_check_writes_and_build_applies_a_review(tmp_path: Path) -> None:
    review = tmp_path / "review.yaml"
    assert main(["check", str(SEED), "--review", str(review)]) == 0
    assert review.read_text(encoding="utf-8").startswith("# Repairs of cut paragraphs")
    assert main(["build", str(SEED), "--to", "json", "-o", str(tmp_path), "--review", str(review)]) == 0
    assert main(["build", str(SEED), "--to", "json", "-o", str(tmp_path), "--review", str(tmp_path / "no.yaml")]) == 2
