"""Runs written out as CSV, one row per point, with the exact numbers."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TextIO

from calcstudio.core.optimize.trace import Trace


def csv_header(variables: Sequence[str]) -> list[str]:
    """``optimizer, learning_rate, k, x, f(x), f'(x)``; for several variables the point,
    ``f(w1, w2)`` and the partial derivatives ``df/dw1, df/dw2``."""
    names = list(variables)
    slopes = [f"f'({names[0]})"] if len(names) == 1 else [f"df/d{name}" for name in names]
    return ["optimizer", "learning_rate", "k", *names, f"f({', '.join(names)})", *slopes]


def write_traces_csv(traces: Sequence[Trace], file: TextIO) -> int:
    """Write every point of every trace as one CSV row: optimizer, η, k, w, f(w), ∇f(w).

    Parameters
    ----------
    traces
        Runs of one function (so with the same variables), e.g. every racer of a race.
    file
        An open text file (``newline=""``, as the csv module wants).

    Returns
    -------
    int
        The number of rows written under the header; a run's start counts as step 0.
    """
    if not traces:
        return 0
    writer = csv.writer(file)
    writer.writerow(csv_header(traces[0].variables))
    rows = 0
    for trace in traces:
        rate = repr(float(trace.learning_rate))
        for k, (point, loss, gradient) in enumerate(
            zip(trace.points, trace.values, trace.gradients, strict=True)
        ):
            # repr of a float round-trips: the file holds the numbers exactly.
            numbers = [*point, loss, *gradient]
            writer.writerow([trace.optimizer, rate, k, *(repr(float(x)) for x in numbers)])
            rows += 1
    return rows


__all__ = ["csv_header", "write_traces_csv"]
