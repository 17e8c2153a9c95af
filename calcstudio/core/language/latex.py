"""The expression language's syntax tree written as LaTeX, without sympy.

Sympy writes the LaTeX of what the worker works out; a formula the window builds on every
keystroke (a chain-rule link, a derivation step) is written here from its syntax tree
instead, in microseconds and as it was typed: ``cos((4x)^2)*2(4x)*4`` stays
``\\cos\\left(\\left(4 x\\right)^{2}\\right)\\cdot 2 \\left(4 x\\right)\\cdot 4`` (no
simplification, brackets kept where the tree has them). The LaTeX is the subset matplotlib's
mathtext reads, since that is what typesets it (:mod:`calcstudio.core.typeset`).
"""

from __future__ import annotations

import functools
import re

from calcstudio.core.language.names import GREEK_NAMES
from calcstudio.core.language.syntax import parse_tree
from calcstudio.core.language.tokens import ParseError
from calcstudio.core.language.tree import Node

SUM, PRODUCT, NEGATION, FRACTION, POWER, ATOM = 1, 2, 3, 4, 5, 6
"""How tightly a piece's outermost operation binds (brackets go around looser ones)."""
PRIME = "^{\\prime}"
"""A prime as mathtext draws it close to what it follows (``f'`` leaves a gap)."""
PRIMED_CALL = "^{\\prime}\\!"
"""A prime before a call's bracket: mathtext leaves a gap after a superscript, ``\\!`` takes
it back (``f^{\\prime}\\!(x)``, as the formula panel writes f′)."""

_BUILT_IN = frozenset(
    {"sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "coth", "ln"}
    | {"min", "max", "arcsin", "arccos", "arctan"}
)
"""Functions mathtext writes upright with a command of their own (``\\sin``)."""
_RENAMED = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "log": "ln"}
"""The language's names whose textbook name differs (log is the natural logarithm)."""
_BASES = {"log10": "10", "log2": "2"}
_CONSTANTS = {"E": "e", "pi": r"\pi", "tau": r"\tau"}
_GREEK_ORDER = (  # noqa: SIM905 - a word list reads better than 22 quoted names
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron rho sigma "
    "upsilon phi chi psi omega"
).split()
_GREEK = dict(zip("αβγδεζηθικλμνξορσυφχψω", _GREEK_ORDER, strict=True))
"""Greek letters pasted as characters, by the name a learner may type instead."""
_NAME = re.compile(r"([^\W\d_]+?)_?(\d+|(?<=_)\w+)?")
_EXPONENT_NUMBER = re.compile(r"(\d*\.?\d*)[eE]([+-]?\d+)")


def name_latex(name: str) -> str:
    """A variable or constant's name as LaTeX: ``w1`` is ``w_{1}``, ``theta`` is ``\\theta``."""
    if name in _CONSTANTS:
        return _CONSTANTS[name]
    match = _NAME.fullmatch(name)
    if match is None:
        return rf"\mathrm{{{name}}}"
    base, subscript = match.groups()
    base = _GREEK.get(base, base)
    if base == "omicron":
        letter = "o"
    elif base in GREEK_NAMES:
        letter = f"\\{base}"
    elif len(base) == 1:
        letter = base
    else:
        letter = rf"\mathrm{{{base}}}"
    if subscript is not None and not subscript.isdigit():
        subscript = name_latex(subscript) if len(subscript) == 1 else rf"\mathrm{{{subscript}}}"
    return letter if subscript is None else f"{letter}_{{{subscript}}}"


def number_latex(text: str) -> str:
    """A number as typed, as LaTeX: ``1e-3`` is ``1\\times 10^{-3}``, ``.5`` is ``0.5``."""
    match = _EXPONENT_NUMBER.fullmatch(text)
    if match is None:
        return f"0{text}" if text.startswith(".") else text
    mantissa, exponent = match.groups()
    mantissa = f"0{mantissa}" if mantissa.startswith(".") else mantissa
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa in ("1", "1.", "1.0") else rf"{mantissa}\times {power}"


def _bracket(piece: tuple[str, int], *levels: int) -> str:
    """The piece's LaTeX, in brackets if its outermost operation is one of ``levels``."""
    latex, level = piece
    return rf"\left({latex}\right)" if level in levels else latex


def _call(name: str, args: list[tuple[str, int]]) -> tuple[str, int]:
    inside = ", ".join(latex for latex, _ in args)
    first = args[0][0]
    if name == "exp":
        return f"e^{{{first}}}", POWER
    if name == "sqrt":
        return rf"\sqrt{{{first}}}", ATOM
    if name == "cbrt":
        return rf"\sqrt[3]{{{first}}}", ATOM
    if name == "abs":
        return rf"\left|{first}\right|", ATOM
    if name in ("floor", "ceil"):
        side = "floor" if name == "floor" else "ceil"
        return rf"\left\l{side} {first}\right\r{side}", ATOM
    if name == "log" and len(args) == 2:
        return rf"\log_{{{args[1][0]}}}\left({first}\right)", ATOM
    if name in _BASES:
        return rf"\log_{{{_BASES[name]}}}\left({first}\right)", ATOM
    name = _RENAMED.get(name, name)
    command = f"\\{name}" if name in _BUILT_IN else rf"\operatorname{{{name}}}"
    return rf"{command}\left({inside}\right)", ATOM


def _times(left: str, right: str) -> str:
    """``left`` times ``right`` as a textbook writes it: side by side (``4x``, ``2(4x)``,
    ``x\\sin(x)``) unless that would join two numbers or hide the product (then a dot)."""
    side_by_side = right[:1].isalpha() or (
        right.startswith("\\") and not right.startswith("\\frac")
    )
    return f"{left} {right}" if side_by_side else rf"{left}\cdot {right}"


def _write(node: Node, args: list[tuple[str, int]], inline: bool) -> tuple[str, int]:
    """One node's LaTeX from its arguments'; ``inline``: it is in an exponent, where a
    fraction would be too small to read, so a division is written ``a/b``."""
    kind = node.kind
    if kind == "num":
        latex = number_latex(node.text)
        return latex, PRODUCT if "\\times" in latex else ATOM
    if kind == "name":
        return name_latex(node.text), ATOM
    if kind == "call":
        return _call(node.text, args)
    if kind == "neg":
        return f"-{_bracket(args[0], SUM, NEGATION)}", NEGATION
    left, right = args
    if kind in ("add", "sub"):
        # The tree is left-associative: a sum or a negation on the right was typed in brackets.
        sign = "+" if kind == "add" else "-"
        return f"{left[0]} {sign} {_bracket(right, SUM, NEGATION)}", SUM
    if kind == "mul":
        # A product on the right was typed in brackets too: 2(4x) stays 2(4x).
        right_latex = _bracket(right, SUM, PRODUCT, NEGATION)
        return _times(_bracket(left, SUM), right_latex), PRODUCT
    if kind == "div" and inline:
        top = _bracket(left, SUM)  # -x^2/2 is -(x^2/2) as well as (-x^2)/2
        return f"{top}/{_bracket(right, SUM, PRODUCT, NEGATION, FRACTION)}", PRODUCT
    if kind == "div":
        return rf"\frac{{{left[0]}}}{{{right[0]}}}", FRACTION
    return f"{_bracket(left, SUM, PRODUCT, NEGATION, FRACTION, POWER)}^{{{right[0]}}}", POWER


def tree_latex(root: Node) -> str:
    """The LaTeX of a syntax tree, as it was typed.

    Parameters
    ----------
    root
        A tree from :func:`calcstudio.core.language.parse_tree` (or a subtree).

    Returns
    -------
    str
        LaTeX in the subset mathtext reads, e.g. ``32x\\cos\\left(16x^{2}\\right)``.
    """
    written: dict[int, tuple[str, int]] = {}
    inline: set[int] = set()  # the nodes inside an exponent
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:  # iterative: a 500-term sum must not hit the recursion limit
        node, expanded = stack.pop()
        if not expanded and node.args:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args)
            if id(node) in inline:
                inline.update(id(arg) for arg in node.args)
            elif node.kind == "pow" or (node.kind == "call" and node.text == "exp"):
                inline.add(id(node.args[-1]))  # e^{…}: exp's argument is an exponent too
        else:
            args = [written[id(arg)] for arg in node.args]
            written[id(node)] = _write(node, args, id(node) in inline)
    return written[id(root)][0]


@functools.lru_cache(
    maxsize=4096
)  # the same links, steps and rules come back keystroke after keystroke
def text_latex(text: str) -> str:
    """The LaTeX of a formula in the expression language, or ``""`` if it does not parse."""
    try:
        return tree_latex(parse_tree(text).root)
    except ParseError:
        return ""


__all__ = ["PRIME", "PRIMED_CALL", "name_latex", "number_latex", "text_latex", "tree_latex"]
