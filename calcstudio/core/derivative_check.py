"""Whether f'(a) exists, decided numerically, and if not, why, in words for a learner.

A symbolic derivative can have a value where the derivative does not exist (sympy's
d/dx |x| = sign(x) is 0 at 0), so the window asks this module before it draws a tangent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calcstudio.core.calculus import RealFunction, format_number, value_at


@dataclass(frozen=True)
class DerivativeCheck:
    """Whether ``f'(point)`` exists, the one-sided slopes, and why not if it does not."""

    point: float
    exists: bool
    left_slope: float
    right_slope: float
    reason: str
    """One of ``""``, ``"undefined"``, ``"one-sided"``, ``"jump"``, ``"vertical"``,
    ``"oscillates"``, ``"corner"``."""

    @property
    def slope(self) -> float:
        """The derivative where it exists, else NaN."""
        return 0.5 * (self.left_slope + self.right_slope) if self.exists else float("nan")

    def message(self) -> str:
        """A sentence for the learner, e.g. "f'(0) does not exist here (corner): ..."."""
        at = f"f'({format_number(self.point)})"
        if self.exists:
            return f"{at} = {format_number(self.slope)}"
        left, right = format_number(self.left_slope), format_number(self.right_slope)
        why = {
            "undefined": "f is not defined at this point",
            "one-sided": "f is only defined on one side of this point",
            "jump": "f jumps here, so it is not continuous",
            "vertical": "the graph is vertical here: the slope grows without bound",
            "oscillates": "the difference quotients keep swinging and never settle",
            "corner": f"the slope from the left is {left} but from the right is {right}",
        }[self.reason]
        return f"{at} does not exist here ({self.reason}): {why}."


def check_derivative(f: RealFunction, point: float) -> DerivativeCheck:
    """Decide numerically whether ``f`` has a derivative at ``point``, and if not, why.

    One-sided difference quotients are taken at steps shrinking from ``1e-2`` to
    ``1e-6`` (times ``max(1, |point|)``). A jump shows as a change in ``f`` that does
    not shrink with the step; a vertical tangent as quotients that grow; oscillation
    as quotients that do not settle; a corner as two settled sides that disagree.

    Parameters
    ----------
    f
        The function.
    point
        Where to look.

    Returns
    -------
    DerivativeCheck
    """
    nan = float("nan")
    value = value_at(f, point)
    if not np.isfinite(value):
        return DerivativeCheck(point, False, nan, nan, "undefined")
    scale = max(1.0, abs(point))
    steps = scale * np.array([1e-2, 1e-3, 1e-4, 1e-5, 2e-6, 1e-6])
    steps = (point + steps) - point
    with np.errstate(all="ignore"):
        after = np.asarray(f(point + steps), dtype=float) - value
        before = value - np.asarray(f(point - steps), dtype=float)
    if not (np.isfinite(after).all() and np.isfinite(before).all()):
        return DerivativeCheck(point, False, nan, nan, "one-sided")
    right_q, left_q = after / steps, before / steps
    # Richardson: 2 q(h) - q(2h) cancels the error linear in h, so a smooth f's two
    # sides agree to ~h^2 and only a real corner remains.
    right, left = 2 * right_q[-1] - right_q[-2], 2 * left_q[-1] - left_q[-2]
    size = 1.0 + abs(value)
    for change in (after, before):
        # A continuous f changes ~10 000x less over a 10 000x shorter step.
        if abs(change[-1]) > 1e-8 * size and abs(change[-1]) > 0.1 * abs(change[1]):
            return DerivativeCheck(point, False, left, right, "jump")
    for quotients in (right_q, left_q):
        # sqrt(|x|) or cbrt(x): steeper at every shorter step, by far in the end.
        growing = bool(np.all(np.diff(np.abs(quotients)) > 0))
        if growing and abs(quotients[-1]) > 10 * max(1.0, abs(quotients[0])):
            return DerivativeCheck(point, False, left, right, "vertical")
    for quotients in (right_q, left_q):
        settled = abs(quotients[-1] - quotients[-3]) <= 1e-3 * (1.0 + abs(quotients[-1]))
        if not settled:
            return DerivativeCheck(point, False, left, right, "oscillates")
    if abs(right - left) > 1e-4 * (1.0 + max(abs(left), abs(right))):
        return DerivativeCheck(point, False, left, right, "corner")
    return DerivativeCheck(point, True, left, right, "")


__all__ = ["DerivativeCheck", "check_derivative"]
