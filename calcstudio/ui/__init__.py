"""The CalcStudio window: PySide6 + pyqtgraph widgets that show what calcstudio.core computes."""

from calcstudio.ui.qt_imports import check_modules_quickly, import_pyqtgraph

# Before any widget module is imported: see calcstudio.ui.qt_imports for what each saves.
check_modules_quickly()
import_pyqtgraph()
