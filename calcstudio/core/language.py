"""The expression language: a tokenizer and parser for maths as people type it.

Two stages, so the window can check syntax instantly without importing sympy:

1. :func:`parse_tree` turns text into a small syntax tree (pure Python, microseconds).
2. :func:`build_sympy` turns that tree into a sympy expression, using only the fixed
   tables of functions and constants below. No user text ever reaches ``eval``,
   ``exec``, ``sympify`` or ``parse_expr``.

Every rejection is a :class:`ParseError` with a plain-language message and the
character span to highlight.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sympy

MAX_LENGTH = 1000
"""Longest text accepted, in characters."""
MAX_DEPTH = 60
"""Deepest nesting of brackets, function calls and powers."""
MAX_DIGITS = 40
"""Most digits in one number literal."""
MAX_CONSTANT_BITS = 1000
"""Largest exact constant (about 10^300) the parser lets sympy build."""
MAX_EXPONENT = 10_000
"""Largest constant exponent applied to a variable."""


class ParseError(ValueError):
    """Text that is not a valid function.

    Parameters
    ----------
    message
        What is wrong, in words a learner understands.
    start, end
        Character span (0-based, end exclusive) to highlight in the text.
    """

    def __init__(self, message: str, start: int = 0, end: int = 0) -> None:
        self.message = message
        self.start = start
        self.end = max(end, start)
        super().__init__(str(self))

    def __str__(self) -> str:
        first, last = self.start + 1, max(self.end, self.start + 1)
        where = f"{first}" if first == last else f"{first}-{last}"
        return f"{self.message} at {where}"


# --- tables -----------------------------------------------------------------


def _is_ascii_digit(ch: str) -> bool:
    """True for 0-9 only: ``str.isdigit`` also accepts superscripts such as '²'."""
    return "0" <= ch <= "9"


FUNCTION_ARITY: dict[str, tuple[int, int]] = {
    **{
        name: (1, 1)
        for name in (  # noqa: SIM905 - a word list reads better than 30 quoted names
            "sin cos tan cot sec csc asin acos atan acot asec acsc sinh cosh tanh "
            "coth sech csch asinh acosh atanh exp ln log10 log2 sqrt cbrt abs sign "
            "floor ceil sigmoid relu softplus "
        ).split()
    },
    "log": (1, 2),
    "min": (2, 8),
    "max": (2, 8),
}
"""Allowed function names and their (fewest, most) arguments."""

FUNCTION_ALIASES = {
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arsinh": "asinh",
    "arcosh": "acosh",
    "artanh": "atanh",
    "ceiling": "ceil",
    "sgn": "sign",
}
CONSTANTS = {"pi": "pi", "π": "pi", "e": "E", "tau": "tau", "τ": "tau"}

_UNICODE_REPLACEMENTS = {
    "−": "-",
    "–": "-",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "∙": "*",
    "÷": "/",
    "（": "(",
    "）": ")",
}
_SUPERSCRIPTS = {
    "⁰": "0",
    "¹": "1",
    "²": "2",
    "³": "3",
    "⁴": "4",
    "⁵": "5",
    "⁶": "6",
    "⁷": "7",
    "⁸": "8",
    "⁹": "9",
    "⁻": "-",
}

# --- tokens -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its text and where it stands in the input."""

    kind: str  # "num", "name", "op", "(", ")", ",", "|", "sqrt", "sup", "end"
    text: str
    start: int
    end: int


_NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# A letter, then letters and ASCII digits (single underscores allowed inside: w_1).
# Written out rather than with \w, which would swallow superscripts such as x².
_LETTER = r"[^\W\d_\u00b2\u00b3\u00b9\u2070-\u209f\u03c0\u03c4]"
_NAME = re.compile(rf"{_LETTER}(?:{_LETTER}|[0-9]|_(?=[0-9]|{_LETTER}))*")
_DEFINITION = re.compile(
    r"\s*(?:[A-Za-z]\w*\s*\(\s*([^()=]*)\)|[yz])\s*=(?!=)\s*",
)


def tokenize(text: str) -> list[Token]:
    """Split text into tokens, rejecting any character the language does not use.

    Parameters
    ----------
    text
        The expression as typed.

    Returns
    -------
    list of Token
        Ending with an ``end`` token.

    Raises
    ------
    ParseError
        For an unknown character or a malformed number.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = _UNICODE_REPLACEMENTS.get(text[i], text[i])
        if ch.isspace():
            i += 1
            continue
        if ch in _SUPERSCRIPTS:
            j = i
            while j < n and text[j] in _SUPERSCRIPTS:
                j += 1
            digits = "".join(_SUPERSCRIPTS[c] for c in text[i:j])
            if not re.fullmatch(r"-?\d+", digits):
                raise ParseError(f"cannot read the exponent '{text[i:j]}'", i, j)
            tokens.append(Token("sup", digits, i, j))
            i = j
            continue
        if _is_ascii_digit(ch) or (ch == "." and i + 1 < n and _is_ascii_digit(text[i + 1])):
            match = _NUMBER.match(text, i)
            assert match is not None
            j = match.end()
            if len(match.group(0)) > MAX_DIGITS:
                raise ParseError("this number is too long", i, j)
            if j < n and text[j] == ".":
                raise ParseError("a number can have only one decimal point", i, j + 1)
            tokens.append(Token("num", match.group(0), i, j))
            i = j
            continue
        if ch == "*" and text[i : i + 2] == "**":
            tokens.append(Token("op", "^", i, i + 2))
            i += 2
            continue
        if ch in "+-*/^":
            tokens.append(Token("op", ch, i, i + 1))
            i += 1
            continue
        if ch in "()[],|":
            kind = {"[": "(", "]": ")"}.get(ch, ch)
            tokens.append(Token(kind, kind, i, i + 1))
            i += 1
            continue
        if ch == "√":
            tokens.append(Token("sqrt", ch, i, i + 1))
            i += 1
            continue
        if ch == "π" or ch == "τ":
            tokens.append(Token("name", ch, i, i + 1))
            i += 1
            continue
        match = _NAME.match(text, i)
        if match:
            tokens.append(Token("name", match.group(0), i, match.end()))
            i = match.end()
            continue
        if ch == "_":
            raise ParseError("names cannot start with '_'", i, i + 1)
        if ch == ".":
            raise ParseError("a '.' must be part of a number, like 0.5", i, i + 1)
        if ch == "=":
            raise ParseError("only one '=' is allowed, as in f(x) = x^2", i, i + 1)
        raise ParseError(f"'{text[i]}' is not part of the maths language", i, i + 1)
    tokens.append(Token("end", "", n, n))
    return tokens


# --- syntax tree --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    """A syntax-tree node.

    ``kind`` is one of ``num`` (value in ``text``), ``name`` (a variable or a constant),
    ``call`` (function ``text`` applied to ``args``), ``neg``, ``add``, ``sub``, ``mul``,
    ``div`` and ``pow`` (operands in ``args``).
    """

    kind: str
    text: str
    args: tuple[Node, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SyntaxTree:
    """The result of the first parsing stage.

    Attributes
    ----------
    root
        The expression's tree.
    variables
        Free variable names, in the order the definition gave (``f(w1, w2) = ...``)
        or in natural order (``x`` before ``y``, ``w2`` before ``w10``).
    declared
        Whether the variables came from an ``f(...) =`` definition.
    """

    root: Node
    variables: tuple[str, ...]
    declared: bool


def canonical_function_name(name: str) -> str | None:
    """Return the table name of a function (resolving aliases), or None if unknown."""
    name = FUNCTION_ALIASES.get(name, name)
    return name if name in FUNCTION_ARITY else None


def _known_prefix(name: str) -> str | None:
    """The longest function or constant name that ``name`` starts with, if any."""
    candidates = [*FUNCTION_ARITY, *FUNCTION_ALIASES, "pi"]
    best = None
    for candidate in candidates:
        longer = name.startswith(candidate) and len(name) > len(candidate)
        if longer and (best is None or len(candidate) > len(best)):
            best = candidate
    return best


class _Parser:
    """Recursive-descent parser over a token list (grammar in README.md)."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.abs_depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(
                f"too deeply nested (more than {MAX_DEPTH} levels)", token.start, token.end
            )

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise ParseError("type a function, for example x^2", 0, len(self.text))
        node = self.expression()
        tok = self.tok
        if tok.kind == ")":
            raise ParseError("this ')' has no matching '('", tok.start, tok.end)
        if tok.kind == ",":
            raise ParseError("a ',' belongs inside a function like max(x, 0)", tok.start, tok.end)
        if tok.kind == "|":
            raise ParseError("this '|' has no matching '|'", tok.start, tok.end)
        if tok.kind != "end":
            raise ParseError(f"unexpected '{tok.text}'", tok.start, tok.end)
        return node

    def expression(self) -> Node:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self.advance()
            right = self.term()
            kind = "add" if op.text == "+" else "sub"
            node = Node(kind, "", (node, right), node.start, right.end)
        return node

    def starts_atom(self) -> bool:
        tok = self.tok
        if tok.kind in ("num", "name", "(", "sqrt"):
            return True
        return tok.kind == "|" and self.abs_depth == 0

    def term(self) -> Node:
        node = self.unary()
        while True:
            tok = self.tok
            if tok.kind == "op" and tok.text in "*/":
                self.advance()
                if self.tok.kind == "op" and self.tok.text in "*/^":
                    raise ParseError(
                        f"'{tok.text}' followed by '{self.tok.text}'", tok.start, self.tok.end
                    )
                right = self.unary()
                kind = "mul" if tok.text == "*" else "div"
                node = Node(kind, "", (node, right), node.start, right.end)
            elif self.starts_atom():
                if tok.kind == "num":
                    raise ParseError(
                        f"a number cannot follow '{self.text[node.start : node.end]}' "
                        "without an operator; did you mean to use * ?",
                        tok.start,
                        tok.end,
                    )
                right = self.power()
                node = Node("mul", "", (node, right), node.start, right.end)
            else:
                return node

    def unary(self) -> Node:
        tok = self.tok
        if tok.kind == "op" and tok.text in "+-":
            self.advance()
            self.enter(tok)
            operand = self.unary()
            self.depth -= 1
            if tok.text == "+":
                return operand
            return Node("neg", "", (operand,), tok.start, operand.end)
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        tok = self.tok
        if tok.kind == "op" and tok.text == "^":
            self.advance()
            if self.tok.kind == "end":
                raise ParseError("'^' needs an exponent after it", tok.start, tok.end)
            self.enter(tok)
            exponent = self.unary()  # right-associative; allows x^-2
            self.depth -= 1
            return Node("pow", "", (base, exponent), base.start, exponent.end)
        return base

    def postfix(self) -> Node:
        node = self.atom()
        while self.tok.kind == "sup":
            sup = self.advance()
            exponent = Node("num", sup.text.lstrip("-"), (), sup.start, sup.end)
            if sup.text.startswith("-"):
                exponent = Node("neg", "", (exponent,), sup.start, sup.end)
            node = Node("pow", "", (node, exponent), node.start, sup.end)
        return node

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            return Node("num", tok.text, (), tok.start, tok.end)
        if tok.kind == "name":
            return self.name()
        if tok.kind == "(":
            self.advance()
            self.enter(tok)
            if self.tok.kind == ")":
                raise ParseError("empty brackets '()'", tok.start, self.tok.end)
            saved_abs, self.abs_depth = self.abs_depth, 0
            inner = self.expression()
            self.abs_depth = saved_abs
            self.expect_close(tok)
            self.depth -= 1
            return inner
        if tok.kind == "|":
            self.advance()
            self.enter(tok)
            self.abs_depth += 1
            if self.tok.kind == "|":
                raise ParseError("empty '| |'", tok.start, self.tok.end)
            inner = self.expression()
            self.abs_depth -= 1
            if self.tok.kind != "|":
                raise ParseError("missing the closing '|'", tok.start, self.tok.start)
            close = self.advance()
            self.depth -= 1
            return Node("call", "abs", (inner,), tok.start, close.end)
        if tok.kind == "sqrt":
            self.advance()
            self.enter(tok)
            if not self.starts_atom():
                raise ParseError("'√' needs something after it, like √x", tok.start, tok.end)
            operand = self.postfix()
            self.depth -= 1
            return Node("call", "sqrt", (operand,), tok.start, operand.end)
        if tok.kind == "end":
            before = self.tokens[self.pos - 1] if self.pos else tok
            raise ParseError(f"'{before.text}' needs something after it", before.start, before.end)
        if tok.kind == ")":
            raise ParseError("expected a value before ')'", tok.start, tok.end)
        if tok.kind == "sup":
            raise ParseError("an exponent needs something before it", tok.start, tok.end)
        if tok.kind == "op" and tok.text == "^":
            raise ParseError("'^' needs something before it", tok.start, tok.end)
        raise ParseError(f"expected a value, not '{tok.text}'", tok.start, tok.end)

    def expect_close(self, opening: Token) -> Token:
        tok = self.tok
        if tok.kind == ")":
            return self.advance()
        if tok.kind == "end":
            raise ParseError("missing ')'", opening.start, tok.start)
        if tok.kind == "num":
            raise ParseError(
                "a number cannot follow without an operator; did you mean to use * ?",
                tok.start,
                tok.end,
            )
        raise ParseError(f"expected ')' but found '{tok.text}'", tok.start, tok.end)

    def name(self) -> Node:
        tok = self.advance()
        name = tok.text
        function = canonical_function_name(name)
        if function is not None:
            return self.call(tok, function)
        if name in CONSTANTS:
            return Node("name", CONSTANTS[name], (), tok.start, tok.end)
        prefix = _known_prefix(name)
        if prefix is not None:
            rest = name[len(prefix) :]
            if prefix == "pi":
                hint = f"pi*{rest}"
            elif self.tok.kind == "(":
                raise ParseError(f"unknown function '{name}'", tok.start, tok.end)
            else:
                hint = f"{prefix}({rest})"
            raise ParseError(f"unknown name '{name}'; did you mean {hint}?", tok.start, tok.end)
        return Node("name", name, (), tok.start, tok.end)

    def call(self, name_tok: Token, function: str) -> Node:
        opening = self.tok
        if opening.kind != "(":
            raise ParseError(
                f"{name_tok.text} needs brackets, like {name_tok.text}(x)",
                name_tok.start,
                name_tok.end,
            )
        self.advance()
        self.enter(opening)
        if self.tok.kind == ")":
            raise ParseError(
                f"{name_tok.text}() needs a value inside the brackets",
                name_tok.start,
                self.tok.end,
            )
        saved_abs, self.abs_depth = self.abs_depth, 0
        args = [self.expression()]
        while self.tok.kind == ",":
            self.advance()
            args.append(self.expression())
        self.abs_depth = saved_abs
        close = self.expect_close(opening)
        self.depth -= 1
        fewest, most = FUNCTION_ARITY[function]
        if not fewest <= len(args) <= most:
            wanted = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise ParseError(
                f"{name_tok.text} takes {wanted} value(s), not {len(args)}",
                name_tok.start,
                close.end,
            )
        return Node("call", function, tuple(args), name_tok.start, close.end)


def _natural_key(name: str) -> tuple[int, str, int]:
    order = {"x": 0, "y": 1, "z": 2}
    match = re.fullmatch(r"(.*?)(\d+)", name)
    if match:
        return (order.get(match.group(1), 3), match.group(1), int(match.group(2)))
    return (order.get(name, 3), name, -1)


def _free_names(node: Node, found: dict[str, Node]) -> None:
    if node.kind == "name" and node.text not in CONSTANTS.values():
        found.setdefault(node.text, node)
    for arg in node.args:
        _free_names(arg, found)


def _split_definition(text: str) -> tuple[int, tuple[str, ...] | None]:
    """Find an optional ``f(x, y) =`` or ``y =`` prefix.

    Returns the offset where the expression starts and the declared variables
    (None when the prefix declares none).
    """
    match = _DEFINITION.match(text)
    if not match:
        return 0, None
    if match.group(1) is None:
        return match.end(), None
    names = tuple(part.strip() for part in match.group(1).split(","))
    for name in names:
        if not _NAME.fullmatch(name) or canonical_function_name(name) or name in CONSTANTS:
            start = text.index("(") + 1
            raise ParseError(
                f"'{name}' cannot be a variable name", start, start + len(match.group(1))
            )
    if len(set(names)) != len(names):
        raise ParseError("a variable is listed twice", 0, match.end())
    return match.end(), names


def parse_tree(text: str) -> SyntaxTree:
    """First stage: check the syntax and build a syntax tree, without sympy.

    Parameters
    ----------
    text
        The function as typed, optionally with a definition prefix such as
        ``f(x) =`` or ``L(w1, w2) =``.

    Returns
    -------
    SyntaxTree

    Raises
    ------
    ParseError
        With a plain-language message and the span to highlight.
    """
    if len(text) > MAX_LENGTH:
        raise ParseError(
            f"too long: at most {MAX_LENGTH} characters, this has {len(text)}",
            MAX_LENGTH,
            len(text),
        )
    offset, declared = _split_definition(text)
    body = text[offset:]
    tokens = [Token(t.kind, t.text, t.start + offset, t.end + offset) for t in tokenize(body)]
    if len(tokens) == 1:
        raise ParseError("type a function, for example x^2", offset, len(text))
    root = _Parser(text, tokens).parse()
    found: dict[str, Node] = {}
    _free_names(root, found)
    if declared is None:
        variables = tuple(sorted(found, key=_natural_key)) or ("x",)
        return SyntaxTree(root, variables, False)
    for name, node in found.items():
        if name not in declared:
            raise ParseError(
                f"'{name}' is not one of the variables {', '.join(declared)}",
                node.start,
                node.end,
            )
    return SyntaxTree(root, declared, True)


def check_syntax(text: str) -> ParseError | None:
    """Return the syntax error in ``text``, or None if it parses. Never raises."""
    try:
        parse_tree(text)
    except ParseError as error:
        return error
    return None


# --- second stage: sympy ------------------------------------------------------


def _sympy_tables() -> tuple[dict[str, Any], dict[str, Any]]:
    import sympy as sp

    def cbrt(u: sympy.Expr) -> sympy.Expr:
        return sp.Pow(u, sp.Rational(1, 3))

    functions = {
        "sin": sp.sin,
        "cos": sp.cos,
        "tan": sp.tan,
        "cot": sp.cot,
        "sec": sp.sec,
        "csc": sp.csc,
        "asin": sp.asin,
        "acos": sp.acos,
        "atan": sp.atan,
        "acot": sp.acot,
        "asec": sp.asec,
        "acsc": sp.acsc,
        "sinh": sp.sinh,
        "cosh": sp.cosh,
        "tanh": sp.tanh,
        "coth": sp.coth,
        "sech": sp.sech,
        "csch": sp.csch,
        "asinh": sp.asinh,
        "acosh": sp.acosh,
        "atanh": sp.atanh,
        "exp": sp.exp,
        "ln": sp.log,
        "log": sp.log,
        "log10": lambda u: sp.log(u, 10),
        "log2": lambda u: sp.log(u, 2),
        "sqrt": sp.sqrt,
        "cbrt": cbrt,
        "abs": sp.Abs,
        "sign": sp.sign,
        "floor": sp.floor,
        "ceil": sp.ceiling,
        "min": sp.Min,
        "max": sp.Max,
        "sigmoid": lambda u: 1 / (1 + sp.exp(-u)),
        "relu": lambda u: sp.Max(0, u),
        "softplus": lambda u: sp.log(1 + sp.exp(u)),
    }
    constants = {"pi": sp.pi, "E": sp.E, "tau": 2 * sp.pi}
    return functions, constants


def _too_big(value: Any) -> bool:
    """Whether a sympy number is beyond what float64 (and a learner) can use."""
    import sympy as sp

    if isinstance(value, sp.Rational):
        return (
            abs(int(value.p)).bit_length() > MAX_CONSTANT_BITS
            or abs(int(value.q)).bit_length() > MAX_CONSTANT_BITS
        )
    if isinstance(value, sp.Float):
        return not math.isfinite(float(value)) or abs(float(value)) > 1e300
    return False


def _log10_magnitude(value: Any) -> float:
    """Roughly log10(|value|) for a sympy number, without computing huge powers."""
    import sympy as sp

    if value == 0:
        return -math.inf
    if isinstance(value, sp.Rational):
        return math.log10(abs(int(value.p))) - math.log10(abs(int(value.q)))
    return math.log10(abs(float(value)))


def _check_power(base: Any, exponent: Any, node: Node) -> None:
    """Reject powers whose size would explode before sympy tries to compute them."""
    import sympy as sp

    if not isinstance(exponent, sp.Number):
        return
    if isinstance(base, sp.Number):
        if base == 0 or abs(base) == 1:
            return
        magnitude = float(exponent) * _log10_magnitude(base)
        if abs(magnitude) > 300:
            raise ParseError(
                "this number is too large or too small to work with (beyond 10^±300)",
                node.start,
                node.end,
            )
    elif abs(float(exponent)) > MAX_EXPONENT:
        raise ParseError(
            f"exponents above {MAX_EXPONENT} are too large to work with", node.start, node.end
        )


class _Builder:
    """Second stage: syntax tree to sympy, from fixed tables only."""

    def __init__(self, variables: tuple[str, ...]) -> None:
        import sympy as sp

        self.sp = sp
        self.functions, self.constants = _sympy_tables()
        self.symbols = {name: sp.Symbol(name, real=True) for name in variables}

    def build(self, node: Node) -> Any:
        sp = self.sp
        kind = node.kind
        if kind == "num":
            if re.fullmatch(r"\d+", node.text):
                value = sp.Integer(int(node.text))
            else:
                number = float(node.text)
                if not math.isfinite(number) or abs(number) > 1e300:
                    raise ParseError("this number is too large", node.start, node.end)
                value = sp.Float(number)
        elif kind == "name":
            value = self.constants.get(node.text) or self.symbols[node.text]
        elif kind == "neg":
            value = -self.build(node.args[0])
        elif kind == "call":
            args = [self.build(arg) for arg in node.args]
            value = self.functions[node.text](*args)
        elif kind == "pow":
            base, exponent = (self.build(arg) for arg in node.args)
            _check_power(base, exponent, node)
            value = sp.Pow(base, exponent)
        else:
            left, right = (self.build(arg) for arg in node.args)
            if kind == "add":
                value = left + right
            elif kind == "sub":
                value = left - right
            elif kind == "mul":
                value = left * right
            else:
                if right == 0:
                    raise ParseError("division by zero", node.start, node.end)
                value = left / right
        if isinstance(value, sp.Number) and _too_big(value):
            raise ParseError("this number is too large to work with", node.start, node.end)
        return value


def build_sympy(tree: SyntaxTree) -> tuple[sympy.Expr, tuple[sympy.Symbol, ...]]:
    """Second stage: build the sympy expression for a syntax tree.

    Parameters
    ----------
    tree
        From :func:`parse_tree`.

    Returns
    -------
    expr, symbols
        The expression and the real sympy symbols of ``tree.variables``, in order.

    Raises
    ------
    ParseError
        If a value explodes (``9^9^9^9``), divides by zero, or is not a real number.
    """
    import sympy as sp

    builder = _Builder(tree.variables)
    root = tree.root
    try:
        expr = builder.build(root)
    except (OverflowError, MemoryError, RecursionError) as error:
        raise ParseError("this is too large to work with", root.start, root.end) from error
    if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        raise ParseError(
            "this is undefined everywhere (a division by zero or log(0))", root.start, root.end
        )
    if expr.has(sp.I):
        raise ParseError(
            "this has an imaginary part (such as the square root of a negative number)",
            root.start,
            root.end,
        )
    return expr, tuple(builder.symbols[name] for name in tree.variables)
