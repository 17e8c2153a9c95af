"""The line-fit lesson: the data and the line, the loss bowl over (m, c), descent on it."""
