"""A parabola y = a·x² + b·x + c fitted to data: its SSE or MSE over (a, b, c), the least-squares
coefficients, and the loss as a bowl over two chosen coefficients with the third held fixed.

With the design matrix X = [x², x, 1], the SSE is a quadratic in θ = (a, b, c):

    SSE(θ) = Σ(yᵢ − a xᵢ² − b xᵢ − c)² = |y − Xθ|²,   ∇SSE = −2Xᵀ(y − Xθ),   Hessian 2XᵀX.

The least-squares θ solves the normal equations XᵀX θ = Xᵀy. They are solved in the centred
input t = x − x̄ (the same parabola, far better conditioned when x is far from 0) and turned
back into (a, b, c). Holding one coefficient fixed leaves a quadratic in the other two, drawn
as the lesson's landscape: its bottom is the best pair for that fixed value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcstudio.core.regression.dataset import Dataset, exact_sum
from calcstudio.core.regression.line_fit import Loss, _term, bowl_ranges
from calcstudio.core.regression.line_fit import readout_number as _n

Coefficient = Literal["a", "b", "c"]
COEFFICIENTS: tuple[Coefficient, ...] = ("a", "b", "c")
"""The coefficients of y = a·x² + b·x + c, in the order of θ."""


@dataclass(frozen=True, eq=False)  # holds arrays: compared by identity
class QuadraticFit:
    """The SSE or MSE of parabolas y = a·x² + b·x + c on one dataset.

    Parameters
    ----------
    dataset
        The points.
    loss
        ``"SSE"`` or ``"MSE"``.
    """

    dataset: Dataset
    loss: Loss = "SSE"

    @classmethod
    def of(cls, dataset: Dataset, loss: Loss = "SSE") -> QuadraticFit:
        """The fit of ``dataset`` (at least one point)."""
        if len(dataset) == 0:
            raise ValueError("a fit needs at least one point")
        return cls(dataset, loss)

    @property
    def scale(self) -> float:
        """1 for the SSE, 1/n for the MSE."""
        return 1.0 if self.loss == "SSE" else 1.0 / len(self.dataset)

    def design(self) -> np.ndarray:
        """X = [x², x, 1], one row per point."""
        x = self.dataset.x
        return np.column_stack([x * x, x, np.ones_like(x)])

    def value(self, theta: np.ndarray) -> float:
        """The loss at θ = (a, b, c), summed point by point (no cancellation of large sums)."""
        a, b, c = (float(v) for v in theta)
        x, y = self.dataset.x, self.dataset.y
        residual = y - (a * x * x + b * x + c)
        return exact_sum(residual * residual) * self.scale

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        """(∂L/∂a, ∂L/∂b, ∂L/∂c) = −2·Σ(xᵢ², xᵢ, 1)·rᵢ (times 1/n for the MSE)."""
        a, b, c = (float(v) for v in theta)
        x, y = self.dataset.x, self.dataset.y
        r = y - (a * x * x + b * x + c)
        return -2.0 * np.array([exact_sum(x * x * r), exact_sum(x * r), exact_sum(r)]) * self.scale

    def hessian(self) -> np.ndarray:
        """2XᵀX (times 1/n for the MSE): the same at every θ."""
        design = self.design()
        return 2.0 * (design.T @ design) * self.scale

    def best(self) -> tuple[float, float, float] | None:
        """The least-squares (a, b, c) from the normal equations, or None when fewer than three
        distinct x make many parabolas fit equally well."""
        x, y = self.dataset.x, self.dataset.y
        if np.unique(x).size < 3:
            return None
        shift = exact_sum(x) / x.size
        t = x - shift
        centred = np.column_stack([t * t, t, np.ones_like(t)])
        alpha, beta, gamma = np.linalg.solve(centred.T @ centred, centred.T @ y)
        # α t² + β t + γ with t = x − x̄, written in powers of x.
        a = alpha
        b = beta - 2 * alpha * shift
        c = gamma - beta * shift + alpha * shift * shift
        return float(a), float(b), float(c)

    def curve_text(self, theta: np.ndarray) -> str:
        """``y = 0.3·x² − 2·x + 5`` (signs written as operations)."""
        a, b, c = (float(v) for v in theta)

        def signed(value: float, rest: str) -> str:
            return f" {'−' if value < 0 else '+'} {_n(abs(value))}{rest}"

        return f"y = {_n(a)}·x²{signed(b, '·x')}{signed(c, '')}"

    def partial_lines(self, theta: np.ndarray) -> tuple[str, str, str]:
        """The three partial derivatives at θ with their values:
        ``∂SSE/∂a = −2·Σxᵢ²(yᵢ − a·xᵢ² − b·xᵢ − c) = −36``."""
        front = "−2" if self.loss == "SSE" else f"−2/{len(self.dataset)}"
        error = "(yᵢ − a·xᵢ² − b·xᵢ − c)"
        gradient = self.gradient(theta)
        return tuple(  # type: ignore[return-value]
            f"∂{self.loss}/∂{name} = {front}·Σ{factor}{error} = {_n(value)}"
            for name, factor, value in zip(COEFFICIENTS, ("xᵢ²", "xᵢ", ""), gradient, strict=True)
        )

    def plane(self, free: tuple[Coefficient, Coefficient], held: float) -> FixedPlane:
        """The loss over the ``free`` pair of coefficients with the third held at ``held``."""
        return FixedPlane(self, free, held)


@dataclass(frozen=True, eq=False)
class FixedPlane:
    """The loss of a :class:`QuadraticFit` over two coefficients, the third held fixed.

    Attributes
    ----------
    fit
        The full fit.
    free
        The two coefficients drawn, e.g. ``("a", "b")``.
    held
        The value the third coefficient is held at.
    """

    fit: QuadraticFit
    free: tuple[Coefficient, Coefficient]
    held: float

    def __post_init__(self) -> None:
        if len(set(self.free)) != 2 or not set(self.free) <= set(COEFFICIENTS):
            raise ValueError(f"choose two different coefficients of a, b, c, not {self.free}")
        if not math.isfinite(self.held):
            raise ValueError("the held coefficient must be an ordinary number")

    @property
    def held_name(self) -> Coefficient:
        """The coefficient held fixed."""
        return next(name for name in COEFFICIENTS if name not in self.free)

    def theta(self, p: float, q: float) -> np.ndarray:
        """The full (a, b, c) at the free pair (p, q)."""
        theta = np.zeros(3)
        for name, value in zip(self.free, (p, q), strict=True):
            theta[COEFFICIENTS.index(name)] = value
        theta[COEFFICIENTS.index(self.held_name)] = self.held
        return theta

    def _indices(self) -> list[int]:
        return [COEFFICIENTS.index(name) for name in self.free]

    def hessian(self) -> np.ndarray:
        """The 2×2 block of the full Hessian for the free pair."""
        i = self._indices()
        return self.fit.hessian()[np.ix_(i, i)]

    def bottom(self) -> tuple[float, float] | None:
        """The best free pair for the held value (None when the block is singular)."""
        design = self.fit.design()
        i = self._indices()
        held_column = design[:, COEFFICIENTS.index(self.held_name)]
        target = self.fit.dataset.y - self.held * held_column
        block = design[:, i]
        if np.linalg.matrix_rank(block) < 2:
            return None
        p, q = np.linalg.solve(block.T @ block, block.T @ target)
        return float(p), float(q)

    def value(self, p: np.ndarray | float, q: np.ndarray | float) -> np.ndarray:
        """The loss at the free pairs (p, q) (arrays broadcast), from the bottom and the block:
        L = L(bottom) + ½ dᵀHd, exact for a quadratic, and no large sums cancel."""
        bottom = self.bottom()
        if bottom is None:
            raise ValueError("this pair of coefficients has no single best value")
        low = self.fit.value(self.theta(*bottom))
        h = self.hessian()
        dp = np.asarray(p, dtype=float) - bottom[0]
        dq = np.asarray(q, dtype=float) - bottom[1]
        return low + 0.5 * (h[0, 0] * dp * dp + 2 * h[0, 1] * dp * dq + h[1, 1] * dq * dq)

    def gradient(self, p: float, q: float) -> np.ndarray:
        """The two partial derivatives of the loss along the free pair."""
        return self.fit.gradient(self.theta(p, q))[self._indices()]

    def condition_number(self) -> float:
        """λmax/λmin of the pair's Hessian block (infinite when it is singular)."""
        low, high = np.linalg.eigvalsh(self.hessian())
        return float(high / low) if low > 0 else math.inf

    def critical_rate(self) -> float:
        """2/λmax of the pair's Hessian block: plain gradient descent on the pair diverges
        with any larger rate from almost every start."""
        return float(2.0 / np.linalg.eigvalsh(self.hessian())[1])

    def view(self, start: tuple[float, float]) -> tuple[tuple[float, float], tuple[float, float]]:
        """Ranges of the pair that frame the bowl: its bottom in the middle and the level
        curve through ``start`` inside, with a margin."""
        bottom = self.bottom()
        if bottom is None:
            return (start[0] - 5.0, start[0] + 5.0), (start[1] - 5.0, start[1] + 5.0)
        rise = float(self.value(*start)) - float(self.value(*bottom))
        return bowl_ranges(bottom, self.hessian(), rise)

    def loss_text(self) -> str:
        """The loss over the free pair in the expression language, with the data's numbers:
        ``L(a, b) = L₀ + ½·h₁₁·(a − a₀)² + h₁₂·(a − a₀)·(b − b₀) + ½·h₂₂·(b − b₀)²``, so the
        surface lesson's landscape and descent work on it as on any typed function."""
        bottom = self.bottom()
        if bottom is None:
            raise ValueError("this pair of coefficients has no single best value")
        p, q = self.free
        p0, q0 = bottom
        h = self.hessian()
        dp, dq = f"({p} - {p0!r})", f"({q} - {q0!r})"
        terms = [
            _term(self.fit.value(self.theta(p0, q0)), ""),
            _term(0.5 * h[0, 0], f"*{dp}^2"),
            _term(h[0, 1], f"*{dp}*{dq}"),
            _term(0.5 * h[1, 1], f"*{dq}^2"),
        ]
        text = " ".join(term for term in terms if term).lstrip("+ ")
        if text.startswith("- "):
            text = "-" + text[2:]
        return f"L({p}, {q}) = {text or '0'}"


__all__ = ["COEFFICIENTS", "Coefficient", "FixedPlane", "QuadraticFit"]
