"""The surface lesson's numerical partial derivatives: a collapsible section of its panel.

At the learner's point, each partial derivative of L approximated by forward, backward and
central differences in its own variable (the other held), next to the exact partial from
the syntax tree's jets, with the V of the errors against h; and the material's
central-difference gradient with eps = 1e-5 (``(2, −8)`` at ``(1, −2)`` on ``w1² + 2w2²``).
The widget is the tangent lesson's own
(:class:`calcstudio.ui.widgets.numerical_derivative.NumericalDerivative`), given one target
per partial. Collapsed at first, so the panel stays as it was; while collapsed it computes
nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget

from calcstudio.core.difference import Kind, along_axis
from calcstudio.core.surface.fields import Surface
from calcstudio.ui.widgets.numerical_derivative import NumericalDerivative, Target

TITLE = "Numerical partial derivatives: the material's eps = 1e-5"


def partial_formulas(variables: tuple[str, str], axis: int) -> dict[Kind, str]:
    """The three differences of ∂L/∂(variable ``axis``) in the learner's names."""

    def at(shift: str) -> str:
        names = list(variables)
        names[axis] += shift
        return f"L({', '.join(names)})"

    return {
        "forward": f"({at('+h')} − {at('')}) / h",
        "backward": f"({at('')} − {at('−h')}) / h",
        "central": f"({at('+h')} − {at('−h')}) / 2h",
    }


def partial_targets(surface: Surface, point: tuple[float, float]) -> list[Target]:
    """One :class:`Target` per partial derivative of ``surface`` at ``point``."""
    _, gradient, _ = surface.at(*point)
    targets = []
    for axis, name in enumerate(surface.variables):

        def curvature(w1: object, w2: object, axis: int = axis) -> object:
            return surface.derivatives(w1, w2).hessian[axis][axis]

        targets.append(
            Target(
                f"∂L/∂{name}",
                f"∂³L/∂{name}³",
                along_axis(surface.value, point, axis),
                float(point[axis]),
                float(gradient[axis]),
                along_axis(curvature, point, axis),
                partial_formulas(surface.variables, axis),
            )
        )
    return targets


class PartialDifferences(QWidget):
    """A header that folds open the numerical partial derivatives at the point.

    Attributes
    ----------
    toggle : QToolButton
        The header; checked when open.
    numerical : NumericalDerivative
        The differences of ∂L/∂w1 and ∂L/∂w2, their V, and the material's gradient.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setText(TITLE)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.toggle.setToolTip(
            "How good is the material's numerical gradient (central differences, eps = 1e-5)?"
            " Forward, backward and central differences of each partial derivative at the"
            " point, and their error against h"
        )
        self.numerical = NumericalDerivative()
        self.numerical.hide()
        self._surface: Surface | None = None
        self._point = (0.0, 0.0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.numerical)
        self.toggle.toggled.connect(self._on_toggled)

    def place_in(self, panel: QWidget, after: QWidget) -> None:
        """Insert this section into ``panel``'s layout just below ``after``."""
        layout = panel.layout()
        layout.insertWidget(layout.indexOf(after) + 1, self)  # type: ignore[attr-defined]

    def is_open(self) -> bool:
        """Whether the section is folded open."""
        return self.toggle.isChecked()

    def show_point(self, surface: Surface | None, point: tuple[float, float]) -> None:
        """Follow the learner's point (measured only while open)."""
        self._surface, self._point = surface, (float(point[0]), float(point[1]))
        if self.is_open() and surface is not None:
            self.numerical.schedule(partial_targets(surface, self._point))

    def _on_toggled(self, shown: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.numerical.setVisible(shown)
        if shown and self._surface is not None:
            self.numerical.set_targets(partial_targets(self._surface, self._point))


__all__ = ["PartialDifferences", "partial_formulas", "partial_targets"]
