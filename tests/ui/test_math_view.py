"""The formula panel keeps the rows whose formulas did not change."""

from __future__ import annotations

from calcstudio.core.typeset import formula_svg
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.math_view import Formula, FormulaWidget, MathView


def formula(latex: str, text: str, colour: str) -> Formula:
    return Formula(formula_svg(latex), text, latex, colour)


def test_a_formula_that_stays_keeps_its_row_and_the_others_are_new(qtbot) -> None:
    view = MathView()
    qtbot.addWidget(view)
    derivative = formula(r"f^{\prime}\!(x) = 2 x", "f'(x) = 2*x", palette.DERIVATIVE)
    view.set_formulas([formula("f(x) = x^{2}", "f(x) = x^2", palette.FUNCTION), derivative])
    first_rows = list(view.rows)
    # x^2 + 1 has the same derivative: its row (and its picture) stays.
    view.set_formulas([formula("f(x) = x^{2} + 1", "f(x) = x^2 + 1", palette.FUNCTION), derivative])
    assert view.rows[1] is first_rows[1]
    assert view.rows[0] is not first_rows[0]
    assert view.shown_texts() == ["f(x) = x^2 + 1", "f'(x) = 2*x"]
    layout = view.widget().layout()
    assert [layout.itemAt(i).widget() for i in range(2)] == view.rows  # in order
    assert all(isinstance(row, FormulaWidget) and row.is_valid() for row in view.rows)
    view.set_formulas([derivative])  # now first: a new row, in the first place
    assert view.shown_texts() == ["f'(x) = 2*x"]
    assert view.rows[0] is not first_rows[1] and layout.itemAt(0).widget() is view.rows[0]
