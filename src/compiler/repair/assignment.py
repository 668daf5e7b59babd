"""Maximum-weight assignment of rows to columns, each used at most once (Hungarian method).

Used to pick, over all cuts at once, which block continues which cut: deciding cut by cut gets
chains wrong (a greedy choice can take the continuation that another cut needed more).
"""

from __future__ import annotations

from collections.abc import Sequence

# Cost of a forbidden pairing: larger than any real sum of weights, finite so the arithmetic stays exact.
_FORBIDDEN = 1e12


def best_assignment(weights: Sequence[Sequence[float | None]]) -> list[int | None]:
    """For each row, the column it takes (or None), maximising the total weight.

    `weights[r][c]` is the gain of giving column c to row r, None where that is not allowed.
    Leaving a row unassigned is always allowed and gains 0.
    """
    rows = len(weights)
    if rows == 0:
        return []
    columns = len(weights[0])
    # One private "unassigned" column per row turns the problem into a square-ish assignment.
    width = columns + rows
    cost = [
        [(-w if (w := weights[r][c]) is not None else _FORBIDDEN) for c in range(columns)]
        + [0.0 if k == r else _FORBIDDEN for k in range(rows)]
        for r in range(rows)
    ]
    match = _min_cost_assignment(cost, rows, width)
    return [column if column < columns else None for column in match]


def _min_cost_assignment(cost: list[list[float]], rows: int, width: int) -> list[int]:
    """Classic O(rows² · width) Hungarian method with potentials; returns each row's column."""
    inf = float("inf")
    row_potential = [0.0] * (rows + 1)
    column_potential = [0.0] * (width + 1)
    owner = [0] * (width + 1)  # owner[c]: 1-based row holding column c (0: free)
    for row in range(1, rows + 1):
        owner[0] = row
        free_column = 0
        slack = [inf] * (width + 1)
        previous = [0] * (width + 1)
        used = [False] * (width + 1)
        while True:
            used[free_column] = True
            current_row = owner[free_column]
            delta, next_column = inf, 0
            for column in range(1, width + 1):
                if used[column]:
                    continue
                reduced = cost[current_row - 1][column - 1] - row_potential[current_row] - column_potential[column]
                if reduced < slack[column]:
                    slack[column], previous[column] = reduced, free_column
                if slack[column] < delta:
                    delta, next_column = slack[column], column
            for column in range(width + 1):
                if used[column]:
                    row_potential[owner[column]] += delta
                    column_potential[column] -= delta
                else:
                    slack[column] -= delta
            free_column = next_column
            if owner[free_column] == 0:
                break
        while free_column:
            previous_column = previous[free_column]
            owner[free_column] = owner[previous_column]
            free_column = previous_column
    result = [0] * rows
    for column in range(1, width + 1):
        if owner[column]:
            result[owner[column] - 1] = column - 1
    return result
