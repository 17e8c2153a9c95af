"""CalcStudio's benchmark: ``python -m calcstudio.benchmark``.

It measures the budgets of DESIGN.md on a real window offscreen with the real worker process:
typed character to repainted plot, pan/zoom re-sample and redraw, window start to first paint,
the descent animator's frame cost, and the same work done the notebook way, as a ratio.
"""
