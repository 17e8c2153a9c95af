"""Functions of two variables: landscapes, gradients, Hessians, critical points, descent."""

from __future__ import annotations
