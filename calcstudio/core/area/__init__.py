"""The area lesson's maths: Riemann sums, the interval check, accumulation, exact integrals."""
