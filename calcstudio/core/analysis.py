"""What the symbolic engine works out for one text, as plain data.

:func:`analyse` parses a text and works out f, its gradient and Hessian, their LaTeX, typeset
formulas and numpy programs. It runs in the engine's worker process (see
:mod:`calcstudio.core.engine`) and returns an :class:`EngineResult` made of strings, numbers
and nested lists only, so it crosses the process boundary without pickled code, and the
window compiles the programs itself (:mod:`calcstudio.core.numeric`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from calcstudio.core.numeric import Evaluator, Program, compile_program

Status = Literal["ok", "error", "timeout", "crashed"]


@dataclass(frozen=True)
class ExpressionData:
    """One expression (f or one of its derivatives) as plain data.

    Attributes
    ----------
    label
        What it is, for a legend: ``f(x)``, ``f'(x)``, ``∂f/∂w1``, ``∂²f/∂w1∂w2``.
    text
        Canonical text in the expression language, e.g. ``2*x``.
    latex
        The formula as LaTeX.
    program
        Plain-data program for :func:`~calcstudio.core.numeric.compile_program`.
    arity
        Number of variables the evaluator takes.
    notes
        Remarks for the learner (e.g. where a derivative is drawn as 0 at jumps).
    svg
        The whole equation ``label = formula`` typeset as an SVG document (black on
        transparent), or ``""`` if it could not be typeset; show ``text`` then.
    condition
        Where the formula holds when that is less than where it has a value, in words
        (``x > 0`` for the derivative of ``log(x)``, written ``1/x``), else ``""``.
    """

    label: str
    text: str
    latex: str
    program: Program = field(repr=False, hash=False)
    arity: int
    notes: tuple[str, ...] = ()
    svg: str = field(default="", repr=False, hash=False)
    condition: str = ""

    @property
    def shown(self) -> str:
        """The text with its condition, as the window shows it: ``1/x, for x > 0``."""
        return f"{self.text}, for {self.condition}" if self.condition else self.text

    def evaluator(self) -> Evaluator:
        """A NaN-safe numpy evaluator of this expression, compiled once and cached."""
        cached = self.__dict__.get("_evaluator")
        if cached is None:
            cached = compile_program(self.program, self.arity)
            object.__setattr__(self, "_evaluator", cached)
        return cached

    def __getstate__(self) -> dict[str, Any]:
        # The cached evaluator is a closure: never pickle it.
        return {k: v for k, v in self.__dict__.items() if k != "_evaluator"}


@dataclass(frozen=True)
class EngineResult:
    """The outcome of one request.

    Attributes
    ----------
    request_id
        The id :meth:`Engine.submit` returned; compare with ``Engine.latest_id``.
    text
        The text as submitted.
    status
        ``"ok"``; ``"error"`` (not a valid function, or sympy failed on it);
        ``"timeout"`` (stopped at the deadline); ``"crashed"`` (the worker died).
    message
        Empty when ok; otherwise what went wrong, in plain words.
    error_start, error_end
        For a parse error, the character span to highlight (end exclusive).
    variables
        Variable names in argument order, e.g. ``("x",)`` or ``("w1", "w2")``.
    function
        f itself (None unless ok).
    gradient
        The first partial derivatives, one per variable; for one variable ``(f',)``.
    hessian
        The second partial derivatives, row by row; for one variable ``((f'',),)``.
    seconds
        Worker time spent on the request.
    """

    request_id: int
    text: str
    status: Status
    message: str = ""
    error_start: int = 0
    error_end: int = 0
    variables: tuple[str, ...] = ()
    function: ExpressionData | None = None
    gradient: tuple[ExpressionData, ...] = ()
    hessian: tuple[tuple[ExpressionData, ...], ...] = ()
    seconds: float = 0.0
    task: str = "analyse"
    """Which task of the worker this answers (see :data:`TASKS`)."""

    @property
    def ok(self) -> bool:
        """True if the function and its derivatives were worked out."""
        return self.status == "ok"

    @property
    def derivative(self) -> ExpressionData | None:
        """f' for a function of one variable, else None."""
        return self.gradient[0] if len(self.variables) == 1 and self.gradient else None

    @property
    def second_derivative(self) -> ExpressionData | None:
        """f'' for a function of one variable, else None."""
        return self.hessian[0][0] if len(self.variables) == 1 and self.hessian else None

    @property
    def expressions(self) -> tuple[ExpressionData, ...]:
        """f, then the gradient, then the Hessian entries, row by row."""
        if self.function is None:
            return ()
        return (self.function, *self.gradient, *(h for row in self.hessian for h in row))


_NAMED = re.compile(r"\s*([^\W\d_]\w*)\s*\([^()=]*\)\s*=(?!=)")


def function_name(text: str) -> str:
    """The name a definition gives its function (``L`` in ``L(w1, w2) = …``), else ``f``."""
    match = _NAMED.match(text)
    return match.group(1) if match else "f"


def quote(text: str, limit: int = 40) -> str:
    """``text`` in quotes for a message, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1]}…'"


def analyse(
    text: str, request_id: int = 0, *, typeset: bool = True, typeset_second: bool = True
) -> EngineResult:
    """Parse ``text`` and work out f, its gradient and Hessian, in this process.

    This is what the worker runs; it imports sympy and has no deadline. Never raises:
    any failure becomes an ``"error"`` result with a plain message.

    Parameters
    ----------
    text
        The function as typed, e.g. ``"x^2"`` or ``"w1^2 + 2w2^2"``.
    request_id
        Copied into the result.
    typeset
        Whether to typeset each formula as SVG (``ExpressionData.svg``); a notebook that
        only wants the numbers can skip it.
    typeset_second
        Whether to typeset f″ of a function of one variable too. The window shows f″ only
        when asked to, and its formula, often the longest, was a third of the time a
        keystroke's formulas took to typeset.
    """
    from calcstudio.core.language import ParseError

    began = time.perf_counter()
    outcome: dict[str, Any]
    try:
        import sympy as sp

        from calcstudio.core.function import Function, parse
        from calcstudio.core.typeset import formula_svg

        f = parse(text)
        names = f.variables
        tex = {symbol.name: sp.latex(symbol) for symbol in f.symbols}

        def data(
            g: Function, label: str, label_latex: str, typeset: bool = typeset
        ) -> ExpressionData:
            svg = formula_svg(f"{label_latex} = {g.latex}") if typeset else ""
            return ExpressionData(
                label, g.text, g.latex, g.program, len(names), g.notes, svg, g.condition
            )

        # Several variables: the partials are named after the function, ∂L/∂w1 for a
        # landscape typed as L(w1, w2) = …
        named = function_name(text) if len(names) > 1 else "f"
        letter = named if len(named) == 1 else rf"\operatorname{{{named}}}"

        def partial(a: str, b: str | None = None) -> str:
            """Leibniz notation for ∂L/∂a, or ∂²L/∂a∂b when ``b`` is given."""
            if b is None:
                return rf"\frac{{\partial {letter}}}{{\partial {tex[a]}}}"
            below = (
                rf"\partial {tex[a]}^{{2}}"
                if a == b
                else rf"\partial {tex[a]} \, \partial {tex[b]}"
            )
            return rf"\frac{{\partial^{{2}} {letter}}}{{{below}}}"

        if len(names) == 1:
            # A typeset prime: mathtext draws f'(x) with a gap after the f.
            x = tex[names[0]]
            gradient = (data(f.derivative(), f"f'({names[0]})", rf"f^{{\prime}}\!({x})"),)
            second = f.derivative(order=2)
            label, label_latex = f"f''({names[0]})", rf"f^{{\prime\prime}}\!({x})"
            hessian = ((data(second, label, label_latex, typeset and typeset_second),),)
        else:
            gradient = tuple(
                data(g, f"∂{named}/∂{a}", partial(a))
                for g, a in zip(f.gradient(), names, strict=True)
            )
            hessian = tuple(
                tuple(
                    data(
                        h,
                        f"∂²{named}/∂{a}²" if a == b else f"∂²{named}/∂{a}∂{b}",
                        partial(a, b),
                    )
                    for h, b in zip(row, names, strict=True)
                )
                for row, a in zip(f.hessian(), names, strict=True)
            )
        function = data(
            f, f"{named}({', '.join(names)})", f"{letter}({', '.join(tex[n] for n in names)})"
        )
        outcome = {"status": "ok", "variables": names, "function": function}
        outcome |= {"gradient": gradient, "hessian": hessian}
    except ParseError as error:
        outcome = {"status": "error", "message": error.message}
        outcome |= {"error_start": error.start, "error_end": error.end}
    except Exception as error:  # a failure inside sympy is one bad request, not a dead worker
        why = str(error) or type(error).__name__
        message = f"Could not work out the derivatives of {quote(text)}: {why}"
        outcome = {"status": "error", "message": message}
    return EngineResult(request_id, text, seconds=time.perf_counter() - began, **outcome)


TASKS = {
    "analyse": "the derivatives of",
    "integral": "the integral of",
    "typeset": "the typeset formulas of",
}
"""The worker's tasks, with what each works out (for messages): ``"analyse"`` (f and its
derivatives, :func:`analyse`, the payload is ``(text,)``), ``"integral"`` (∫ₐᵇ f,
:func:`calcstudio.core.area.exact.integrate`, the payload is ``(text, a, b)``) and
``"typeset"`` (formulas a lesson wrote as LaTeX,
:func:`calcstudio.core.typeset_task.typeset_formulas`, the payload is ``(text, *latex)``).
An ``"analyse"`` payload of ``(text, WITHOUT_SECOND_FORMULA)`` leaves f″ untypeset."""

WITHOUT_SECOND_FORMULA = "without the formula of f''"
"""The ``"analyse"`` payload's flag for :func:`analyse`'s ``typeset_second=False``."""


def run_task(task: str, payload: tuple[str, ...], request_id: int) -> Any:
    """Do one request of the worker: ``task`` on ``payload``; never raises."""
    if task == "integral":
        from calcstudio.core.area.exact import integrate

        return integrate(*payload, request_id)
    if task == "typeset":
        from calcstudio.core.typeset_task import typeset_formulas

        return typeset_formulas(payload[0], payload[1:], request_id)
    return analyse(payload[0], request_id, typeset_second=WITHOUT_SECOND_FORMULA not in payload)


def failed_result(
    task: str,
    request_id: int,
    payload: tuple[str, ...],
    status: Status,
    message: str,
    seconds: float = 0.0,
) -> Any:
    """The result of a request that did not finish (stopped at its deadline, crashed)."""
    if task == "integral":
        from calcstudio.core.area.exact import IntegralResult

        text, a_text, b_text = payload
        return IntegralResult(request_id, text, status, message, a_text, b_text, seconds=seconds)
    if task == "typeset":
        from calcstudio.core.typeset_task import TypesetResult

        return TypesetResult(request_id, payload[0], status, message, seconds=seconds)
    return EngineResult(request_id, payload[0], status, message, seconds=seconds)


__all__ = [
    "TASKS",
    "WITHOUT_SECOND_FORMULA",
    "EngineResult",
    "ExpressionData",
    "Status",
    "analyse",
    "failed_result",
    "function_name",
    "quote",
    "run_task",
]
