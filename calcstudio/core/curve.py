"""What curve sampling and break detection share: NaN-safe evaluation and the pixel view.

Used by :mod:`calcstudio.core.sampling` and :mod:`calcstudio.core.breaks`; nothing here
imports sympy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

CurveFunction = Callable[[np.ndarray], np.ndarray]
"""A vectorised real function: float array in, float array of the same shape out."""

BEND_TOLERANCE_PX = 0.5
"""A polyline this close to the curve, in pixels, looks identical at 1 px."""


def evaluation_cost(f: CurveFunction) -> int:
    """About how many array operations ``f`` does per point: its ``cost`` attribute, else 1.

    The fast path's and the engine's evaluators carry one (their number of operations),
    so sampling can bound its work by the size of the expression; any other callable
    counts as one operation.
    """
    return max(int(getattr(f, "cost", 1)), 1)


def with_cost(f: Callable[..., np.ndarray], cost: int) -> Callable[..., np.ndarray]:
    """``f`` itself, marked with its :func:`evaluation_cost`."""
    f.cost = cost  # type: ignore[attr-defined]
    return f


def is_smooth_everywhere(f: CurveFunction) -> bool:
    """Whether ``f`` is marked (by :func:`marked_smooth_everywhere`) as smooth on the whole
    real line: sampling then need not search it for jumps and poles."""
    return bool(getattr(f, "smooth_everywhere", False))


def marked_smooth_everywhere(
    f: Callable[..., np.ndarray], smooth: bool
) -> Callable[..., np.ndarray]:
    """``f`` itself, marked with whether it is smooth everywhere (see
    :func:`calcstudio.core.smoothness.smooth_everywhere`)."""
    f.smooth_everywhere = smooth  # type: ignore[attr-defined]
    return f


def evaluate(f: CurveFunction, xs: np.ndarray) -> np.ndarray:
    """Evaluate ``f`` at ``xs`` as a fresh float64 array with NaN for non-finite values.

    Parameters
    ----------
    f
        Any vectorised function; a constant result is broadcast to the shape of ``xs``.
    xs
        Sample positions.

    Returns
    -------
    numpy.ndarray
        ``f(xs)`` with ``inf`` and ``-inf`` turned into NaN.
    """
    with np.errstate(all="ignore"):
        ys = np.asarray(f(xs), dtype=float)
    # np.where makes a fresh array, so an f that returns its input is not modified.
    ys = np.where(np.isfinite(ys), ys, np.nan)
    return ys if ys.shape == xs.shape else np.array(np.broadcast_to(ys, xs.shape))


@dataclass(frozen=True)
class View:
    """Pixels per unit on each axis, and the y-band in which shapes are judged."""

    x_scale: float
    y_scale: float
    band: tuple[float, float]

    def clip(self, ys: np.ndarray) -> np.ndarray:
        # Off-screen detail cannot be seen, so shapes are judged on values clipped to
        # a band one view-height beyond each edge of the view.
        return np.clip(ys, *self.band)


def merge_samples(
    xs: np.ndarray, ys: np.ndarray, segments: np.ndarray, new_x: np.ndarray, new_y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Insert samples into segments; ``segments`` is sorted, ``new_x`` increasing within each.

    Sample ``k`` goes between ``xs[segments[k]]`` and ``xs[segments[k] + 1]``. This is
    ``np.insert`` without its sort, which costs more than the rest of a pass. Also
    returns where each old sample now is.
    """
    added = np.bincount(segments, minlength=xs.size)
    old = np.arange(xs.size)
    old[1:] += np.cumsum(added[:-1])
    is_new = np.ones(xs.size + new_x.size, dtype=bool)
    is_new[old] = False
    out_x, out_y = np.empty(is_new.size), np.empty(is_new.size)
    out_x[old], out_y[old] = xs, ys
    out_x[is_new], out_y[is_new] = new_x, new_y
    return out_x, out_y, old
