"""The chain-rule lesson: the derivation step by step, the expression as a computational graph
with its forward and backward passes, and deep chains whose gradients vanish or explode."""
