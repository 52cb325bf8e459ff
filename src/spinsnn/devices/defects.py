"""Manufacturing defects of single MTJs, drawn per cell at given rates.

A defective cell never switches. ``stuck_p`` and ``stuck_ap`` hold their state (P or AP);
``open`` conducts nothing; ``short`` is a fixed resistance ``short_resistance`` between
the cell's terminals. Open and shorted cells keep their (unchanging) magnetic state, so
``sum(ix)`` still counts them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from spinsnn.errors import InputError

NONE, STUCK_P, STUCK_AP, OPEN, SHORT = range(5)
KINDS = ("stuck_p", "stuck_ap", "open", "short")  #: defect codes 1..4, in this order


@dataclass(frozen=True)
class Defects:
    """Per-MTJ defect rates (probabilities, summing to at most 1) and the short's resistance (Ohm)."""

    stuck_p: float = 0.0
    stuck_ap: float = 0.0
    open: float = 0.0
    short: float = 0.0
    short_resistance: float = 100.0

    def __post_init__(self) -> None:
        for kind in KINDS:
            rate = getattr(self, kind)
            if not 0.0 <= rate <= 1.0:
                raise InputError("--" + kind.replace("_", "-"), rate, "a rate between 0 and 1")
        if sum(self.rates()) > 1.0 + 1e-12:
            raise InputError("--stuck-p/--stuck-ap/--open/--short", sum(self.rates()), "rates summing to at most 1")
        if not self.short_resistance > 0:
            raise InputError("--short-resistance", self.short_resistance, "a resistance > 0")

    def rates(self) -> list[float]:
        return [getattr(self, kind) for kind in KINDS]

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def sample_defects(defects: Defects, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Defect code of every MTJ (``NONE`` .. ``SHORT``), int8 of ``shape``.

    One uniform draw per cell is compared with the cumulative rates, so raising one
    rate turns more cells defective without reshuffling the others.
    """
    u = rng.random(shape)
    rates = defects.rates()
    codes = np.searchsorted(np.cumsum(rates), u, side="right") + 1
    return np.where(u < sum(rates), codes, NONE).astype(np.int8)


def apply_stuck_states(states: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Initial states with stuck cells set to their stuck state."""
    out = np.asarray(states, dtype=np.int8).copy()
    out[codes == STUCK_P] = 0
    out[codes == STUCK_AP] = 1
    return out
