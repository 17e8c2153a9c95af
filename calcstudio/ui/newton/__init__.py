"""The Newton–Raphson lesson: tangents followed down to the x-axis, digits doubling."""
