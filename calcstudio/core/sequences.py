"""Where a sequence of numbers goes as a step shrinks: it settles, grows, or keeps swinging.

Used by :mod:`calcstudio.core.derivative_check` on f's values and difference quotients at
steps ``h, h/4, h/16, ...`` towards a point. The tests read the increments between terms
(below a noise level they count as 0):

- *settles*: the largest increment of each window of four shrinks to half the one before
  (``x sin(1/x)`` settles on 0 though its increments change sign), or the increments keep
  one sign and shrink steadily (``x^0.2``, slowly);
- *grows*: the increments keep one sign and do not shrink (``1/h``, ``log h``);
- *swings*: anything else (``sin(1/h)``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

_WINDOW = 4
_SLOW = 0.95  # steady one-signed increments shrinking by at most this a step still settle


@dataclass(frozen=True)
class Trend:
    """``kind`` is ``"settles"``, ``"grows"`` or ``"swings"``; a settled ``limit`` and its
    ``error`` (both NaN unless settled)."""

    kind: str
    limit: float
    error: float


def trend(terms: np.ndarray, noise: np.ndarray) -> Trend:
    """Where ``terms`` go, judged from at least 9 terms (two windows of increments).

    Parameters
    ----------
    terms
        Finite numbers, one per shrinking step.
    noise
        The rounding noise of each term; smaller changes count as none.

    Returns
    -------
    Trend
    """
    terms = np.asarray(terms, dtype=float)
    noise = np.asarray(noise, dtype=float)
    steps = np.diff(terms)
    steps[np.abs(steps) <= np.maximum(noise[1:], noise[:-1])] = 0.0
    size = np.abs(steps)
    windows = [size[end - _WINDOW : end].max() for end in range(size.size, _WINDOW - 1, -_WINDOW)]
    shrinking = all(
        later == 0 or later <= 0.5 * earlier for later, earlier in itertools.pairwise(windows[:3])
    )
    tail = steps[-2 * _WINDOW :]
    moving = tail[tail != 0]
    one_signed = moving.size == tail.size and bool(np.all(np.sign(moving) == np.sign(moving[0])))
    rate = 0.0
    if windows[1] > 0:
        rate = (windows[0] / windows[1]) ** (1 / _WINDOW)
    tiny = windows[0] <= 1e-12 * abs(terms[-1])
    if not (shrinking or tiny or (one_signed and rate <= _SLOW)):
        if one_signed and abs(terms[-1]) > abs(terms[-1 - 2 * _WINDOW]):
            return Trend("grows", math.nan, math.nan)
        return Trend("swings", math.nan, math.nan)
    # The rest of a geometric tail is up to rate / (1 - rate) times its last step.
    ahead = 1 / (1 - min(rate, _SLOW))
    # A term is as uncertain as the largest step still to come after it, plus its noise:
    # the best is where shrinking steps meet growing noise.
    to_come = np.maximum.accumulate(size[::-1])[::-1]
    error = to_come * ahead + noise[1:]
    best = 1 + int(np.argmin(error))
    limit, uncertainty = float(terms[best]), float(error.min())
    # A limit within its own uncertainty of 0 is 0 (x log|x| tends to 0, not to 5e-10).
    return Trend("settles", 0.0 if abs(limit) <= 2 * uncertainty else limit, uncertainty)


__all__ = ["Trend", "trend"]
