"""Summaries of timings, the way the benchmark prints them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def summary(seconds: Sequence[float]) -> str:
    """``median 3.1 ms, p95 7.9 ms (n=120)`` for a list of durations in seconds."""
    if not seconds:
        return "no samples"
    ms = np.asarray(seconds) * 1000.0
    return (
        f"median {np.median(ms):.1f} ms, p95 {np.percentile(ms, 95):.1f} ms, "
        f"max {ms.max():.1f} ms (n={ms.size})"
    )


def median(seconds: Sequence[float]) -> float:
    """The median duration, in seconds (NaN if there are none)."""
    return float(np.median(seconds)) if len(seconds) else float("nan")


def percentile(seconds: Sequence[float], q: float) -> float:
    """The ``q``-th percentile duration, in seconds (NaN if there are none)."""
    return float(np.percentile(seconds, q)) if len(seconds) else float("nan")
