"""The surface lesson: landscapes of two variables, gradients, slices and descent on a map."""
