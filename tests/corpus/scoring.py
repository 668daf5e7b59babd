"""The shared scorers' rules as functions, for in-process evaluation.

`shared_score.py` and `shared_repair_precision.py` are byte-for-byte copies of the team's scorers
in ../shared/eval/ (tests/corpus/test_scoring.py checks they have not drifted when ../shared is
there), so the figures here are the ones the held-out evaluation computes.
"""

from __future__ import annotations

from tests.corpus.shared_repair_precision import WS
from tests.corpus.shared_score import (  # noqa: F401 - re-exported for evaluate.py
    align,
    as_dict,
    as_list,
    drop_unscored,
    f1,
    norm,
    note_paragraphs,
    overlap,
    para_text,
    speeches,
)


def same_speaker(expected: dict, actual: dict) -> bool:
    """score.py's rule: affiliation and name match, or the whole line does (trailing —：: aside)."""

    def whole(sp: dict) -> str:
        return str(sp["affiliation"] + sp["name"]).rstrip("—：:")

    return (expected["affiliation"], expected["name"]) == (actual["affiliation"], actual["name"]) or whole(
        expected
    ) == whole(actual)


def answer_blob(expected: dict) -> str:
    """Every paragraph of the answer, whitespace removed, one per line (repair_precision.py)."""
    paras = [WS.sub("", para_text(p)) for sp in expected.get("speeches") or [] for p in sp.get("paragraphs") or []]
    paras += [WS.sub("", para_text(p)) for p in ((expected.get("editor_note") or {}).get("paragraphs") or [])]
    return "\n".join(paras)


def is_true_junction(blob: str, left: str, right: str) -> bool:
    joined = WS.sub("", left) + WS.sub("", right)
    return bool(joined) and joined in blob


def all_paragraphs(doc: dict) -> list[str]:
    return note_paragraphs(doc) + [p for s in speeches(doc) for p in s["paragraphs"]]


def split_text(expected: dict, split: dict) -> str:
    """The answer paragraph a damage record cut (score.py's junction rule)."""
    if split.get("where") == "editor_note":
        item = as_list(as_dict(expected.get("editor_note")).get("paragraphs"))[split["paragraph"]]
    else:
        speech = as_dict(as_list(expected.get("speeches"))[split["speech"]])
        item = as_list(speech.get("paragraphs"))[split["paragraph"]]
    return norm(para_text(item))



