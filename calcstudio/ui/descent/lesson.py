"""The gradient-descent lesson: a ball rolled down the curve, and optimizers racing.

The ball, trails and slope lines go on the shared function plot; the loss plot sits under it.
"""

from __future__ import annotations

import math
from typing import Any

from calcstudio.core.optimize import OPTIMIZERS
from calcstudio.ui.descent.panel import DescentPanel
from calcstudio.ui.window.lesson import Lesson, LessonHost, ShownFunction, from_card


@from_card("descent")
class DescentLesson(Lesson):
    """Roll a ball downhill by ``w ← w − η·f′(w)``; race seven optimizers.

    Parameters
    ----------
    host
        The window.
    """

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

    def focus_points(self) -> tuple[float, ...]:
        """Where the balls are now and where they started."""
        return tuple(
            float(x) for _, run in self.panel.runs for x in (run.points[0, 0], run.points[-1, 0])
        )

    def show_first_preset(self) -> bool:
        """The descent tab's first preset: its function, start, rate and race."""
        if not self.panel.presets:
            return False
        self.panel.choose_preset(0)
        return True

    def stop(self) -> None:
        """Pause the animation."""
        self.panel.stop()

    def state(self) -> dict[str, Any]:
        """The runs' settings: start, optimizer, every optimizer's values, race, limits."""
        panel, chooser = self.panel, self.panel.chooser
        return {
            "start": panel.start,
            "optimizer": chooser.current_key(),
            "values": {key: dict(values) for key, values in chooser.values.items()},
            "race": chooser.runners() if chooser.racing() else None,
            "max_steps": panel.max_steps_spin.value(),
            "speed": panel.speed_spin.value(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        """Put the runs' settings back; values that are wrong or unknown are left out."""
        panel, chooser = self.panel, self.panel.chooser
        for name, spin in (("max_steps", panel.max_steps_spin), ("speed", panel.speed_spin)):
            if _is_number(state.get(name)):
                spin.setValue(int(min(max(state[name], spin.minimum()), spin.maximum())))
        values = state.get("values")
        for key, spec in OPTIMIZERS.items():
            given = values.get(key) if isinstance(values, dict) else None
            for name in spec.defaults:
                if isinstance(given, dict) and _is_number(given.get(name)):
                    try:
                        chooser.set_value(key, name, float(given[name]))
                    except ValueError:
                        continue  # the optimizer refuses it: keep its own
        if state.get("optimizer") in OPTIMIZERS:
            chooser.set_current(state["optimizer"])
        race = state.get("race")
        if race is None or (isinstance(race, list) and set(race) <= set(OPTIMIZERS)):
            chooser.set_race(race)
        if _is_number(state.get("start")):
            panel.place_ball(float(state["start"]))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
