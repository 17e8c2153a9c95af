"""The gradient-descent lesson: its panel, the ball and trails on the plot, the race."""
