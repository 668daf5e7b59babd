"""The editor decides: every cut, what repair made of it and the candidates it weighed, as YAML.

`compiler check INPUT --review review.yaml` writes one entry per cut: its line and its last
characters, the candidates considered (line, first characters, adjacent or not, probability) and
the decision the repair took. The editor changes a decision to `leave` (no join, no move) or to a
candidate's line (join or move that one instead); `compiler build --review review.yaml` (or a book
manifest's `review:`) applies exactly that, and the repairs it makes say so in their evidence.
Cuts and blocks are named by source line, which no repair changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compiler.errors import InputError
from compiler.yamlfile import load_mapping

LEAVE = "leave"
AUTOMATIC = "automatic"
CONTEXT = 12


@dataclass(frozen=True, slots=True)
class Review:
    """The editor's decisions, by the source line of each cut's last block."""

    chosen: Mapping[int, int] = field(default_factory=dict)
    """Cut line → the line of the block that continues it (the editor's choice)."""
    left_open: frozenset[int] = frozenset()
    """Cut lines the editor wants left as they are."""
    path: str = ""
    """Where the decisions came from (named in the repairs they cause)."""

    def decision_for(self, cut_line: int) -> int | str:
        if cut_line in self.left_open:
            return LEAVE
        return self.chosen.get(cut_line, AUTOMATIC)


def review_document(entries: list[dict[str, Any]], source: str) -> str:
    """The review file's text: a short guide, then one entry per cut."""
    header = (
        "# Repairs of cut paragraphs, for the editor. For each cut, `decision` is what repair did:\n"
        "# a block's line (joined or moved there), or `leave`. Change it to `leave` to undo a repair,\n"
        "# or to another candidate's line to take that one instead; then build with --review this file.\n"
    )
    body = yaml.safe_dump({"source": source, "cuts": entries}, allow_unicode=True, sort_keys=False, width=1000)
    return header + body


def load_review(path: Path) -> Review:
    """Read an edited review file; any malformed entry is refused naming it."""
    data = load_mapping(path, "a review")
    if not isinstance(data.get("cuts"), list):
        raise InputError(f"{path}: a review holds `cuts:`, a list (write one with compiler check --review)")
    chosen: dict[int, int] = {}
    left_open: set[int] = set()
    for n, entry in enumerate(data["cuts"], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("cut_line"), int):
            raise InputError(f"{path}: cut {n} has no line number (`cut_line`)")
        decision = entry.get("decision", AUTOMATIC)
        if decision == LEAVE:
            left_open.add(entry["cut_line"])
        elif isinstance(decision, int) and not isinstance(decision, bool):
            chosen[entry["cut_line"]] = decision
        elif decision != AUTOMATIC:
            raise InputError(
                f"{path}: cut {n} (line {entry['cut_line']}): decision must be a line number, "
                f"`{LEAVE}` or `{AUTOMATIC}`, not {decision!r}"
            )
    return Review(chosen=chosen, left_open=frozenset(left_open), path=str(path))
