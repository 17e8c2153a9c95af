"""The area lesson: Riemann sums on the shared plot, the integral, the error against n."""
