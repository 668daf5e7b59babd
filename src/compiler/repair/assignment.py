"""Maximum-weight assignment of rows to columns, each used at most once, on a sparse graph.

Used to pick, over all cuts at once, which block continues which cut: deciding cut by cut gets
chains wrong (a greedy choice can take the continuation that another cut needed more). Each cut
has only a few candidate continuations, so the solver works on the edges that exist: successive
shortest augmenting paths (Dijkstra with node potentials), one row at a time. Every row may also
stay unassigned at no cost, which ends most searches after a few steps, so a page of a thousand
cuts costs about a thousand short searches, not a dense n³ matrix.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

Edges = Sequence[Sequence[tuple[int, float]]]
"""For each row, its (column, weight) pairs; missing pairs are not allowed."""


def best_assignment(weights: Sequence[Sequence[float | None]]) -> list[int | None]:
    """Dense form: `weights[r][c]` is the gain of giving column c to row r, None where not allowed."""
    edges = [[(c, w) for c, w in enumerate(row) if w is not None] for row in weights]
    return best_sparse_assignment(edges)


def best_sparse_assignment(edges: Edges) -> list[int | None]:
    """For each row, the column it takes (or None), maximising the total weight.

    Leaving a row unassigned is always allowed and gains 0; a column serves one row at most.
    """
    rows = len(edges)
    # Costs are negated weights. Column ids: real columns as given; row r's "unassigned" column
    # is encoded as -1 - r, so it can never be taken by another row.
    cost = [{column: -weight for column, weight in row} for row in edges]
    for r in range(rows):
        cost[r][-1 - r] = 0.0
    row_potential = [-min(row.values()) for row in cost]
    column_potential: dict[int, float] = {}
    owner: dict[int, int] = {}  # column -> row holding it
    taken: list[int | None] = [None] * rows  # row -> column it holds

    for start in range(rows):
        target, previous, distance, settled_rows, settled_columns = _shortest_augmenting_path(
            start, cost, row_potential, column_potential, owner
        )
        limit = distance[("c", target)]
        # Johnson's re-weighting: reduced costs stay non-negative and the new path's become zero.
        for r in settled_rows:
            row_potential[r] += distance[("r", r)] - limit
        for c in settled_columns:
            column_potential[c] = column_potential.get(c, 0.0) + distance[("c", c)] - limit
        # Flip the path: each row on it takes the column it reached next.
        column = target
        while True:
            row = previous[column]
            held = taken[row]
            owner[column], taken[row] = row, column
            if row == start:
                break
            assert held is not None
            column = held
    return [c if c is not None and c >= 0 else None for c in taken]


def _shortest_augmenting_path(
    start: int,
    cost: list[dict[int, float]],
    row_potential: list[float],
    column_potential: dict[int, float],
    owner: dict[int, int],
) -> tuple[int, dict[int, int], dict[tuple[str, int], float], list[int], list[int]]:
    """Dijkstra over reduced costs from row `start` to the nearest free column."""
    distance: dict[tuple[str, int], float] = {("r", start): 0.0}
    previous: dict[int, int] = {}
    settled_rows: list[int] = []
    settled_columns: list[int] = []
    done: set[int] = set()
    heap: list[tuple[float, int]] = []
    row, reached = start, 0.0
    while True:
        settled_rows.append(row)
        for column, edge_cost in cost[row].items():
            if column in done:
                continue
            reduced = edge_cost + row_potential[row] - column_potential.get(column, 0.0)
            candidate = reached + max(reduced, 0.0)  # clamp rounding noise
            if candidate < distance.get(("c", column), float("inf")):
                distance[("c", column)] = candidate
                previous[column] = row
                heapq.heappush(heap, (candidate, column))
        while True:
            reached, column = heapq.heappop(heap)
            if column not in done and reached == distance[("c", column)]:
                break
        done.add(column)
        if column not in owner:
            return column, previous, distance, settled_rows, settled_columns
        settled_columns.append(column)
        row = owner[column]
        distance[("r", row)] = reached
