"""Process variability: per-MTJ draws of tox, tsl and TMR around their nominal values."""

from __future__ import annotations

import numpy as np

from spinsnn.errors import InputError

VARIABILITY_MODES = ("normal", "uniform")


def sample_parameter(
    nominal: float, dev: float, mode: str, shape: tuple[int, ...], rng: np.random.Generator
) -> np.ndarray:
    """Draw one device parameter for every MTJ.

    ``normal``: ``|Normal(nominal, nominal*dev)|``; ``uniform``:
    ``Uniform(nominal*(1-dev), nominal*(1+dev))``. ``dev = 0`` returns the nominal value.
    """
    if mode not in VARIABILITY_MODES:
        raise InputError("--variability", mode, f"one of {', '.join(VARIABILITY_MODES)}")
    if dev == 0:
        return np.full(shape, nominal)
    if mode == "normal":
        return np.abs(rng.normal(nominal, nominal * dev, size=shape))
    return rng.uniform(nominal * (1 - dev), nominal * (1 + dev), size=shape)
