"""Piecewise-linear waveforms of the input and output neurons, with finite edges.

Every corner of a waveform gets a linear edge of ``edge`` seconds (MODEL_SPEC section 8);
the Verilog-A models use the same edges, so the engines see the same sources.
"""

from __future__ import annotations

import numpy as np
from numba import njit


#: Fire waveform after its first edge: (time since fire start, volts) corners.
FIRE_CORNERS = np.array(
    [
        [0.5e-6, 0.050],
        [6.5e-6, -0.100],
        [7.0e-6, 0.0],
        [7.2e-6, 0.100],
        [8.2e-6, 0.100],
        [8.4e-6, 0.0],
    ]
)
FIRE_START_V = 0.150  #: the fire ramp starts here and falls 100 mV in 0.5 us
FIRE_DURATION = 8.4e-6


@njit(cache=True, error_model="numpy", inline="always")
def input_voltage(t: float, win: np.ndarray, peak: float, slope: float) -> float:
    """Sawtooth voltage at time ``t`` of one input whose window row is ``win``
    (a row of :func:`spinsnn.network.description.input_windows`)."""
    tw, re, vre, fe, vfe, rs = win[0], win[1], win[2], win[3], win[4], win[5]
    tau = t - tw * np.floor(t / tw)
    if tau <= re:
        return peak - slope * tau
    if tau <= fe:
        return vre + (vfe - vre) * (tau - re) / (fe - re)
    if tau <= rs:
        return vfe
    return vfe + (peak - vfe) * (tau - rs) / (tw - rs)


@njit(cache=True, error_model="numpy", inline="always")
def stimulus_voltages(t: float, windows: np.ndarray, order: np.ndarray, present: float, period: float,
                      peak: float, slope: float, edge: float, vin: np.ndarray) -> tuple[float, float]:
    """Every input's voltage at ``t`` into ``vin``; returns their minimum and maximum.

    ``windows[order[p]]`` is played from ``p * period`` for ``present`` seconds; in the
    rest that follows, each input falls to 0 V within ``edge`` and, before another
    presentation, rises back to ``peak`` in the rest's last ``edge``.
    """
    n_pres = order.size
    p = min(max(int(np.floor(t / period)), 0), n_pres - 1)
    tau = t - p * period
    img = order[p]
    s = tau - present
    rest = period - present
    v_min, v_max = np.inf, -np.inf
    for i in range(vin.size):
        if s <= 0.0:
            v = input_voltage(tau, windows[img, i], peak, slope)
        elif s <= edge:
            v = input_voltage(present, windows[img, i], peak, slope) * (1.0 - s / edge)
        elif p + 1 < n_pres and s >= rest - edge:
            v = peak * (s - (rest - edge)) / edge
        else:
            v = 0.0
        vin[i] = v
        v_min = min(v_min, v)
        v_max = max(v_max, v)
    return v_min, v_max


@njit(cache=True, error_model="numpy")
def fire_voltage(s: float, v_start: float, edge: float) -> float:
    """Output-node voltage ``s`` seconds into a fire that began at ``v_start``.

    The first ``edge`` joins ``v_start`` to the published ramp (+150 mV falling 100 mV
    in 0.5 us); an edge also joins the ramp's end (+50 mV) to the -100 mV plateau.
    """
    t_ramp = FIRE_CORNERS[0, 0]
    if s <= edge:
        v_edge = FIRE_START_V - 0.1 * edge / t_ramp
        return v_start + (v_edge - v_start) * s / edge
    if s <= t_ramp:
        return FIRE_START_V - 0.1 * s / t_ramp
    if s <= t_ramp + edge:
        v0 = FIRE_CORNERS[0, 1]
        return v0 + (FIRE_CORNERS[1, 1] - v0) * (s - t_ramp) / edge
    for k in range(1, FIRE_CORNERS.shape[0]):
        if s <= FIRE_CORNERS[k, 0]:
            t0, v0 = (t_ramp + edge, FIRE_CORNERS[1, 1]) if k == 1 else (FIRE_CORNERS[k - 1, 0], FIRE_CORNERS[k - 1, 1])
            return v0 + (FIRE_CORNERS[k, 1] - v0) * (s - t0) / (FIRE_CORNERS[k, 0] - t0)
    return 0.0


def fire_breakpoints(edge: float) -> np.ndarray:
    """Corner times of the fire waveform, relative to the fire start."""
    return np.concatenate([[edge], FIRE_CORNERS[:1, 0], [FIRE_CORNERS[0, 0] + edge], FIRE_CORNERS[1:, 0]])


def input_breakpoints(windows: np.ndarray, stop: float) -> np.ndarray:
    """Sorted times of every input waveform corner in ``[0, stop]``."""
    pts = [np.array([0.0, stop])]
    for tw, re, _, fe, _, rs in windows:
        starts = np.arange(0.0, stop, tw)
        pts.append((starts[:, None] + np.array([re, fe, rs, tw])[None, :]).ravel())
    allpts = np.concatenate(pts)
    return np.unique(allpts[allpts <= stop])


def stimulus_breakpoints(windows: np.ndarray, order: np.ndarray, present: float, period: float,
                         edge: float, stop: float) -> np.ndarray:
    """Sorted corner times of the inputs over a run: every presentation's windows, and
    the edges of the rests between them (see :func:`stimulus_voltages`)."""
    per_image = [input_breakpoints(w, present) for w in windows]
    pts = [np.array([0.0, stop])]
    for p, img in enumerate(order):
        start = p * period
        pts.append(start + per_image[img])
        if period > present:
            pts.append(start + np.array([present + edge, period - edge, period]))
    allpts = np.concatenate(pts)
    return np.unique(allpts[allpts <= stop])
