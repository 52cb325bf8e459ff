"""Stochastic switching thresholds from a portable, seeded generator.

Each MTJ accumulates switching progress ``q = integral dt / t_mean(V(t))`` and switches
when ``q`` reaches a threshold. The threshold is 1 (deterministic), an Exp(1) draw
(exponential: a Poisson process with rate ``1/t_mean``, so ``P(no switch) = exp(-q)``),
or ``|Normal(1, sto_dev)|`` (gaussian). Draws come from a Park-Miller generator seeded
per MTJ: its arithmetic is exact in IEEE doubles, so every backend (including Verilog-A)
reproduces the same sequence.
"""

from __future__ import annotations

import math

SWITCHING_MODES = ("deterministic", "exponential", "gaussian")
DETERMINISTIC, EXPONENTIAL, GAUSSIAN = 0, 1, 2

PM_MODULUS = 2147483647  #: 2^31 - 1
PM_MULTIPLIER = 16807


def next_state(x: int) -> int:
    """Advance the Park-Miller generator state (``1 <= x < 2^31 - 1``)."""
    return (PM_MULTIPLIER * x) % PM_MODULUS


def draw_threshold(x: int, mode: int, sto_dev: float) -> tuple[float, int]:
    """Return a switching threshold and the advanced generator state."""
    if mode == DETERMINISTIC:
        return 1.0, x
    x = (PM_MULTIPLIER * x) % PM_MODULUS
    u1 = x / PM_MODULUS
    if mode == EXPONENTIAL:
        return -math.log(u1), x
    x = (PM_MULTIPLIER * x) % PM_MODULUS
    u2 = x / PM_MODULUS
    z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
    return abs(1.0 + sto_dev * z), x
