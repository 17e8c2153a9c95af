"""What each function's slope is and which rule each operation needs, as a textbook writes them.

:data:`SLOPES` writes g′(u) in the expression language for every one-argument function g (so
the derivation steps parse back); :func:`rule_of` names the rule an operation of a graph needs
and states it.
"""

from __future__ import annotations

from collections.abc import Callable

from calcstudio.core.chain.formula import (
    Formula,
    add,
    atom,
    call,
    divide,
    multiply,
    negate,
    number,
    power,
    subtract,
)
from calcstudio.core.chain.graph import ComputationalGraph
from calcstudio.core.language.latex import PRIME as _PRIME
from calcstudio.core.language.latex import text_latex


def _sqrt_slope(u: Formula) -> Formula:
    return divide(number(1), multiply(number(2), call("sqrt", u)))


def _inverse_root(inside: Formula) -> Formula:
    return divide(number(1), call("sqrt", inside))


# The derivative of each function of the language at u, written in the language itself.
SLOPES: dict[str, Callable[[Formula], Formula]] = {
    "sin": lambda u: call("cos", u),
    "cos": lambda u: negate(call("sin", u)),
    "tan": lambda u: power(call("sec", u), number(2)),
    "cot": lambda u: negate(power(call("csc", u), number(2))),
    "sec": lambda u: multiply(call("sec", u), call("tan", u)),
    "csc": lambda u: negate(multiply(call("csc", u), call("cot", u))),
    "asin": lambda u: _inverse_root(subtract(number(1), power(u, number(2)))),
    "acos": lambda u: negate(_inverse_root(subtract(number(1), power(u, number(2))))),
    "atan": lambda u: divide(number(1), add(number(1), power(u, number(2)))),
    "acot": lambda u: negate(divide(number(1), add(number(1), power(u, number(2))))),
    "asec": lambda u: divide(
        number(1), multiply(call("abs", u), call("sqrt", subtract(power(u, number(2)), number(1))))
    ),
    "acsc": lambda u: negate(
        divide(
            number(1),
            multiply(call("abs", u), call("sqrt", subtract(power(u, number(2)), number(1)))),
        )
    ),
    "sinh": lambda u: call("cosh", u),
    "cosh": lambda u: call("sinh", u),
    "tanh": lambda u: subtract(number(1), power(call("tanh", u), number(2))),
    "coth": lambda u: subtract(number(1), power(call("coth", u), number(2))),
    "sech": lambda u: negate(multiply(call("sech", u), call("tanh", u))),
    "csch": lambda u: negate(multiply(call("csch", u), call("coth", u))),
    "asinh": lambda u: _inverse_root(add(power(u, number(2)), number(1))),
    "acosh": lambda u: _inverse_root(subtract(power(u, number(2)), number(1))),
    "atanh": lambda u: divide(number(1), subtract(number(1), power(u, number(2)))),
    "exp": lambda u: call("exp", u),
    "ln": lambda u: divide(number(1), u),
    "log": lambda u: divide(number(1), u),
    "log10": lambda u: divide(number(1), multiply(u, call("ln", number(10)))),
    "log2": lambda u: divide(number(1), multiply(u, call("ln", number(2)))),
    "sqrt": _sqrt_slope,
    "cbrt": lambda u: divide(number(1), multiply(number(3), power(call("cbrt", u), number(2)))),
    "abs": lambda u: call("sign", u),
    "sign": lambda u: number(0),
    "floor": lambda u: number(0),
    "ceil": lambda u: number(0),
    "sigmoid": lambda u: multiply(call("sigmoid", u), subtract(number(1), call("sigmoid", u))),
    "relu": lambda u: call("sign", call("relu", u)),
    "softplus": lambda u: call("sigmoid", u),
}
"""g′(u) for every one-argument function g, written in the language. Where g has a kink or a
jump there is no derivative; these formulas give the value the window's convention uses there
(``relu′(u) = sign(relu(u))`` is 0 at 0, as PyTorch takes it; sign, floor and ceil have slope 0
wherever they have one)."""


def rule_of(graph: ComputationalGraph, index: int, uses: list[bool]) -> tuple[str, str, str]:
    """The rule node ``index`` needs, the rule as a textbook states it, and that as LaTeX.

    ``uses`` says for each node whether the variable being differentiated is in it. The LaTeX
    is ``""`` where the rule is stated in words.
    """
    node = graph.nodes[index]
    moving = [position for position, source in enumerate(node.inputs) if uses[source]]
    direct = all(graph.nodes[node.inputs[p]].kind == "input" for p in moving)
    chained = "" if direct else " and chain rule"
    inner = "x" if direct else "u"
    tail, tail_tex = ("", "") if direct else ("·u′", r"\cdot u^{\prime}")
    kind = node.kind
    if kind == "add":
        return "sum rule", "(u + v)′ = u′ + v′", rf"(u + v){_PRIME} = u{_PRIME} + v{_PRIME}"
    if kind == "sub":
        return "difference rule", "(u − v)′ = u′ − v′", rf"(u - v){_PRIME} = u{_PRIME} - v{_PRIME}"
    if kind == "neg":
        return "constant multiple", "(−u)′ = −u′", rf"(-u){_PRIME} = -u{_PRIME}"
    if kind == "mul":
        if len(moving) == 2:
            latex = rf"(u\,v){_PRIME} = u{_PRIME} v + u\,v{_PRIME}"
            return "product rule", "(u·v)′ = u′·v + u·v′", latex
        return "constant multiple", "(c·u)′ = c·u′", rf"(c\,u){_PRIME} = c\,u{_PRIME}"
    if kind == "div":
        if len(moving) == 2:
            top = rf"u{_PRIME} v - u\,v{_PRIME}"
            latex = rf"\left(\frac{{u}}{{v}}\right){_PRIME} = \frac{{{top}}}{{v^{{2}}}}"
            return "quotient rule", "(u/v)′ = (u′·v − u·v′)/v²", latex
        if moving == [0]:
            latex = rf"\left(\frac{{u}}{{c}}\right){_PRIME} = \frac{{u{_PRIME}}}{{c}}"
            return "constant multiple", "(u/c)′ = u′/c", latex
        latex = (
            rf"\left(\frac{{c}}{{{inner}}}\right){_PRIME} = -\frac{{c}}{{{inner}^{{2}}}}{tail_tex}"
        )
        return f"reciprocal rule{chained}", f"(c/{inner})′ = −c/{inner}²{tail}", latex
    if kind == "pow":
        if moving == [0]:
            latex = rf"({inner}^{{n}}){_PRIME} = n\,{inner}^{{n-1}}{tail_tex}"
            return f"power rule{chained}", f"({inner}ⁿ)′ = n·{inner}ⁿ⁻¹{tail}", latex
        if moving == [1]:
            latex = rf"(c^{{{inner}}}){_PRIME} = c^{{{inner}}}\ln(c){tail_tex}"
            return f"exponential rule{chained}", f"(c^{inner})′ = c^{inner}·ln(c){tail}", latex
        latex = (
            rf"(u^{{v}}){_PRIME} = u^{{v}}\left(v{_PRIME}\ln(u) + \frac{{v\,u{_PRIME}}}{{u}}\right)"
        )
        return "general power rule", "(uᵛ)′ = uᵛ·(v′·ln(u) + v·u′/u)", latex
    name = node.label
    if name in ("min", "max"):
        which = "smaller" if name == "min" else "larger"
        return (
            f"{name} rule",
            f"{name} takes the slope of its {which} argument (where arguments tie, f has no "
            "single slope; the window shares it as README's kink convention says)",
            "",
        )
    if name == "log" and len(node.inputs) == 2:
        if moving == [0]:
            latex = rf"(\log_{{b}} {inner}){_PRIME} = \frac{{1}}{{{inner}\ln(b)}}{tail_tex}"
            statement = f"(log_b {inner})′ = 1/({inner}·ln(b)){tail}"
            return f"logarithm to a base{chained}", statement, latex
        return "logarithm as a quotient", "log(u, v) = ln(u)/ln(v), then the quotient rule", ""
    slope = _slope_text(name, inner)
    written = text_latex(slope) if slope != "…" else ""
    latex = rf"\left({text_latex(f'{name}({inner})')}\right){_PRIME} = {written}{tail_tex}"
    rule = f"derivative of {name}" if direct else "chain rule"
    return rule, f"({name} {inner})′ = {slope}{tail}", latex if written else ""


def _slope_text(name: str, variable: str) -> str:
    slope = SLOPES.get(name)
    return slope(atom(variable)).text if slope is not None else "…"
