"""L, ∇L and the Hessian of a function of two variables, straight from the syntax tree.

The one-variable fast path (:mod:`calcstudio.core.jets`) differentiates along a line: the
jet of ``t ↦ L(w + t d)`` at ``t = 0`` is ``(L, ∇L·d, dᵀ H d)``. Along the two axes that
gives the partial derivatives and the pure second derivatives; along the diagonal
``d = (1, 1)`` it gives ``L₁₁ + 2 L₁₂ + L₂₂``, hence the mixed one. So every rule of the
language (kinks, ties of min/max, real odd roots) carries over to two variables unchanged.

Why jets and not sympy's derivatives compiled in the worker: on a 400×400 grid the compiled
programs evaluate L in about 1 ms and ∇L in 2 ms against 1.5 to 5 ms and 6 to 17 ms for the
jets (measured for the seed bowl and Rosenbrock), but they arrive 50 ms to seconds after a
keystroke, from the worker. The jets are ready at once and are fast enough for every budget
(``python -m calcstudio.benchmark``), so one path serves the keystroke, pan, drag and descent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from calcstudio.core.jets import directional_evaluator
from calcstudio.core.language import SyntaxTree, parse_tree

Array = np.ndarray


@dataclass(frozen=True)
class Derivatives:
    """L, its gradient and its Hessian at some points (arrays of one shape).

    Attributes
    ----------
    value
        L.
    gradient
        ``(∂L/∂w1, ∂L/∂w2)``.
    hessian
        ``((L₁₁, L₁₂), (L₂₁, L₂₂))`` with ``L₁₂ = L₂₁``.
    """

    value: Array
    gradient: tuple[Array, Array]
    hessian: tuple[tuple[Array, Array], tuple[Array, Array]]

    def hessian_matrix(self) -> Array:
        """The Hessian as an array of shape ``(..., 2, 2)``."""
        (a, b), (_, c) = self.hessian
        return np.stack([np.stack([a, b], -1), np.stack([b, c], -1)], -2)


class Surface:
    """A function of two variables with fast evaluators of L, ∇L and the Hessian.

    Parameters
    ----------
    tree
        A syntax tree with exactly two variables.

    Raises
    ------
    ValueError
        If the tree does not have exactly two variables.

    Examples
    --------
    >>> bowl = surface("w1^2 + 2w2^2")
    >>> [float(g) for g in bowl.gradient(1.0, -2.0)]
    [2.0, -8.0]
    """

    def __init__(self, tree: SyntaxTree) -> None:
        if len(tree.variables) != 2:
            count = len(tree.variables)
            raise ValueError(f"a surface needs a function of two variables; this one has {count}")
        self.tree = tree
        self.variables: tuple[str, str] = (tree.variables[0], tree.variables[1])
        self._along = [directional_evaluator(tree, order) for order in range(3)]

    def value(self, w1: ArrayLike, w2: ArrayLike) -> Array:
        """L at the points ``(w1, w2)`` (broadcast together), NaN where undefined."""
        return self._along[0](((w1,), (w2,)))[0]

    def gradient(self, w1: ArrayLike, w2: ArrayLike) -> tuple[Array, Array]:
        """``(∂L/∂w1, ∂L/∂w2)`` at the points, NaN where L or a slope is undefined."""
        along = self._along[1]
        first = along(((w1, 1.0), (w2, 0.0)))[1]
        second = along(((w1, 0.0), (w2, 1.0)))[1]
        return first, second

    def derivatives(self, w1: ArrayLike, w2: ArrayLike) -> Derivatives:
        """L, ∇L and the Hessian at the points, in three passes along d = e1, e2, e1 + e2."""
        along = self._along[2]
        value, l1, l11 = along(((w1, 1.0, 0.0), (w2, 0.0, 0.0)))
        _, l2, l22 = along(((w1, 0.0, 0.0), (w2, 1.0, 0.0)))
        diagonal = along(((w1, 1.0, 0.0), (w2, 1.0, 0.0)))[2]
        l12 = 0.5 * (diagonal - l11 - l22)
        return Derivatives(value, (l1, l2), ((l11, l12), (l12, l22)))

    def at(self, w1: float, w2: float) -> tuple[float, Array, Array]:
        """L, the gradient (shape ``(2,)``) and the Hessian (``(2, 2)``) at one point."""
        d = self.derivatives(float(w1), float(w2))
        return float(d.value), np.array([float(g) for g in d.gradient]), d.hessian_matrix()


def surface(text: str) -> Surface:
    """Parse ``text`` (e.g. ``"w1^2 + 2w2^2"``) into a :class:`Surface`.

    Raises
    ------
    ParseError
        If the text is not a valid function.
    ValueError
        If it does not have exactly two variables.
    """
    return Surface(parse_tree(text))


__all__ = ["Derivatives", "Surface", "surface"]
