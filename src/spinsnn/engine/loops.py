"""Fixed-step and adaptive time loops around :func:`spinsnn.engine.kernel.step`.

``state`` is ``(neu, ix, q, thr, rng, rate)``, ``work`` holds scratch arrays
``(vin, switched, fired, vcap0, vout0)`` and ``rec`` the recording buffers
``(print_t, print_states, print_vcap, sample_t, sample_vcap, sample_vout,
event_t, event_mtj, event_state, spike_t, spike_neuron)``; ``cnt`` counts what each
buffer holds (indices below) plus the accepted steps. Recording runs only on steps
that reach a print or sample time or that switched an MTJ or fired a neuron, so the
common step costs nothing beyond the circuit update.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from spinsnn.engine.kernel import FIRING, HOLD, TFIRE, THETA, VCAP, VOUT, VTH, step

N_PRINT, N_SAMPLE, N_EVENT, N_SPIKE, N_STEP, BP_INDEX = range(6)
MAX_STEP, MIN_STEP, MAX_DQ, FIRE_TOL, MAX_ERR = range(5)
EPS_T = 1e-12  #: time tolerance when matching print/sample times (s)


@njit(cache=True, error_model="numpy")
def record(t0: float, t1: float, neu: np.ndarray, ix: np.ndarray, n_sw: int, n_f: int, work, rec,
           cnt: np.ndarray) -> None:
    """Store the events of an accepted step and every print/sample time it covers."""
    vin, switched, fired, vcap0, vout0 = work
    print_t, print_states, print_vcap, sample_t, sample_vcap, sample_vout = rec[:6]
    event_t, event_mtj, event_state, spike_t, spike_neuron = rec[6:]
    for k in range(n_sw):
        m = switched[k]
        event_t[cnt[N_EVENT]] = t1
        event_mtj[cnt[N_EVENT]] = m
        event_state[cnt[N_EVENT]] = ix[m]
        cnt[N_EVENT] += 1
    for k in range(n_f):
        spike_t[cnt[N_SPIKE]] = neu[fired[k], TFIRE]
        spike_neuron[cnt[N_SPIKE]] = fired[k]
        cnt[N_SPIKE] += 1
    h = t1 - t0
    while cnt[N_PRINT] < print_t.size and print_t[cnt[N_PRINT]] <= t1 + EPS_T:
        k = cnt[N_PRINT]
        frac = (print_t[k] - t0) / h
        print_states[k, :] = ix
        for j in range(neu.shape[0]):
            print_vcap[k, j] = vcap0[j] + frac * (neu[j, VCAP] - vcap0[j])
        cnt[N_PRINT] += 1
    while cnt[N_SAMPLE] < sample_t.size and sample_t[cnt[N_SAMPLE]] <= t1 + EPS_T:
        k = cnt[N_SAMPLE]
        frac = (sample_t[k] - t0) / h
        for j in range(neu.shape[0]):
            sample_vcap[k, j] = vcap0[j] + frac * (neu[j, VCAP] - vcap0[j])
            sample_vout[k, j] = vout0[j] + frac * (neu[j, VOUT] - vout0[j])
        cnt[N_SAMPLE] += 1


@njit(cache=True, error_model="numpy")
def next_record_time(rec, cnt: np.ndarray) -> float:
    """The earliest print or sample time not yet recorded."""
    t = np.inf
    if cnt[N_PRINT] < rec[0].size:
        t = rec[0][cnt[N_PRINT]]
    if cnt[N_SAMPLE] < rec[3].size:
        t = min(t, rec[3][cnt[N_SAMPLE]])
    return t


@njit(cache=True, error_model="numpy")
def room_for_step(ix: np.ndarray, neu: np.ndarray, rec, cnt: np.ndarray) -> bool:
    """True when one more step's events surely fit in the event and spike buffers."""
    return cnt[N_EVENT] + ix.size <= rec[6].size and cnt[N_SPIKE] + neu.shape[0] <= rec[9].size


@njit(cache=True, error_model="numpy", inline="always")
def save_outputs(neu: np.ndarray, vcap0: np.ndarray, vout0: np.ndarray) -> None:
    """Keep the neuron voltages at the start of a step, for interpolated recording."""
    for j in range(neu.shape[0]):
        vcap0[j] = neu[j, VCAP]
        vout0[j] = neu[j, VOUT]


@njit(cache=True, error_model="numpy")
def run_fixed(n0: int, n1: int, h: float, prm, windows, order, mc, syn, state, work, rec, cnt) -> int:
    """Take fixed steps ``n0 .. n1-1`` (time ``n*h``); return the step reached."""
    neu, ix, q, thr, rng, rate = state
    vin, switched, fired, vcap0, vout0 = work
    t_rec = next_record_time(rec, cnt)
    n = n0
    while n < n1 and room_for_step(ix, neu, rec, cnt):
        save_outputs(neu, vcap0, vout0)
        t0, t1 = n * h, (n + 1) * h
        n_sw, n_f, _, _, _ = step(t0, t1, prm, windows, order, mc, neu, ix, q, thr, rng, rate, vin, switched, fired,
                               syn)
        if n_sw > 0 or n_f > 0 or t1 + EPS_T >= t_rec:
            record(t0, t1, neu, ix, n_sw, n_f, work, rec, cnt)
            t_rec = next_record_time(rec, cnt)
        n += 1
    cnt[N_STEP] += n - n0
    return n


@njit(cache=True, error_model="numpy")
def next_corner(t: float, t_end: float, bps: np.ndarray, fire_bps: np.ndarray, neu: np.ndarray,
                cnt: np.ndarray) -> float:
    """The earliest input, print or fire-waveform corner, or end of a hold, after ``t``
    (at most ``t_end``)."""
    while cnt[BP_INDEX] < bps.size and bps[cnt[BP_INDEX]] <= t + 1e-15:
        cnt[BP_INDEX] += 1
    t_next = t_end
    if cnt[BP_INDEX] < bps.size:
        t_next = min(t_next, bps[cnt[BP_INDEX]])
    for j in range(neu.shape[0]):
        if neu[j, HOLD] > t + 1e-15:
            t_next = min(t_next, neu[j, HOLD])
        if neu[j, FIRING] > 0:
            for c in fire_bps:
                if neu[j, TFIRE] + c > t + 1e-15:
                    t_next = min(t_next, neu[j, TFIRE] + c)
                    break
    return t_next


@njit(cache=True, error_model="numpy")
def copy_state(src, dst) -> None:
    """Copy every array of a state tuple into another of the same shapes."""
    dst[0][:, :] = src[0]
    dst[1][:] = src[1]
    dst[2][:] = src[2]
    dst[3][:] = src[3]
    dst[4][:] = src[4]
    dst[5][:] = src[5]


@njit(cache=True, error_model="numpy")
def run_adaptive(t: float, t_end: float, ctl, bps, fire_bps, prm, windows, order, mc, syn, state, backup,
                 work, rec, cnt, carry) -> float:
    """Adaptive steps from ``t`` to ``t_end``; return the time reached.

    A step ends at the next waveform corner, is at most ``ctl[MAX_STEP]``, and is
    retried shorter when any MTJ's switching progress would grow by more than
    ``ctl[MAX_DQ]``, halved while the trapezoidal error bound of some MTJ's progress
    exceeds ``ctl[MAX_ERR]`` (its rate changes fast), or when a neuron crosses threshold (the fire start is located
    within ``ctl[FIRE_TOL]``). ``carry`` keeps the last maximum switching rate and the
    time reached, which stays right if the caller is interrupted.
    """
    neu, ix, q, thr, rng, rate = state
    vin, switched, fired, vcap0, vout0 = work
    while t < t_end - 1e-15 and room_for_step(ix, neu, rec, cnt):
        t_next = next_corner(t, t_end, bps, fire_bps, neu, cnt)
        h = min(ctl[MAX_STEP], t_next - t)
        if carry[0] > 0:
            h = min(h, max(ctl[MIN_STEP], ctl[MAX_DQ] / carry[0]))
        copy_state(state, backup)
        save_outputs(neu, vcap0, vout0)
        while True:
            t1 = t_next if h >= t_next - t else t + h
            n_sw, n_f, max_dq, max_rate, max_err = step(t, t1, prm, windows, order, mc, neu, ix, q, thr, rng, rate,
                                                        vin, switched, fired, syn)
            retry = 0.0
            if max_dq > ctl[MAX_DQ] and h > 1.5 * ctl[MIN_STEP]:
                retry = max(ctl[MIN_STEP], 0.8 * h * ctl[MAX_DQ] / max_dq)
            elif max_err > ctl[MAX_ERR] and h > 1.5 * ctl[MIN_STEP]:
                retry = max(ctl[MIN_STEP], 0.5 * h)
            elif n_f > 0 and h > ctl[FIRE_TOL]:
                frac = 1.0
                for k in range(n_f):
                    j = fired[k]
                    rise = neu[j, VCAP] - vcap0[j]  # <= 0 when a relaxing threshold fell below V(cap)
                    below = prm[VTH] + neu[j, THETA] - vcap0[j]
                    frac = min(frac, max(below / rise, 0.0) if rise > 0 else 0.0)
                shorter = frac * h + 0.5 * ctl[FIRE_TOL]
                if shorter < h:
                    retry = shorter
            if retry == 0.0:
                break
            h = retry
            copy_state(backup, state)
        record(t, t1, neu, ix, n_sw, n_f, work, rec, cnt)
        cnt[N_STEP] += 1
        t = t1
        carry[0] = max_rate
        carry[1] = t
    return t
