"""What the descent panel says about its runs: the last step, the verdict, the race.

Notes
-----
One run shows its last step with its numbers, the diagnosis of its path and the critical
learning rate; a race shows the racers' table and the finish order instead. Every verdict
comes from :func:`calcstudio.core.optimize.diagnose` and every sentence from
:mod:`calcstudio.core.optimize.readout`; this widget only shows them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QVBoxLayout, QWidget

from calcstudio.core.optimize import OPTIMIZERS, Objective, Run, diagnose
from calcstudio.core.optimize.diagnosis import diagnose_each
from calcstudio.core.optimize.readout import critical_rate_sentence, step_lines
from calcstudio.ui.descent.race_table import RaceTable, finish_order
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.live_text import LiveText
from calcstudio.ui.widgets.marks import font_for_marks

_VERDICT_COLOURS = {
    "diverging": palette.ERROR,
    "runaway": palette.ERROR,
    "undefined": palette.ERROR,
}


class RunVerdicts(QWidget):
    """The step readout, the race table and the diagnosis, critical-rate and finish lines.

    Parameters
    ----------
    parent
        The parent widget.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The readouts change every frame: LiveText repaints itself without a re-layout.
        self.readout = LiveText()
        self.readout.setObjectName("descentReadout")
        font = font_for_marks(self.readout.font())  # Adam's steps write m̂ and v̂
        font.setPointSizeF(font.pointSizeF() * 1.15)  # the update rule, readable from afar
        self.readout.setFont(font)
        self.readout.setToolTip("The last step with its numbers; right-click to copy")
        self.diagnosis_label = LiveText()
        self.diagnosis_label.setObjectName("descentDiagnosis")
        self.diagnosis_label.setToolTip("What the run is doing, read from its path")
        self.critical_label = LiveText()
        self.critical_label.setToolTip(
            "Near a minimum w*, each plain gradient-descent step multiplies the distance to "
            "it by about 1 − η f″(w*): it shrinks only while η < 2/f″(w*)"
        )
        self.finish_label = LiveText()
        self.race_table = RaceTable()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.readout,
            self.race_table,
            self.diagnosis_label,
            self.critical_label,
            self.finish_label,
        ):
            layout.addWidget(widget)

    def show_single(self, run: Run, objective: Objective | None) -> None:
        """Show one run's last step, its diagnosis and its critical learning rate."""
        self.readout.set_text("\n".join(step_lines(run)))
        self.race_table.hide()
        self.readout.show()
        verdict = diagnose(run.trace(), objective)
        colour = _VERDICT_COLOURS.get(verdict.kind, palette.FUNCTION)
        self._show_diagnosis(verdict.message, colour)
        self.critical_label.set_text(critical_rate_sentence(verdict, run))
        self.finish_label.clear()

    def show_race(
        self,
        runs: Sequence[tuple[str, Run]],
        objective: Objective | None,
        variable: str,
    ) -> None:
        """Show the racers (optimizer key and run) in the table, and their finish order."""
        verdicts = diagnose_each([run.trace() for _, run in runs], objective)
        self.race_table.show_runs(runs, verdicts, variable)
        self.readout.hide()
        self.race_table.show()
        self.diagnosis_label.clear()
        self.critical_label.clear()
        named = [(OPTIMIZERS[key].short_name, run) for key, run in runs]
        self.finish_label.set_text(finish_order(named))

    def show_problem(self, problem: str) -> None:
        """Show why nothing runs (no function, no optimizer ticked, a bad start) instead."""
        self.readout.clear()
        self.race_table.hide()
        self.critical_label.clear()
        self.finish_label.clear()
        self._show_diagnosis(problem, palette.ERROR)

    def _show_diagnosis(self, text: str, colour: str) -> None:
        self.diagnosis_label.set_colour(colour)
        self.diagnosis_label.set_text(text)
