"""The same work done the way a notebook user would: parse_expr, diff, lambdify, matplotlib.

This runs trusted benchmark text only (never user text): ``parse_expr`` evaluates Python.
"""

from __future__ import annotations

import time

import numpy as np


def measure_notebook(texts: list[str], repeats: int = 1, points: int = 2000) -> list[float]:
    """Seconds per edit: parse, f' and f'', lambdify all three, evaluate, redraw with Agg.

    Given the same texts the typing benchmark plotted (each keystroke's), the medians
    compare like with like.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import sympy as sp
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    transformations = (
        *standard_transformations,
        implicit_multiplication_application,
        convert_xor,
    )
    names = {
        "relu": lambda u: sp.Max(0, u),
        "sigmoid": lambda u: 1 / (1 + sp.exp(-u)),
        "ln": sp.log,
        "abs": sp.Abs,
        "x": sp.Symbol("x", real=True),
    }
    x = names["x"]
    # numpy has no DiracDelta (the second derivative of abs and relu): a notebook user
    # would have to say what it is, as here.
    modules = [{"DiracDelta": lambda u, *_: np.zeros_like(u)}, "numpy"]
    xs = np.linspace(-5, 5, points)
    figure, axes = plt.subplots(figsize=(8, 5), dpi=100)
    lines = [axes.plot(xs, xs)[0] for _ in range(3)]
    axes.grid(True)
    timings = []
    for text in texts:
        for _ in range(repeats):
            started = time.perf_counter()
            try:
                expr = parse_expr(text, local_dict=dict(names), transformations=transformations)
            except (SyntaxError, TypeError):  # a half-typed text the notebook cannot read
                continue
            first = sp.diff(expr, x)
            second = sp.diff(first, x)
            for line, e in zip(lines, (expr, first, second), strict=True):
                with np.errstate(all="ignore"):
                    try:
                        ys = np.broadcast_to(sp.lambdify(x, e, modules)(xs), xs.shape)
                        ys = np.asarray(ys, dtype=float)
                    except (TypeError, ValueError, NameError):
                        # A half-typed name ("x*s" on the way to "x*sin(1/x)") is a symbol
                        # that numpy cannot evaluate: the notebook draws nothing.
                        ys = np.full(xs.shape, np.nan)
                line.set_ydata(np.where(np.isfinite(ys), ys, np.nan))
            axes.relim()
            axes.autoscale_view()
            figure.canvas.draw()
            timings.append(time.perf_counter() - started)
    plt.close(figure)
    return timings
