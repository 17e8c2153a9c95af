"""The loss of a line y = mx + c on a dataset, as a function of (m, c), from the data's sums.

SSE(m, c) = Σ(yᵢ − m xᵢ − c)² = Σy² − 2mΣxy − 2cΣy + m²Σx² + 2mcΣx + nc², so its value,
gradient and Hessian anywhere cost the same whatever the number of points:

    ∂SSE/∂m = −2 Σ xᵢ (yᵢ − m xᵢ − c) = −2(Σxy − mΣx² − cΣx)
    ∂SSE/∂c = −2 Σ (yᵢ − m xᵢ − c)    = −2(Σy − mΣx − nc)
    Hessian = 2XᵀX = 2 [[Σx², Σx], [Σx, n]]   (the same everywhere: the bowl is a quadratic)

The MSE is the SSE divided by n: the same minimum, every height and slope n times smaller, so
its critical learning rate is n times larger. The bottom of the bowl is the least-squares line,
the solution of the normal equations XᵀX (m, c) = Xᵀy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcstudio.core.optimize.objective import Objective
from calcstudio.core.regression.dataset import Dataset, Statistics

Loss = Literal["SSE", "MSE"]
Range = tuple[float, float]


@dataclass(frozen=True)
class LineFit:
    """The SSE or MSE of lines y = mx + c on one dataset.

    Parameters
    ----------
    statistics
        The dataset's sums (:meth:`Dataset.statistics`).
    loss
        ``"SSE"`` (the sum of squared errors) or ``"MSE"`` (their mean).
    """

    statistics: Statistics
    loss: Loss = "SSE"

    @classmethod
    def of(cls, dataset: Dataset, loss: Loss = "SSE") -> LineFit:
        """The fit of ``dataset``."""
        if len(dataset) == 0:
            raise ValueError("a line fit needs at least one point")
        return cls(dataset.statistics(), loss)

    @property
    def scale(self) -> float:
        """1 for the SSE, 1/n for the MSE."""
        return 1.0 if self.loss == "SSE" else 1.0 / self.statistics.n

    def value(self, m: np.ndarray | float, c: np.ndarray | float) -> np.ndarray:
        """The loss of the lines (m, c) (arrays broadcast together)."""
        s = self.statistics
        m, c = np.asarray(m, dtype=float), np.asarray(c, dtype=float)
        # Σ(y − mx − c)² = Σ((y − ȳ) − m(x − x̄))² + n(ȳ − m x̄ − c)²: no cancellation of
        # large raw sums when x is far from 0. Both terms are squares, so each is at least 0
        # (the first clamped, against rounding).
        # On a grid (m a row, c a column) the parts in m alone stay a row and the scale is
        # folded into them: three passes over one grid-sized array, a landscape of the bowl
        # per move of a data point.
        k = self.scale
        root = math.sqrt(s.n * k)
        sse = np.asarray(root * (s.mean_y - m * s.mean_x) - root * c)
        np.square(sse, out=sse)
        sse += np.maximum(k * (s.cyy - 2 * m * s.cxy + m * m * s.cxx), 0.0)
        return sse[()]  # a number for numbers

    def gradient(self, m: float, c: float) -> np.ndarray:
        """(∂L/∂m, ∂L/∂c) at (m, c)."""
        s = self.statistics
        offset = s.mean_y - m * s.mean_x - c
        dm = -2 * (s.cxy - m * s.cxx) - 2 * s.n * s.mean_x * offset
        dc = -2 * s.n * offset
        return np.array([dm, dc]) * self.scale

    def hessian(self) -> np.ndarray:
        """2XᵀX for the SSE, (2/n)XᵀX for the MSE: the same at every (m, c)."""
        s = self.statistics
        xx = s.cxx + s.n * s.mean_x * s.mean_x
        return 2 * np.array([[xx, s.n * s.mean_x], [s.n * s.mean_x, float(s.n)]]) * self.scale

    def objective(self, variables: tuple[str, str] = ("m", "c")) -> Objective:
        """The loss as the optimizers see it: value, gradient and the constant Hessian
        straight from the sums.

        The same function as :meth:`loss_text` (a test compares them), without evaluating an
        expression: a step of a descent asks for the loss and the gradient (70 µs through the
        expression, 19 µs from the sums; the seven racers of a race take one step each per
        frame).

        Examples
        --------
        >>> from calcstudio.core.regression import Dataset
        >>> fit = LineFit.of(Dataset(np.array([0.0, 1.0]), np.array([1.0, 3.0])))
        >>> fit.objective().gradient_at(np.array([0.0, 0.0])).tolist()
        [-6.0, -8.0]
        """
        hessian = self.hessian().tolist()

        def constant_hessian(m: np.ndarray | float, c: np.ndarray | float) -> list[list[float]]:
            return hessian

        return Objective(self.value, self.gradient, constant_hessian, variables)

    def best_line(self) -> tuple[float, float] | None:
        """The least-squares (m, c), from the normal equations; None when every x is the same
        (then infinitely many lines fit equally well: no single bottom)."""
        s = self.statistics
        if s.n < 2 or s.cxx <= 0:
            return None
        m = s.cxy / s.cxx
        return m, s.mean_y - m * s.mean_x

    def eigenvalues(self) -> tuple[float, float]:
        """The Hessian's eigenvalues, smaller first: the bowl's curvature along its axes."""
        low, high = np.linalg.eigvalsh(self.hessian())
        return float(low), float(high)

    def condition_number(self) -> float:
        """λmax/λmin of the Hessian: 1 for a round bowl, large for a long thin valley
        (infinite when every x is the same)."""
        low, high = self.eigenvalues()
        return high / low if low > 0 else math.inf

    def critical_rate(self) -> float:
        """2/λmax: plain gradient descent diverges with any larger learning rate, from almost
        every start (all but those on the line through the bottom along the flattest
        direction); the loss is exactly quadratic."""
        return 2.0 / self.eigenvalues()[1]

    def view(self, start: tuple[float, float] = (0.0, 0.0)) -> tuple[Range, Range]:
        """(m, c) ranges that frame the bowl: its bottom in the middle and the level curve
        through ``start`` inside, with a margin (the whole valley, however long and thin)."""
        bottom = self.best_line()
        if bottom is None:
            m0, c0 = start
            return (m0 - 5.0, m0 + 5.0), (c0 - 5.0, c0 + 5.0)
        rise = float(self.value(*start)) - float(self.value(*bottom))
        return bowl_ranges(bottom, self.hessian(), rise)

    def suggested_rate(self) -> float:
        """A learning rate that converges without overshooting: the largest 1, 2 or 5 times
        a power of ten at or below half the critical rate."""
        return rate_below(self.critical_rate())

    def loss_text(self, variables: tuple[str, str] = ("m", "c")) -> str:
        """The loss as a function of (m, c) in the expression language, with the data's sums
        as its coefficients, in the centred form that keeps its precision:
        ``L(m, c) = Σ(y − ȳ)² − 2·Σ(x − x̄)(y − ȳ)·m + Σ(x − x̄)²·m² + n·(ȳ − x̄·m − c)²``.

        The surface lesson's machinery (landscape, gradient, descent) then works on it as on
        any function typed by the learner.
        """
        s, k = self.statistics, self.scale
        m, c = variables
        terms = [
            _term(k * s.cyy, ""),
            _term(-2 * k * s.cxy, f"*{m}"),
            _term(k * s.cxx, f"*{m}^2"),
            _term(k * s.n, f"*({s.mean_y!r} - {s.mean_x!r}*{m} - {c})^2"),
        ]
        text = " ".join(term for term in terms if term).lstrip("+ ")
        if text.startswith("- "):
            text = "-" + text[2:]
        return f"L({m}, {c}) = {text or '0'}"

    def partial_lines(self, m: float, c: float) -> tuple[str, str]:
        """The two partial derivatives written with the data's sums and their values at (m, c),
        e.g. ``∂SSE/∂m = −2(Σxy − mΣx² − cΣx) = −2(…) = −12.4``."""
        s = self.statistics
        gm, gc = self.gradient(m, c)
        front = "−2" if self.loss == "SSE" else f"−2/{s.n}"
        name = self.loss
        return (
            f"∂{name}/∂m = {front}·Σxᵢ(yᵢ − m·xᵢ − c) = {front}·({_n(s.sxy)} − {_f(m)}·{_f(s.sxx)}"
            f" − {_f(c)}·{_f(s.sx)}) = {_n(gm)}",
            f"∂{name}/∂c = {front}·Σ(yᵢ − m·xᵢ − c) = {front}·({_n(s.sy)} − {_f(m)}·{_f(s.sx)}"
            f" − {s.n}·{_f(c)}) = {_n(gc)}",
        )

    def update_lines(self, m: float, c: float, learning_rate: float) -> tuple[str, str]:
        """Each weight's own update rule with its numbers: ``m ← m − η·∂L/∂m = …``."""
        gm, gc = self.gradient(m, c)
        eta = _n(learning_rate)
        return (
            f"m ← m − η·∂{self.loss}/∂m = {_n(m)} − {eta}·{_f(gm)} = {_n(m - learning_rate * gm)}",
            f"c ← c − η·∂{self.loss}/∂c = {_n(c)} − {eta}·{_f(gc)} = {_n(c - learning_rate * gc)}",
        )


def rate_below(critical_rate: float) -> float:
    """The largest 1, 2 or 5 times a power of ten at or below half ``critical_rate``."""
    target = 0.5 * critical_rate
    power = 10.0 ** math.floor(math.log10(target))
    return max(step * power for step in (1.0, 2.0, 5.0) if step * power <= target)


def bowl_ranges(
    bottom: tuple[float, float], hessian: np.ndarray, rise: float
) -> tuple[Range, Range]:
    """Ranges that frame a quadratic bowl: ``bottom`` in the middle and the level curve
    ``rise`` above it inside, with a margin."""
    inverse = np.linalg.inv(hessian)
    # The level set L = L* + Δ of L* + ½ dᵀHd reaches ±sqrt(2 Δ (H⁻¹)ᵢᵢ) along axis i.
    spans = [1.25 * math.sqrt(max(2 * rise * inverse[i, i], 0.0)) for i in (0, 1)]
    spans = [span if span > 0 else 1.0 for span in spans]
    (p, q) = bottom
    return (p - spans[0], p + spans[0]), (q - spans[1], q + spans[1])


def _term(coefficient: float, rest: str) -> str:
    """`` + 2.5*m`` or `` - 2.5*m`` (empty for a zero coefficient)."""
    if coefficient == 0:
        return ""
    sign = "-" if coefficient < 0 else "+"
    return f"{sign} {abs(float(coefficient))!r}{rest}"


def readout_number(value: float) -> str:
    """A number in a readout: up to 6 significant digits, a true minus sign, never −0."""
    text = f"{value:.6g}"
    return "0" if text in ("-0", "0") else text.replace("-", "−")


_n = readout_number


def _f(value: float) -> str:
    """A number as a factor of a product: in brackets when negative, ``·(−2)``."""
    return f"({_n(value)})" if value < 0 else _n(value)
