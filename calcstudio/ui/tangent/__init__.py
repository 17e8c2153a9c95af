"""The tangent & secant lesson: its side panel (readouts, the limit table, the step h)."""
