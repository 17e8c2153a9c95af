"""The exact integral ∫ₐᵇ f, with its antiderivative, or a high-accuracy numerical value.

:func:`integrate` runs in the engine's worker process (it imports sympy and may take long;
the engine's deadline stops it). It answers in plain data: the antiderivative F as text,
LaTeX and a typeset formula when sympy finds one, the exact value ``F(b) − F(a)``, and
always a numerical value by mpmath's adaptive quadrature with its error estimate, which is
what the lesson shows (saying so) when there is no closed form.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from calcstudio.core.analysis import Status, quote
from calcstudio.core.area.quadrature import gauss_kronrod
from calcstudio.core.language.printing import language_latex

if TYPE_CHECKING:
    from calcstudio.core.function import Function

_CHECK_DIGITS = 1e-8  # the exact and the numerical value must agree this closely
_SIMPLIFY_OPS = 40  # exact values up to this many operations are simplified


@dataclass(frozen=True)
class IntegralResult:
    """The worker's answer about ∫ₐᵇ f, as plain data.

    Attributes
    ----------
    request_id, text, status, message, seconds
        As in :class:`~calcstudio.core.analysis.EngineResult`; ``text`` is the function.
    a_text, b_text
        The bounds as typed.
    verdict
        From :func:`~calcstudio.core.area.interval.check_interval`: ``"ok"``,
        ``"improper"``, ``"diverges"``, ``"undefined"``; its ``verdict_message`` says it.
    antiderivative_text, antiderivative_latex
        F(x) in the expression language and in LaTeX; empty when sympy found none.
    exact_text, exact_latex
        The exact value of the integral (``1 - cos(2)``); empty when there is none.
    value
        The integral as a float: the exact value, or the numerical one; NaN if none.
    numerical
        Whether ``value`` is numerical (no closed form was found, or it was refused).
    error_estimate
        mpmath's estimate of the numerical value's error.
    latex
        ``∫ₐᵇ f dx = [F(x)]ₐᵇ = value`` as LaTeX (for copying), or ``""``.
    svg
        The same typeset, or ``""``.
    """

    request_id: int
    text: str
    status: Status
    message: str = ""
    a_text: str = ""
    b_text: str = ""
    verdict: str = "ok"
    verdict_message: str = ""
    antiderivative_text: str = ""
    antiderivative_latex: str = ""
    exact_text: str = ""
    exact_latex: str = ""
    value: float = float("nan")
    numerical: bool = True
    error_estimate: float = float("nan")
    latex: str = ""
    svg: str = field(default="", repr=False)
    seconds: float = 0.0
    task: str = "integral"

    @property
    def ok(self) -> bool:
        """True when the request was answered (even if the answer is "diverges")."""
        return self.status == "ok"


def _jumps(f: Function, low: float, high: float) -> list[float]:
    """Where f jumps (``floor``, ``sign``), located by bisection: quadrature splits there."""
    import numpy as np

    xs = np.linspace(min(low, high), max(low, high), 4097)
    with np.errstate(all="ignore"):
        steps = np.abs(np.diff(f(xs)))
    # A jump is a step far larger than the steps two away on either side (exp's steps only
    # grow gently; a jump on a grid point is split over two steps).
    around = np.maximum(steps[:-4], steps[4:])
    scale = float(np.nanmax(steps)) if np.isfinite(steps).any() else 0.0
    jumps = np.flatnonzero(steps[2:-2] > 20 * around + 1e-9 * scale) + 2
    left = xs[jumps]
    right = left + (xs[1] - xs[0])
    for _ in range(60):
        middle = 0.5 * (left + right)
        near_left = np.abs(f(middle) - f(left)) < np.abs(f(middle) - f(right))
        left, right = np.where(near_left, middle, left), np.where(near_left, right, middle)
    return sorted({round(float(x), 12) for x in 0.5 * (left + right)})


def _numerical(f: Function, low: float, high: float, where: tuple[float, ...]) -> tuple:
    """mpmath's tanh-sinh quadrature, split at the points in ``where``, with its error.

    f is evaluated in mpmath's 30 digits where its functions exist there, else in floats
    (``floor``, ``sign``, ``relu``) by Gauss–Kronrod: the error estimate then says how far
    to trust it.
    """
    import mpmath
    import numpy as np
    import sympy as sp

    inside = [w for w in (*where, *_jumps(f, low, high)) if min(low, high) < w < max(low, high)]
    cuts = sorted({low, high, *inside})
    if low > high:
        cuts.reverse()
    precise = sp.lambdify(f.symbols[0], _elementary(f.expr), modules="mpmath")
    with mpmath.workdps(30):
        try:
            value, error = mpmath.quad(lambda t: mpmath.re(precise(t)), cuts, error=True)
        except (AttributeError, NameError, TypeError, ValueError, ZeroDivisionError):
            # NameError: a function of the language mpmath has no version of (relu, min).
            # In floats, adaptive Gauss–Kronrod, which copes with kinks (tanh-sinh does
            # not: 2e-5 off on relu over [−1, 2]); mpmath where it fails (a singular end).
            pieces = [gauss_kronrod(f, s, e) for s, e in itertools.pairwise(cuts)]
            value, error = sum(p.value for p in pieces), sum(p.error for p in pieces)
            if not math.isfinite(value):
                value, error = mpmath.quad(
                    lambda t: float(f(np.array([float(t)]))[0]), cuts, error=True
                )
            # In floats no estimate beats rounding.
            error = max(error, float(np.finfo(float).eps) * abs(value))
    return float(value), float(error)


def integrate(
    text: str, a_text: str, b_text: str, request_id: int = 0, *, typeset: bool = True
) -> IntegralResult:
    """Work out ∫ₐᵇ f in this process (the worker's task ``"integral"``); never raises.

    Parameters
    ----------
    text
        The function of one variable, as typed.
    a_text, b_text
        The bounds: constants in the expression language (``0``, ``pi``, ``-1/2``).
    request_id
        Copied into the result.
    typeset
        Whether to typeset the result as SVG.

    Examples
    --------
    >>> result = integrate("x^2", "0", "3", typeset=False)
    >>> result.antiderivative_text, result.exact_text, result.value
    ('x^3/3', '9', 9.0)
    """
    from calcstudio.core.language import ParseError

    began = time.perf_counter()
    base = {"request_id": request_id, "text": text, "a_text": a_text, "b_text": b_text}
    try:
        outcome = _integrate(text, a_text, b_text, typeset)
    except ParseError as error:
        outcome = {"status": "error", "message": error.message}
    except ValueError as error:  # a bound that is not a constant
        outcome = {"status": "error", "message": str(error)}
    except Exception as error:  # a failure inside sympy is one bad request, not a dead worker
        why = str(error) or type(error).__name__
        outcome = {"status": "error", "message": f"Could not integrate {quote(text)}: {why}"}
    return IntegralResult(**base, **outcome, seconds=time.perf_counter() - began)


def _integrate(text: str, a_text: str, b_text: str, typeset: bool) -> dict[str, Any]:
    import sympy as sp

    from calcstudio.core.area.interval import check_interval, constant_value
    from calcstudio.core.function import Function, parse
    from calcstudio.core.typeset import formula_svg

    f = parse(text)
    if len(f.variables) != 1:
        return {"status": "error", "message": "The area lesson needs a function of one variable."}
    a_value, b_value = constant_value(a_text, "a"), constant_value(b_text, "b")
    a, b = parse(a_text).expr, parse(b_text).expr
    (x,) = f.symbols
    check = check_interval(f, a_value, b_value)
    out: dict[str, Any] = {
        "status": "ok",
        "verdict": check.verdict,
        "verdict_message": check.message,
    }
    if not check.has_area:
        return out
    value, error = _numerical(f, a_value, b_value, check.where)
    out |= {"value": value, "error_estimate": error}
    integrand = _elementary(f.expr)
    antiderivative = sp.integrate(integrand, x)
    exact = sp.integrate(integrand, (x, a, b))
    if not antiderivative.has(sp.Integral):
        written = Function(antiderivative, f.symbols)
        out |= {"antiderivative_text": written.text, "antiderivative_latex": written.latex}
        if exact.has(sp.Integral):  # F(b) − F(a), trusted below only if it agrees
            exact = antiderivative.subs(x, b) - antiderivative.subs(x, a)
    closed = exact.is_number and not exact.has(sp.Integral)
    exact_float = complex(sp.N(exact, 20)) if closed else complex("nan")
    agrees = (
        closed
        and exact_float.imag == 0
        and abs(exact_float.real - value) <= _CHECK_DIGITS * max(1.0, abs(value)) + 10 * error
    )
    if agrees:
        exact = sp.nsimplify(exact) if exact.is_Float else _shorter(exact)
        out |= {
            "exact_text": Function(exact, f.symbols).text,
            "exact_latex": language_latex(exact),
            "value": exact_float.real,
            "numerical": False,
        }
    # The integrand bare ("for x > 0", f's domain, would read as part of it), and a sum in
    # parentheses: a formula too long for one line breaks before + and −, which must not
    # leave "∫ x³" on a line of its own.
    integrand = language_latex(f.expr)
    if isinstance(f.expr, sp.Add):
        integrand = rf"\left({integrand}\right)"
    bounds = (language_latex(a), language_latex(b), integrand, language_latex(x))
    out["latex"] = _latex(out, *bounds)
    if typeset:
        out["svg"] = formula_svg(out["latex"])
        if not out["svg"] and out.get("antiderivative_latex"):
            # mathtext cannot set every antiderivative (cases of a Piecewise): leave it out.
            out["svg"] = formula_svg(_latex({**out, "antiderivative_latex": ""}, *bounds))
    return out


def _elementary(expr: Any) -> Any:
    """``expr`` with sigmoid and softplus written with exp and log, which sympy integrates
    (``∫ sigmoid = x + ln(1 + e^−x)``) and mpmath evaluates."""
    import sympy as sp

    from calcstudio.core.language.sympy_functions import language_functions

    own = language_functions()
    return expr.replace(own.Sigmoid, lambda u: 1 / (1 + sp.exp(-u))).replace(
        own.Softplus, lambda u: sp.log(1 + sp.exp(u))
    )


def _shorter(exact: Any) -> Any:
    """``simplify(exact)`` if it is shorter (``8 − ln(1 + e⁴) + ln(1 + e⁻⁴)`` is 4); only
    for small values, as simplify's time grows fast with size."""
    import sympy as sp

    if sp.count_ops(exact) > _SIMPLIFY_OPS:
        return exact
    simpler = sp.simplify(exact)
    return simpler if sp.count_ops(simpler) < sp.count_ops(exact) else exact


def _latex(out: dict[str, Any], a: str, b: str, f: str, x: str) -> str:
    """``∫ₐᵇ f dx = [F]ₐᵇ = value`` (or ``≈ value`` when numerical) as LaTeX."""
    parts = [rf"\int_{{{a}}}^{{{b}}} {f} \, d{x}"]
    if out.get("antiderivative_latex"):
        parts.append(rf"\left[{out['antiderivative_latex']}\right]_{{{a}}}^{{{b}}}")
    if not out.get("numerical", True):
        parts.append(out["exact_latex"])
        if out["exact_text"] != f"{out['value']:.10g}":
            return " = ".join(parts) + rf" \approx {out['value']:.10g}"
        return " = ".join(parts)
    return " = ".join(parts) + rf" \approx {out['value']:.12g}"


__all__ = ["IntegralResult", "integrate"]
