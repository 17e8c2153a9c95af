"""The gradient-descent lesson: a ball rolled down the curve, and optimizers racing.

The ball, trails and slope lines go on the shared function plot; the loss plot sits under it.
"""

from __future__ import annotations

from typing import Any

from calcstudio.ui.descent.panel import DescentPanel
from calcstudio.ui.window.lesson import Lesson, LessonHost, ShownFunction


class DescentLesson(Lesson):
    """Roll a ball downhill by ``w ← w − η·f′(w)``; race seven optimizers.

    Parameters
    ----------
    host
        The window.
    """

    key = "descent"
    title = "Gradient descent"
    tooltip = "Roll a ball downhill: w ← w − η·f′(w)"

    def __init__(self, host: LessonHost) -> None:
        super().__init__(host)
        self.panel: DescentPanel = DescentPanel(plot_item=host.plot.getPlotItem())
        self.under_plot = self.panel.loss_plot
        self.text = ""
        """The function the runs are on; a new function restarts them, nothing else does."""
        self.panel.presetChosen.connect(self.presetChosen)

    def set_function(self, shown: ShownFunction) -> None:
        """Restart the runs on a new function (the same function keeps them)."""
        if shown.text == self.text:
            return
        self.text = shown.text
        self.panel.set_function(shown.f, shown.df, shown.d2f, shown.variable)

    def set_active(self, active: bool) -> None:
        """Draw the balls and trails only while the tab is current; hiding pauses."""
        self.panel.set_overlay_shown(active)

    def plot_clicked(self, x: float) -> None:
        """A click on the plot puts the ball there."""
        self.panel.place_ball(x)

    def preset_framed(self, preset: dict[str, Any]) -> None:
        """The descent presets set their own start and rate through the panel."""

    def show_first_preset(self) -> bool:
        """The descent tab's first preset: its function, start, rate and race."""
        if not self.panel.presets:
            return False
        self.panel.choose_preset(0)
        return True

    def stop(self) -> None:
        """Pause the animation."""
        self.panel.stop()
