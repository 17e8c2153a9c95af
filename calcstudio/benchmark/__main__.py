"""``python -m calcstudio.benchmark``: measure CalcStudio against DESIGN.md's budgets."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def _report(line: str) -> None:
    print(line, flush=True)


def _startup(runs: int = 3) -> None:
    for _ in range(runs):
        started = time.perf_counter()
        output = subprocess.run(
            [sys.executable, "-m", "calcstudio.benchmark.startup"],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        wall = time.perf_counter() - started
        inside = float(output.split()[-1])
        _report(
            f"  window start to first paint: {inside * 1000:.0f} ms after Python started "
            f"importing CalcStudio ({wall * 1000:.0f} ms including interpreter start-up)"
        )


def build_parser() -> argparse.ArgumentParser:
    """The command line: no options yet, but ``--help`` says what the run measures."""
    return argparse.ArgumentParser(
        prog="python -m calcstudio.benchmark",
        description=(
            "Measure CalcStudio against the budgets of DESIGN.md, in a real window offscreen "
            "with the real worker process: window start, typed character to repainted plot, "
            "pan and zoom, the notebook way for the same edits (sympy, lambdify, matplotlib), "
            "and descent animation frames. Takes a few minutes; prints one figure per line."
        ),
    )


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print the figures (``--help`` prints what it measures)."""
    build_parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from calcstudio.benchmark.corpus import corpus
    from calcstudio.benchmark.keystroke import measure_pan_zoom, measure_typing
    from calcstudio.benchmark.notebook import measure_notebook
    from calcstudio.benchmark.stats import median, summary
    from calcstudio.benchmark.tangent import measure_checks
    from calcstudio.core.engine import Engine
    from calcstudio.ui.window.main_window import MainWindow

    texts = corpus()
    _report(
        f"CalcStudio benchmark: {len(texts)} functions, Qt platform {os.environ['QT_QPA_PLATFORM']}"
    )
    _report("Window start (budget: about 1 s):")
    _startup()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    engine = Engine()
    engine.start()
    engine.compute("sin(x)^2")  # warm: sympy imported in the worker
    window = MainWindow(engine=engine, settings=None)
    window.resize(1200, 800)
    window.show()
    app.processEvents()

    _report("Typed character to repainted plot (budget: median <= 16.7 ms, p95 <= 50 ms):")
    typing = measure_typing(window, texts)
    _report(f"  plot (f, f', f'', tangent, secant): {summary(typing.to_plot)}")
    _report(f"  with the engine's typeset formulas: {summary(typing.to_formulas)}")
    _report(f"  ({typing.invalid_keystrokes} keystrokes left unfinished text, e.g. 'sin(')")

    _report("Pan/zoom re-sample and redraw of f, f', tangent (budget: < 8 ms):")
    pans = measure_pan_zoom(window, texts)
    _report(f"  {summary(pans)}")

    _report("Whether f′(a) exists, per move of the tangent point (budget: well under 1 ms):")
    across, at_switches = measure_checks(texts)
    _report(f"  across the presets' views: {summary(across, 'µs')}")
    _report(f"  at corners, jumps, poles, cusps (numbers both sides): {summary(at_switches, 'µs')}")
    window.close()

    _report(
        "The notebook way, for the same edits (parse_expr, diff twice, lambdify, "
        "matplotlib Agg redraw):"
    )
    notebook = measure_notebook(typing.plotted)
    _report(f"  per edit: {summary(notebook)}")
    _report(
        f"  ratio notebook / CalcStudio keystroke-to-plot (medians): "
        f"{median(notebook) / median(typing.to_plot):.0f}x"
    )

    try:
        from calcstudio.benchmark import descent
    except ImportError:
        _report("Descent animator: not available")
    else:
        _report("Descent animator frame (budget: <= 4 ms, 7 racers <= 8 ms):")
        descent.run(lambda line: _report(f"  {line}"), engine)
    from calcstudio.benchmark import area

    _report("Area lesson (budget: an update <= 16 ms, the error curve of 60 n <= 50 ms):")
    area.run(lambda line: _report(f"  {line}"), engine)

    from calcstudio.benchmark import surface

    _report("Surface lesson (two variables):")
    surface.run(lambda line: _report(f"  {line}"), engine)
    engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
