"""The performance budgets of DESIGN.md and the issues, and the verdict line of each.

Every section of the benchmark adds its figures here as it measures them; the benchmark ends
with one line per budget: the figure, its limit, the notebook-way baseline measured in the same
run where there is one, and ``within`` or ``over``, so a regression shows at a glance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    """One measured figure against its budget.

    Attributes
    ----------
    name
        What was measured, e.g. ``"keystroke to repainted plot, median"``.
    measured_ms
        The figure, in milliseconds (NaN if it could not be measured).
    limit_ms
        The budget: the figure must be at most this.
    baseline_ms
        The same work done the notebook way in the same run, if measured.
    min_ratio
        How many times faster than the baseline the figure must be, if the budget says so.
    """

    name: str
    measured_ms: float
    limit_ms: float
    baseline_ms: float | None = None
    min_ratio: float | None = None

    @property
    def ratio(self) -> float | None:
        """baseline / measured, or None without a baseline."""
        if self.baseline_ms is None or not self.measured_ms > 0:
            return None
        return self.baseline_ms / self.measured_ms

    @property
    def within(self) -> bool:
        """Whether the figure meets its limit (and its ratio, if it has one)."""
        if not math.isfinite(self.measured_ms) or self.measured_ms > self.limit_ms:
            return False
        ratio = self.ratio
        return self.min_ratio is None or (ratio is not None and ratio >= self.min_ratio)

    def line(self, width: int) -> str:
        """``name ....  7.9 ms  budget <= 8 ms  notebook 31.0 ms (3.9x, needs 4x)  over``."""
        measured = f"{self.measured_ms:8.1f} ms" if math.isfinite(self.measured_ms) else "   n/a"
        text = f"{self.name:<{width}} {measured}   budget <= {self.limit_ms:g} ms"
        if self.baseline_ms is not None:
            ratio = self.ratio
            needs = f", needs {self.min_ratio:g}x" if self.min_ratio is not None else ""
            ratio_text = f"{ratio:.1f}x" if ratio is not None else "n/a"
            text += f"   notebook {self.baseline_ms:.1f} ms ({ratio_text}{needs})"
        return f"{text}   {'within' if self.within else 'OVER'}"


@dataclass
class Budgets:
    """The figures of one benchmark run."""

    figures: list[Figure] = field(default_factory=list)

    def add(
        self,
        name: str,
        measured_ms: float,
        limit_ms: float,
        baseline_ms: float | None = None,
        min_ratio: float | None = None,
    ) -> None:
        """Record a figure against its budget."""
        self.figures.append(Figure(name, measured_ms, limit_ms, baseline_ms, min_ratio))

    def lines(self) -> list[str]:
        """One line per figure, aligned, and a count of those over budget."""
        if not self.figures:
            return ["no budgets measured"]
        width = max(len(figure.name) for figure in self.figures)
        over = sum(not figure.within for figure in self.figures)
        return [figure.line(width) for figure in self.figures] + [
            f"{len(self.figures) - over} of {len(self.figures)} budgets within, {over} over"
        ]
