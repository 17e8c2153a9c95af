"""Sympy functions for the parts of the language sympy spells differently or unstably.

Each keeps the name a learner typed (``relu(x)``, ``sigmoid(x)``, ``log10(x)``, ``cbrt(x)``),
differentiates into the language again (``relu′ = step``, ``softplus′ = sigmoid``) and is
printed in the language, so every formula shown parses back. Built lazily: sympy costs 0.5 s
to import and the window never imports it.

Conventions at kinks are those of deep-learning frameworks (PyTorch): ``relu′(0) = 0``
(``step(0) = 0``); ``max(u, v)`` and ``min(u, v)`` share the slope equally where ``u = v``,
as ``torch.maximum`` does, and more arguments nest from the left, ``max(a, b, c) =
max(max(a, b), c)``.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any


@functools.cache
def language_functions() -> SimpleNamespace:
    """The classes, created once: Acot, Sigmoid, Softplus, Relu, Step, Maximum, Minimum,
    LogBase, RealRoot."""
    import sympy as sp
    from sympy.printing.precedence import PRECEDENCE

    def real_argument(self: Any) -> bool | None:
        return self.args[0].is_extended_real

    class _Written(sp.Function):
        """A function with its own LaTeX, also as the base of a power (sigmoid(x)^2)."""

        def _latex_body(self, printer: Any) -> str:
            raise NotImplementedError

        def _latex(self, printer: Any, exp: str | None = None) -> str:
            body = self._latex_body(printer)
            return rf"\left({body}\right)^{{{exp}}}" if exp is not None else body

    class Sigmoid(_Written):
        """1 / (1 + e^-u), evaluated stably by the program evaluator."""

        nargs = 1
        _eval_is_extended_real = real_argument
        _eval_is_extended_positive = real_argument

        @classmethod
        def eval(cls, u: Any) -> Any:
            if u.is_zero:
                return sp.S.Half
            if u.is_number:
                return 1 / (1 + sp.exp(-u))
            return None

        def fdiff(self, argindex: int = 1) -> Any:
            return self * (1 - self)

        def _eval_rewrite_as_exp(self, u: Any, **kwargs: Any) -> Any:
            return 1 / (1 + sp.exp(-u))

        def _sympystr(self, printer: Any) -> str:
            return f"sigmoid({printer._print(self.args[0])})"

        def _latex_body(self, printer: Any) -> str:
            return rf"\mathrm{{sigmoid}}\left({printer._print(self.args[0])}\right)"

    class Softplus(_Written):
        """ln(1 + e^u), evaluated stably by the program evaluator."""

        nargs = 1
        _eval_is_extended_real = real_argument
        _eval_is_extended_positive = real_argument

        @classmethod
        def eval(cls, u: Any) -> Any:
            return sp.log(1 + sp.exp(u)) if u.is_number else None

        def fdiff(self, argindex: int = 1) -> Any:
            return Sigmoid(self.args[0])

        def _eval_rewrite_as_exp(self, u: Any, **kwargs: Any) -> Any:
            return sp.log(1 + sp.exp(u))

        def _sympystr(self, printer: Any) -> str:
            return f"softplus({printer._print(self.args[0])})"

        def _latex_body(self, printer: Any) -> str:
            return rf"\mathrm{{softplus}}\left({printer._print(self.args[0])}\right)"

    class Step(_Written):
        """The unit step: 1 where u > 0, 0 where u ≤ 0; relu′ as PyTorch computes it."""

        nargs = 1
        _eval_is_extended_real = real_argument

        @classmethod
        def eval(cls, u: Any) -> Any:
            if u.is_extended_positive:
                return sp.S.One
            if u.is_extended_nonpositive:
                return sp.S.Zero
            return None

        def fdiff(self, argindex: int = 1) -> Any:
            # 0 away from u = 0; the domain bookkeeping (core.domain) leaves it
            # undefined at the jump.
            return sp.S.Zero

        def _sympystr(self, printer: Any) -> str:
            return f"step({printer._print(self.args[0])})"

        def _latex_body(self, printer: Any) -> str:
            return rf"\mathrm{{step}}\left({printer._print(self.args[0])}\right)"

    class Relu(_Written):
        """max(0, u) with relu′ = step(u), so relu′(0) = 0 as in PyTorch."""

        nargs = 1
        _eval_is_extended_real = real_argument

        @classmethod
        def eval(cls, u: Any) -> Any:
            if u.is_extended_nonnegative:
                return u
            if u.is_extended_nonpositive:
                return sp.S.Zero
            return None

        def fdiff(self, argindex: int = 1) -> Any:
            return Step(self.args[0])

        def _sympystr(self, printer: Any) -> str:
            return f"relu({printer._print(self.args[0])})"

        def _latex_body(self, printer: Any) -> str:
            return rf"\mathrm{{relu}}\left({printer._print(self.args[0])}\right)"

    class _Extreme(_Written):
        """max or min of two values; the slope is shared equally at a tie."""

        nargs = 2
        name = ""
        larger = True

        @classmethod
        def eval(cls, a: Any, b: Any) -> Any:
            if a == b:
                return a
            difference = a - b
            if difference.is_extended_nonnegative:
                return a if cls.larger else b
            if difference.is_extended_nonpositive:
                return b if cls.larger else a
            return None

        def _eval_is_extended_real(self) -> bool | None:
            a, b = self.args
            return a.is_extended_real and b.is_extended_real

        def fdiff(self, argindex: int = 1) -> Any:
            a, b = self.args
            towards = 1 if (argindex == 1) == self.larger else -1
            return (1 + towards * sp.sign(a - b)) / 2

        def _flat(self) -> list[Any]:
            first, second = self.args
            head = first._flat() if type(first) is type(self) else [first]
            return [*head, second]

        def _sympystr(self, printer: Any) -> str:
            return f"{self.name}({', '.join(printer._print(arg) for arg in self._flat())})"

        def _latex_body(self, printer: Any) -> str:
            inside = ", ".join(printer._print(arg) for arg in self._flat())
            return rf"\{self.name}\left({inside}\right)"

    class Maximum(_Extreme):
        name = "max"
        larger = True

    class Minimum(_Extreme):
        name = "min"
        larger = False

    class LogBase(_Written):
        """log(u, b) that keeps its base: log10(x), log2(x), log(x, 0.5)."""

        nargs = 2

        @classmethod
        def eval(cls, u: Any, b: Any) -> Any:
            if (u.is_number and b.is_number) or u == b or u == 1:
                return sp.log(u, b)
            return None

        def _eval_is_extended_real(self) -> bool | None:
            u, b = self.args
            return True if u.is_extended_positive and b.is_extended_positive else None

        def fdiff(self, argindex: int = 1) -> Any:
            u, b = self.args
            if argindex == 1:
                return 1 / (u * sp.log(b))
            return -sp.log(u) / (b * sp.log(b) ** 2)

        def _eval_rewrite_as_log(self, u: Any, b: Any, **kwargs: Any) -> Any:
            return sp.log(u) / sp.log(b)

        def _sympystr(self, printer: Any) -> str:
            u, b = (printer._print(arg) for arg in self.args)
            if self.args[1] in (2, 10):
                return f"log{b}({u})"
            return f"log({u}, {b})"

        def _latex_body(self, printer: Any) -> str:
            u, b = (printer._print(arg) for arg in self.args)
            return rf"\log_{{{b}}}\left({u}\right)"

    class RealRoot(_Written):
        """u^(p/q) for an odd q, real for negative u: (-8)^(1/3) = -2.

        Sympy's own power takes the principal complex root of a negative base, which has no
        real value; this one stays real, as the language means.
        """

        nargs = 2

        @classmethod
        def eval(cls, u: Any, exponent: Any) -> Any:
            if u.is_extended_nonnegative or exponent.is_Integer:
                return sp.Pow(u, exponent)
            if u.is_extended_negative and u.is_number:
                return (-1) ** int(exponent.p) * sp.Pow(-u, exponent)
            return None

        def _eval_is_extended_real(self) -> bool | None:
            return self.args[0].is_extended_real

        @property
        def precedence(self) -> int:
            return PRECEDENCE["Func"] if self.args[1] == sp.Rational(1, 3) else PRECEDENCE["Pow"]

        def fdiff(self, argindex: int = 1) -> Any:
            u, exponent = self.args
            return exponent * RealRoot(u, exponent - 1)

        def _eval_evalf(self, prec: int) -> Any:
            u, exponent = (arg.evalf(prec) for arg in self.args)
            if u.is_Number:
                sign = -1 if u.is_negative and int(self.args[1].p) % 2 else 1
                return sign * sp.Pow(abs(u), exponent).evalf(prec)
            return None

        def _sympystr(self, printer: Any) -> str:
            u, exponent = self.args
            if exponent == sp.Rational(1, 3):
                return f"cbrt({printer._print(u)})"
            base = printer.parenthesize(u, PRECEDENCE["Pow"], strict=False)
            return f"{base}^({exponent.p}/{exponent.q})"

        def _latex_body(self, printer: Any) -> str:
            u, exponent = self.args
            if exponent == sp.Rational(1, 3):
                return rf"\sqrt[3]{{{printer._print(u)}}}"
            base = printer.parenthesize(u, PRECEDENCE["Pow"], strict=False)
            return rf"{base}^{{\frac{{{exponent.p}}}{{{exponent.q}}}}}"

    class acot(sp.acot):  # noqa: N801 - printed by its class name, as the language spells it
        """acot without sympy's acot(-u) = -acot(u), false at u = 0 where acot(0) = π/2."""

        @classmethod
        def eval(cls, arg: Any) -> Any:
            if not arg.is_number and arg.could_extract_minus_sign():
                return None
            return super().eval(arg)

    return SimpleNamespace(
        Acot=acot,
        Sigmoid=Sigmoid,
        Softplus=Softplus,
        Step=Step,
        Relu=Relu,
        Maximum=Maximum,
        Minimum=Minimum,
        LogBase=LogBase,
        RealRoot=RealRoot,
    )


__all__ = ["language_functions"]
