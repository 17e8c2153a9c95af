"""Huge round numbers are written in scientific notation, and the text still parses back."""

from __future__ import annotations

import pytest

from calcstudio.core.function import parse
from calcstudio.core.language.printing import scientific_parts


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        (10**300, ("1", 300)),
        (-25 * 10**40, ("-2.5", 41)),
        (123456 * 10**20, ("1.23456", 25)),
        (2**64, None),  # many significant digits: written out
        (10**14, None),  # fifteen digits: short enough to read
        (1234567 * 10**20, None),  # seven significant digits
    ],
)
def test_scientific_parts(value: int, parts: tuple[str, int] | None) -> None:
    assert scientific_parts(value) == parts


@pytest.mark.parametrize(
    ("typed", "text", "latex"),
    [
        ("1e-300*x", "x/1e300", r"\frac{x}{10^{300}}"),
        ("1e300*x^2", "1e300*x^2", "10^{300} x^{2}"),
        ("3.5e-40*x^3", "7*x^3/2e40", r"\frac{7 x^{3}}{2 \cdot 10^{40}}"),
        ("-1e-30*x", "-x/1e30", r"- \frac{x}{10^{30}}"),
        ("x/10 + 0.25", "x/10 + 1/4", r"\frac{x}{10} + \frac{1}{4}"),
        ("2^64*x", "18446744073709551616*x", "18446744073709551616 x"),
    ],
)
def test_tiny_and_huge_constants_read_short_and_parse_back(
    typed: str, text: str, latex: str
) -> None:
    f = parse(typed)
    assert f.text == text
    assert f.latex == latex
    assert parse(f.text).expr == f.expr  # exactly the same number, not a rounded one


def test_the_derivative_text_of_a_tiny_slope_is_short() -> None:
    assert parse("1e-300*x").derivative().text == "1/1e300"


def test_a_sum_is_ordered_once_for_its_text_and_its_latex(monkeypatch) -> None:
    import sympy

    from calcstudio.core.language.printing import language_latex, language_text

    x = sympy.Symbol("x", real=True)
    polynomial = sum(((k % 7 + 1) * x**k for k in range(1, 31)), sympy.Integer(1))
    ordered: list[object] = []
    order_terms = sympy.Expr.as_ordered_terms

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        ordered.append(self)
        return order_terms(self, *args, **kwargs)

    monkeypatch.setattr(sympy.Expr, "as_ordered_terms", counting)
    text, latex = language_text(polynomial), language_latex(polynomial)
    assert ordered == [polynomial]  # sorted for the text, kept for the LaTeX
    # ... and written as sympy's own printers write it
    assert text == sympy.sstr(polynomial).replace("**", "^")
    assert latex == sympy.latex(polynomial)
    assert text.startswith("3*x^30 + 2*x^29 + x^28") and latex.startswith("3 x^{30} + 2 x^{29}")


@pytest.mark.parametrize("writing", ["text", "latex"])
def test_the_products_a_keystroke_keeps_are_not_written_again(monkeypatch, writing: str) -> None:
    import sympy
    from sympy.printing.latex import LatexPrinter
    from sympy.printing.str import StrPrinter

    from calcstudio.core.language.printing import language_latex, language_text

    printer, write, sympys = {
        "text": (StrPrinter, language_text, lambda e: sympy.sstr(e).replace("**", "^")),
        "latex": (LatexPrinter, language_latex, sympy.latex),
    }[writing]
    printed: list[object] = []
    print_product = printer._print_Mul

    def counting(self, expr):  # type: ignore[no-untyped-def]
        printed.append(expr)
        return print_product(self, expr)

    monkeypatch.setattr(printer, "_print_Mul", counting)
    x = sympy.Symbol("x", real=True)
    terms = [sympy.Rational(k % 7 + 1, 3) * x**k * sympy.sin(k * x) for k in range(1, 21)]
    before = sympy.Add(*terms)
    write(before)
    printed.clear()
    new = 5 * x**21 * sympy.cos(x)  # the next keystroke: one term more
    written = write(before + new)
    assert printed == [new]  # the new term's product alone
    assert written == sympys(before + new)  # which writes all 21 products again


def test_the_latex_of_keystrokes_is_sympys_whatever_came_before() -> None:
    import sympy

    from calcstudio.core.function import parse
    from calcstudio.core.language.printing import language_latex

    typed = "sin(x)^2 + 3x*cos(2x) + exp(-x^2/2)*(x+1)^3/(x-1)"
    for end in range(1, len(typed) + 1):
        try:
            f = parse(typed[:end])
            derivative = f.derivative()
        except ValueError:
            continue  # not a function of x yet ("sin(x)^2 + 3x*c")
        for expr in (f.expr, derivative.expr):
            assert language_latex(expr) == sympy.latex(expr)
