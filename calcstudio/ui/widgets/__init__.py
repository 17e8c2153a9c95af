"""Widgets shared by every lesson: the function plot and its items, the function editor, the
log slider, the typeset formula view, live text readouts, the loss plot and the colours."""
