"""PMA MTJ compact model with STT switching (MODEL_SPEC section 4).

The functions take numpy arrays or floats, so the same equations serve the network
builder (vectorised over all MTJs) and the JIT-compiled engine (scalars).
The bias- and current-dependent functions are JIT-compiled (``numba.njit``) and accept
floats or arrays. Constants keep the compact model's mixed-unit factors (40*pi, 1000, 10000) as published.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numba import njit

E_CHARGE = 1.6e-19  # C
MU_B = 9.27e-28  # Bohr magneton in the model's CGS-flavoured units
K_B = 1.38e-23  # J/K
C_EULER = 0.577



@dataclass(frozen=True)
class MTJParams:
    """Nominal MTJ parameters (SI unless noted; see MODEL_SPEC section 4)."""

    alpha: float = 0.027  #: Gilbert damping
    gamma: float = 1.76e7  #: gyromagnetic ratio (Hz/Oe)
    P: float = 0.52  #: spin polarisation
    Hk: float = 1433.0  #: anisotropy field (Oe)
    Ms: float = 15800.0  #: saturation magnetisation constant
    PhiBas: float = 0.4  #: barrier height (eV)
    Vh: float = 0.5  #: bias at which the TMR halves (V)
    tsl: float = 1.3e-9  #: free-layer thickness (m)
    r: float = 16e-9  #: radius of the circular pillar (m)
    tox: float = 8.5e-10  #: oxide thickness (m)
    TMR: float = 0.7  #: TMR ratio at zero bias
    tau0: float = 8.7e-10  #: Neel-Brown attempt time (s)
    RA: float = 5.0  #: resistance-area product (Ohm um^2)
    T: float = 300.0  #: temperature (K)
    thr_P2AP: float = 0.10  #: Vb above which thermal P->AP is considered (V)
    thr_AP2P: float = 0.15  #: Vc above which thermal AP->P is considered (V)
    sto_dev: float = 1.0  #: relative spread of gaussian switching times

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @property
    def area(self) -> float:
        """Free-layer area (m^2), circular shape."""
        return float(np.pi * self.r**2)


def resistance_p(tox, area, p: MTJParams):
    """Zero-bias (parallel) resistance R0 of the Brinkman-style model (Ohm)."""
    tox_a = tox * 1e10
    area_um2 = area * 1e12
    factor = 3322.53 / p.RA
    return tox_a / (factor * np.sqrt(p.PhiBas) * area_um2) * np.exp(1.025 * tox_a * np.sqrt(p.PhiBas))


@njit(cache=True)
def tmr_at_bias(tmr0, v, vh):
    """TMR ratio at bias ``v``: ``TMR / (1 + v^2/Vh^2)``."""
    return tmr0 / (1.0 + (v * v) / (vh * vh))


@njit(cache=True)
def resistance_ap(r0, tmr0, v, vh):
    """Antiparallel resistance at bias ``v`` (Ohm)."""
    return r0 * (1.0 + tmr_at_bias(tmr0, v, vh))


def critical_current(tmr0, tsl, area, p: MTJParams):
    """Critical switching current Ic (A), equal for both directions."""
    g = np.sqrt(tmr0 * (tmr0 + 2.0)) / (2.0 * (tmr0 + 1.0))
    jc = p.alpha * p.gamma * E_CHARGE * p.Ms * tsl * p.Hk / (40.0 * np.pi * MU_B * g)
    return jc * area


def thermal_stability(tsl, area, p: MTJParams):
    """Thermal stability factor Delta = E_m / (k_B T 40 pi)."""
    e_m = p.Ms * tsl * area * p.Hk / 2.0
    return e_m / (K_B * p.T * 40.0 * np.pi)


def sun_coefficient(delta, tsl, area, p: MTJParams):
    """Numerator ``k`` of the Sun switching time, ``t_sw = k / |I - Ic|`` (A s)."""
    return (
        (C_EULER + np.log(np.pi**2 * delta / 4.0))
        * E_CHARGE * 1000.0 * p.Ms * area * tsl * (1.0 + p.P**2)
        / (4.0 * np.pi * 2.0 * MU_B * p.P * 10000.0)
    )


@njit(cache=True)
def sun_switching_time(current, ic, sun_k):
    """Mean super-critical switching time (s) at current magnitude ``current``."""
    return sun_k / np.abs(current - ic)


@njit(cache=True)
def neel_brown_time(current, ic, delta, tau0):
    """Mean thermally activated switching time (s) at current magnitude ``current``."""
    return tau0 * np.exp(delta * (1.0 - np.abs(current) / ic))
