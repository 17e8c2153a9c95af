"""Summaries of timings, the way the benchmark prints them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def summary(seconds: Sequence[float], unit: str = "ms") -> str:
    """``median 3.1 ms, p95 7.9 ms (n=120)`` for a list of durations in seconds.

    ``unit`` is ``"ms"`` or ``"µs"`` (for work well under a millisecond).
    """
    if not seconds:
        return "no samples"
    ms = np.asarray(seconds) * {"ms": 1e3, "µs": 1e6}[unit]
    return (
        f"median {np.median(ms):.1f} {unit}, p95 {np.percentile(ms, 95):.1f} {unit}, "
        f"max {ms.max():.1f} {unit} (n={ms.size})"
    )


def median(seconds: Sequence[float]) -> float:
    """The median duration, in seconds (NaN if there are none)."""
    return float(np.median(seconds)) if len(seconds) else float("nan")


def percentile(seconds: Sequence[float], q: float) -> float:
    """The ``q``-th percentile duration, in seconds (NaN if there are none)."""
    return float(np.percentile(seconds, q)) if len(seconds) else float("nan")
