"""The chain-rule lesson's formulas as LaTeX, for typesetting: links, the product, the steps.

Written from the texts :mod:`.steps` built (in the expression language) by the language's own
LaTeX printer (:mod:`calcstudio.core.language.latex`): no sympy, nothing derived again. Each
function returns ``""`` for a formula that has no LaTeX (a link of min or max has no single
slope); the window then keeps showing its text.
"""

from __future__ import annotations

from calcstudio.core.chain.steps import Link, Step
from calcstudio.core.language.latex import PRIME, PRIMED_CALL, name_latex, text_latex

_TIMES = r"\cdot "


def derivative_label(variable: str, several: bool) -> str:
    """``f'(x)`` for one variable, ``∂f/∂w1`` (as a fraction) for one of several."""
    name = name_latex(variable)
    if several:
        return rf"\frac{{\partial f}}{{\partial {name}}}"
    return rf"f{PRIMED_CALL}({name})"


def link_latex(link: Link) -> tuple[str, str]:
    """``A(u) = \\sin(u)`` and ``A'(u) = \\cos(u)`` for the link ``A``."""
    variable = name_latex(link.variable)
    formula = text_latex(link.formula)
    slope = text_latex(link.slope) if link.slope is not None else ""
    return (
        f"{link.name}({variable}) = {formula}" if formula else "",
        f"{link.name}{PRIMED_CALL}({variable}) = {slope}" if slope else "",
    )


def product_latex(links: tuple[Link, ...], product: str | None, label: str) -> tuple[str, str]:
    """f′ as the chain rule writes it, ``A'(B(C(x)))·B'(C(x))·C'(x)``, and the product of
    the links' slopes written out, ``= \\cos((4x)^2)·2(4x)·4``; ``label`` is f′'s LaTeX."""
    names = [link.name for link in links]
    variable = name_latex(links[-1].variable) if links else "x"
    factors = []
    for index, name in enumerate(names):
        inside = variable
        for inner in reversed(names[index + 1 :]):
            inside = f"{inner}({inside})"
        factors.append(f"{name}{PRIMED_CALL}({inside})")
    written = text_latex(product) if product is not None else ""
    return f"{label} = {_TIMES.join(factors)}", f"= {written}" if written else ""


def step_latex(step: Step, partial: str | None = None) -> str:
    """``(\\sin((4x)^2))' = …``: one step's expression, primed, equal to its derivative.

    For a partial derivative (``partial`` names its variable):
    ``\\frac{\\partial}{\\partial w_1}(…) = …``.
    """
    if step.derivative is None:
        return ""
    expression, derivative = text_latex(step.expression), text_latex(step.derivative)
    if not expression or not derivative:
        return ""
    if partial is not None:
        operator = rf"\frac{{\partial}}{{\partial {name_latex(partial)}}}"
        return rf"{operator}\left({expression}\right) = {derivative}"
    return rf"\left({expression}\right){PRIME} = {derivative}"


__all__ = ["derivative_label", "link_latex", "product_latex", "step_latex"]
