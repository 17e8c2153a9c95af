"""The syntax of the expression language: the parser, text to a syntax tree.

:func:`parse_tree` is the first parsing stage: text to a small syntax tree, in pure
Python (microseconds, no sympy), so the window can check syntax on every keystroke.
:mod:`calcstudio.core.language` builds sympy expressions from the tree. The tree's types
(:class:`Node`, :class:`SyntaxTree`) are in :mod:`calcstudio.core.language.tree`.
"""

from __future__ import annotations

from calcstudio.core.language.names import is_variable_name, not_a_variable
from calcstudio.core.language.tokens import ParseError, Token, fold_unicode, tokenize
from calcstudio.core.language.tree import Node, SyntaxTree, free_names
from calcstudio.core.language.vocabulary import (
    CONSTANTS,
    FUNCTION_ARITY,
    canonical_function_name,
    known_prefix,
    split_definition,
    variable_order,
)

MAX_LENGTH = 1000
"""Longest text accepted, in characters."""
MAX_DEPTH = 60
"""Deepest nesting of brackets, function calls and powers."""


class _Parser:
    """Recursive-descent parser over a token list (grammar in README.md)."""

    def __init__(
        self, text: str, tokens: list[Token], declared: tuple[str, ...] | None = None
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.declared = declared
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
        depth = self.depth
        while self.tok.kind == "sup":
            sup = self.advance()
            self.enter(sup)  # x² ² ² ... nests powers as brackets would
            exponent = Node("num", sup.text.lstrip("-"), (), sup.start, sup.end)
            if sup.text.startswith("-"):
                exponent = Node("neg", "", (exponent,), sup.start, sup.end)
            node = Node("pow", "", (node, exponent), node.start, sup.end)
        self.depth = depth
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
        if is_variable_name(name, self.declared):
            return Node("name", name, (), tok.start, tok.end)
        prefix = known_prefix(name)
        if prefix is not None:
            rest = name[len(prefix) :]
            if prefix == "pi":
                hint = f"pi*{rest}"
            elif self.tok.kind == "(":
                raise ParseError(f"unknown function '{name}'", tok.start, tok.end)
            else:
                hint = f"{prefix}({rest})"
            raise ParseError(f"unknown name '{name}'; did you mean {hint}?", tok.start, tok.end)
        # Not a variable: an unfinished function name or a product typed without spaces.
        raise ParseError(not_a_variable(name, self.declared, self.following()), tok.start, tok.end)

    def following(self) -> str:
        """The text after a name that a suggestion quotes: its brackets or its exponent."""
        tok = self.tok
        if tok.kind == "(":
            depth = 0
            for later in self.tokens[self.pos :]:
                depth += {"(": 1, ")": -1}.get(later.kind, 0)
                if depth == 0 or later.kind == "end":
                    return self.text[tok.start : later.end]
        if tok.kind == "op" and tok.text == "^":
            after = self.tokens[self.pos + 1]
            if after.kind in ("num", "name"):
                return self.text[tok.start : after.end]
        return ""

    def power_before_brackets(self, name_tok: Token) -> ParseError | None:
        """The error for ``sin^2(x)``, ``sin²(x)`` or ``sin⁻¹(x)``, which need rewording."""
        tok = self.tok
        # The token list ends with "end", so looking two past a '^' stays inside it.
        after = self.tokens[self.pos + 1 : self.pos + 3] if tok.text == "^" else []
        kinds = [t.kind if t.kind != "op" else t.text for t in after]
        if tok.kind == "sup":
            exponent, end = tok.text, tok.end
        elif kinds[:1] == ["num"]:
            exponent, end = after[0].text, after[0].end
        elif kinds == ["-", "num"]:
            exponent, end = f"-{after[1].text}", after[1].end
        else:
            return None
        name = name_tok.text
        if exponent == "-1" and canonical_function_name(f"a{name}"):
            message = f"write a{name}(x) for the inverse of {name}"
        else:
            message = f"write {name}(x)^{exponent} for a power of {name}"
        return ParseError(message, name_tok.start, end)

    def call(self, name_tok: Token, function: str) -> Node:
        opening = self.tok
        if opening.kind != "(":
            error = self.power_before_brackets(name_tok)
            if error is not None:
                raise error
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
    text = fold_unicode(text)
    offset, declared = split_definition(text)
    body = text[offset:]
    if offset and "=" in body:
        where = offset + body.index("=")
        raise ParseError("only one '=' is allowed, as in f(x) = x^2", where, where + 1)
    tokens = [Token(t.kind, t.text, t.start + offset, t.end + offset) for t in tokenize(body)]
    if len(tokens) == 1:
        raise ParseError("type a function, for example x^2", offset, len(text))
    root = _Parser(text, tokens, declared).parse()
    found = free_names(root)
    if declared is None:
        variables = tuple(sorted(found, key=variable_order)) or ("x",)
        return SyntaxTree(root, variables, False, text)
    for name, node in found.items():
        if name not in declared:
            raise ParseError(
                f"'{name}' is not one of the variables {', '.join(declared)}",
                node.start,
                node.end,
            )
    return SyntaxTree(root, declared, True, text)


def check_syntax(text: str) -> ParseError | None:
    """Return the syntax error in ``text``, or None if it parses. Never raises."""
    try:
        parse_tree(text)
    except ParseError as error:
        return error
    return None
