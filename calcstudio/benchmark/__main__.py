"""``python -m calcstudio.benchmark``: measure CalcStudio against its budgets.

Each section measures one part of the app in a real window offscreen with the real worker
process, beside the same work done the notebook way in the same run; the run ends with one
line per budget (figure, limit, baseline, within or over).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from calcstudio.benchmark.budgets import Budgets
from calcstudio.benchmark.stats import median, percentile, summary

if TYPE_CHECKING:
    from calcstudio.ui.window.main_window import MainWindow

SOAK_EDITS = 10_000
SECTIONS = ("start", "keystroke", "pan", "soak", "descent", "surface", "fit", "chain", "area")
"""What ``--only`` can pick; ``keystroke`` includes its notebook baseline and the f′(a) check."""


def _report(line: str) -> None:
    print(line, flush=True)


def _startup(budgets: Budgets, runs: int = 3) -> None:
    """Window start in fresh processes, with the bytecode an installed copy has.

    ``pip install`` compiles every module's bytecode, so an installed CalcStudio does not
    compile its sources when it starts; a checkout run with ``PYTHONDONTWRITEBYTECODE`` would
    (about 100 ms here). The starts keep their bytecode in a private cache, filled by one
    unmeasured start: ``PYTHONPYCACHEPREFIX`` rather than ``-X pycache_prefix``, since the
    window's worker process inherits the environment but not the option, and would write
    into the checkout.
    """
    inside: list[float] = []
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="calcstudio-bytecode-") as cache:
        env["PYTHONPYCACHEPREFIX"] = cache
        command = [sys.executable, "-m", "calcstudio.benchmark.startup"]
        for run in range(runs + 1):
            started = time.perf_counter()
            output = subprocess.run(
                command, capture_output=True, text=True, check=True, timeout=120, env=env
            ).stdout
            wall = time.perf_counter() - started
            if run == 0:
                continue  # the start that writes the bytecode
            inside.append(float(output.split()[-1]))
            _report(
                f"  window start to first paint: {inside[-1] * 1000:.0f} ms after Python started "
                f"importing CalcStudio ({wall * 1000:.0f} ms including interpreter start-up; "
                "bytecode cached, as installed)"
            )
    budgets.add("window start to first paint, median", median(inside) * 1000, 600)


def _keystroke(window: MainWindow, texts: list[str], budgets: Budgets) -> None:
    """Typed character to repainted plot and formulas, beside the notebook way; f′(a) checks."""
    from calcstudio.benchmark.keystroke import measure_typing
    from calcstudio.benchmark.notebook import measure_notebook
    from calcstudio.benchmark.tangent import measure_checks

    _report("Typed character to repainted plot:")
    typing = measure_typing(window, texts)
    _report(f"  plot (f, f', f'', tangent, secant): {summary(typing.to_plot)}")
    _report(f"  with the engine's typeset formulas: {summary(typing.to_formulas)}")
    _report(f"  ({typing.invalid_keystrokes} keystrokes left unfinished text, e.g. 'sin(')")
    _report("Whether f′(a) exists, per move of the tangent point:")
    across, at_switches = measure_checks(texts)
    _report(f"  across the presets' views: {summary(across, 'µs')}")
    _report(f"  at corners, jumps, poles, cusps (numbers both sides): {summary(at_switches, 'µs')}")

    _report("The notebook way, for the same edits (parse_expr, diff twice, lambdify, Agg redraw):")
    notebook = measure_notebook(typing.plotted)
    _report(f"  per edit: {summary(notebook)}")
    budgets.add(
        "keystroke to repainted plot, median",
        median(typing.to_plot) * 1000,
        8,
        median(notebook) * 1000,
        4,
    )
    budgets.add("keystroke to repainted plot, p95", percentile(typing.to_plot, 95) * 1000, 25)
    budgets.add("keystroke to typeset formulas, median", median(typing.to_formulas) * 1000, 50)
    budgets.add(
        "keystroke to typeset formulas, p95", percentile(typing.to_formulas, 95) * 1000, 100
    )
    budgets.add("f′(a) exists? at a switch point, median", median(at_switches) * 1000, 1)


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's command line."""
    parser = argparse.ArgumentParser(
        prog="python -m calcstudio.benchmark",
        description="Measure CalcStudio against its performance budgets (a real window "
        "offscreen, the real worker process) beside the notebook way, and print one line "
        "per budget at the end. Takes a few minutes; the soak takes longer.",
    )
    parser.add_argument(
        "--soak",
        type=int,
        default=SOAK_EDITS,
        metavar="EDITS",
        help=f"edits in the memory soak (default {SOAK_EDITS:,}; 0 skips it)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SECTIONS,
        default=SECTIONS,
        metavar="SECTION",
        help=f"measure only these sections (of: {', '.join(SECTIONS)}); default all",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement, print the figures, then the budgets."""
    args = build_parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from calcstudio.benchmark import area, chain, descent, fit, surface
    from calcstudio.benchmark.corpus import corpus
    from calcstudio.benchmark.keystroke import measure_pan_zoom
    from calcstudio.benchmark.memory import soak
    from calcstudio.benchmark.windows import close_window
    from calcstudio.core.engine import Engine
    from calcstudio.ui.window.main_window import MainWindow

    budgets = Budgets()
    texts = corpus()
    only = set(args.only)
    _report(
        f"CalcStudio benchmark: {len(texts)} functions, Qt platform {os.environ['QT_QPA_PLATFORM']}"
    )
    if "start" in only:
        _report("Window start:")
        _startup(budgets)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    engine = Engine()
    engine.start()
    engine.compute("sin(x)^2")  # warm: sympy imported in the worker
    window = MainWindow(engine=engine, settings=None)
    window.resize(1200, 800)
    window.show()
    app.processEvents()

    if "keystroke" in only:
        _keystroke(window, texts, budgets)
    if "pan" in only:
        _report("Pan/zoom re-sample and redraw of f, f', tangent:")
        pans = measure_pan_zoom(window, texts)
        _report(f"  {summary(pans)}")
        budgets.add("pan/zoom re-sample and redraw, median", median(pans) * 1000, 6)
        budgets.add("pan/zoom re-sample and redraw, p95", percentile(pans, 95) * 1000, 10)
    if args.soak and "soak" in only:
        _report(f"Memory (a soak of {args.soak:,} edits):")
        soak(window, texts, args.soak, lambda line: _report(f"  {line}"))
    close_window(window)

    if "descent" in only:
        _report("Descent animator frame:")
        descent.run(lambda line: _report(f"  {line}"), engine, budgets)
    if "surface" in only:
        _report("Surface lesson (two variables):")
        figures = surface.run(lambda line: _report(f"  {line}"), engine)
        budgets.add(
            "surface: landscape on pan/zoom, median", figures["pan"], 16, figures["matplotlib"]
        )
        budgets.add(
            "surface: dragging the point, median", figures["drag"], 8, figures["matplotlib drag"]
        )
        budgets.add("surface: descent frame, seven racers, median", figures["descent"], 8)
        budgets.add("surface: keystroke to first landscape, median", figures["keystroke"], 50)
    if "fit" in only:
        _report("Fit a line lesson:")
        fit.run(lambda line: _report(f"  {line}"), budgets)
    if "chain" in only:
        _report("Chain rule lesson:")
        chain.run(lambda line: _report(f"  {line}"), budgets)
    if "area" in only:
        _report("Area lesson:")
        area.run(lambda line: _report(f"  {line}"), engine, budgets)
    engine.close()

    _report("")
    _report("Budgets (each figure against its limit, beside the notebook way where measured):")
    for line in budgets.lines():
        _report(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
