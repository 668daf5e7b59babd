"""The assignment solver against brute force on small random problems."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.repair.assignment import best_assignment


def brute_force(weights: list[list[float | None]]) -> float:
    rows, columns = len(weights), len(weights[0]) if weights else 0
    best = 0.0
    for choice in itertools.product([None, *range(columns)], repeat=rows):
        used = [c for c in choice if c is not None]
        if len(used) != len(set(used)) or any(c is not None and weights[r][c] is None for r, c in enumerate(choice)):
            continue
        best = max(best, sum(weights[r][c] or 0.0 for r, c in enumerate(choice) if c is not None))
    return best


weight = st.one_of(st.none(), st.integers(-5, 20).map(float), st.integers(995, 1005).map(float))


@settings(max_examples=300)
@given(
    st.integers(1, 5).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda cols: st.lists(st.lists(weight, min_size=cols, max_size=cols), min_size=rows, max_size=rows)
        )
    )
)
def test_matches_brute_force(weights: list[list[float | None]]) -> None:
    chosen = best_assignment(weights)
    used = [c for c in chosen if c is not None]
    assert len(used) == len(set(used))
    assert all(c is None or weights[r][c] is not None for r, c in enumerate(chosen))
    total = sum(weights[r][c] or 0.0 for r, c in enumerate(chosen) if c is not None)
    assert total == brute_force(weights)


def test_takes_the_chain_not_the_greedy_pair() -> None:
    # Row 0 likes column 0 a little; row 1 can only use column 0 and likes it a lot.
    assert best_assignment([[2.0, 1.5], [10.0, None]]) == [1, 0]
