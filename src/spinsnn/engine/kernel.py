"""JIT-compiled time stepping of the network circuit (numba).

State lives in flat arrays so a step can run in place (fixed mode) or be undone and
retried with a shorter step (adaptive mode). Column indices below name the fields.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from spinsnn.devices import switching as _switching
from spinsnn.devices.mtj import neel_brown_time, resistance_ap, sun_switching_time
from spinsnn.engine.waveforms import FIRE_DURATION, fire_voltage, stimulus_voltages

# neuron state columns: circuit state; energy dissipated since t = 0 in its synapses, in
# them during fires, and in its own resistors; the power of each at the last time point;
# the time until which lateral inhibition holds it, its threshold rise (homeostasis);
# the last two are constants: the lowest quiet biases of its synapses
(VCAP, VOUT, LEAK, FIRING, TFIRE, VSTART, CHARGE, ACTIVE, E_SYN, E_UPD, E_NEU, P_SYN, P_NEU, HOLD, THETA,
 QUIET_P_MIN, QUIET_AP_MIN) = range(17)
N_NEURON = 17
# per-MTJ constants rows
R0, TMR, IC, DELTA, SUN_K, V_QUIET_P, V_QUIET_AP, G_P, R0_TMR = range(9)
N_MTJ_CONST = 9
# per-synapse constants rows
QUIET_P, QUIET_AP, UNIFORM = range(3)
# scalar parameters
(VH, TAU0, THR_P2AP, THR_AP2P, STO_DEV, MODE, CAP, G_CHARGE, G_LEAK, R_RESET, VTH,
 EDGE, PEAK, SLOPE, N_IN, CELLS, PRESENT, PERIOD, ORIENT, T_INHIBIT, VTH_STEP, VTH_TAU) = range(22)
N_PARAM = 22

draw_threshold = njit(cache=True)(_switching.draw_threshold)


@njit(cache=True, error_model="numpy", inline="always")
def switching_rate(ix: int, vb: float, m: int, mc: np.ndarray, prm: np.ndarray) -> float:
    """Inverse mean switching time (1/s) of MTJ ``m`` in state ``ix`` at bias ``vb``; 0 if none."""
    if ix == 0:
        if vb <= mc[V_QUIET_P, m]:
            return 0.0
        r = mc[R0, m]
        cur = vb / r
        thr = prm[THR_P2AP]
        v = vb
    else:
        v = -vb
        if v <= mc[V_QUIET_AP, m]:
            return 0.0
        r = resistance_ap(mc[R0, m], mc[TMR, m], vb, prm[VH])
        cur = v / r
        thr = prm[THR_AP2P]
    ic = mc[IC, m]
    if cur >= ic:
        return 1.0 / sun_switching_time(cur, ic, mc[SUN_K, m])
    if thr < v < 0.8 * ic * r:
        return 1.0 / neel_brown_time(cur, ic, mc[DELTA, m], prm[TAU0])
    return 0.0


@njit(cache=True, error_model="numpy", inline="always")
def synapse_sums(j: int, v: float, vin: np.ndarray, ix: np.ndarray, mc: np.ndarray, syn: np.ndarray,
                 prm: np.ndarray) -> tuple[float, float, float]:
    """Current from output node ``j`` at voltage ``v`` into its synapses, its derivative, and
    the power they dissipate.

    The cells of a synapse share one bias, so the bias-dependent TMR factor is computed
    once per synapse; a synapse whose cells have identical parameters (``syn[UNIFORM]``)
    is evaluated once for all its AP cells. AP resistance: ``R0 + R0*TMR/d`` with
    ``d = 1 + vb^2/Vh^2``.
    """
    n_in, cells = int(prm[N_IN]), int(prm[CELLS])
    m = j * n_in * cells
    k0 = j * n_in
    inv_vh2 = 1.0 / (prm[VH] * prm[VH])
    cur = 0.0
    dcur = 0.0
    power = 0.0
    for i in range(n_in):
        vb = v - vin[i]
        inv_d = 1.0 / (1.0 + vb * vb * inv_vh2)
        g_sum = 0.0
        curv = 0.0  # sum over AP cells of R0*TMR * g^2
        if syn[UNIFORM, k0 + i] > 0:
            n_ap = 0
            for _c in range(cells):
                n_ap += ix[m]
                m += 1
            g_ap = 1.0 / (mc[R0, m - 1] + mc[R0_TMR, m - 1] * inv_d)
            g_sum = (cells - n_ap) * mc[G_P, m - 1] + n_ap * g_ap
            curv = n_ap * mc[R0_TMR, m - 1] * g_ap * g_ap
        else:
            for _c in range(cells):
                if ix[m] == 0:
                    g_sum += mc[G_P, m]
                else:
                    g = 1.0 / (mc[R0, m] + mc[R0_TMR, m] * inv_d)
                    g_sum += g
                    curv += mc[R0_TMR, m] * g * g
                m += 1
        cur += vb * g_sum
        power += vb * vb * g_sum
        dcur += g_sum + 2.0 * vb * vb * inv_vh2 * inv_d * inv_d * curv  # d(vb g)/dvb; R_AP falls with |vb|
    return cur, dcur, power


@njit(cache=True, error_model="numpy", inline="always")
def solve_output(j: int, v: float, vcap: float, g_charge: float, vin: np.ndarray,
                 ix: np.ndarray, mc: np.ndarray, syn: np.ndarray, prm: np.ndarray) -> tuple[float, float]:
    """Newton solve of KCL at output node ``j``, starting from ``v``.

    Returns the node voltage and the power dissipated in its synapses, evaluated at the
    last Newton iterate (within 1e-5 V of the solution).
    """
    power = 0.0
    for _ in range(50):
        cur, dcur, power = synapse_sums(j, v, vin, ix, mc, syn, prm)
        dv = -(g_charge * (v - vcap) + cur) / (g_charge + dcur)
        v += dv
        if abs(dv) < 1e-5:  # Newton is quadratic: the remaining error is ~1e-10 V
            break
    return v, power


@njit(cache=True, error_model="numpy")
def cap_update(v0: float, vo0: float, vo1: float, h: float, g_in: float, g_leak: float,
               cap: float) -> float:
    """Exact capacitor voltage after ``h`` with a linearly varying drive (exponential integrator)."""
    a = (g_in + g_leak) / cap
    b0 = g_in * vo0 / cap
    b1 = g_in * vo1 / cap
    ah = a * h
    if ah < 1e-4:
        phi1 = h * (1.0 - ah / 2.0 + ah * ah / 6.0)
        phi2 = h * h * (0.5 - ah / 6.0 + ah * ah / 24.0)
    else:
        e = np.exp(-ah)
        phi1 = (1.0 - e) / a
        phi2 = (ah - (1.0 - e)) / (a * a)
    return v0 * np.exp(-ah) + b0 * phi1 + (b1 - b0) / h * phi2


@njit(cache=True, error_model="numpy", inline="always")
def idle(rate: np.ndarray, m0: int, cells: int) -> bool:
    """True when no cell ``m0 .. m0+cells-1`` had a switching rate at the last step."""
    for m in range(m0, m0 + cells):
        if rate[m] != 0.0:
            return False
    return True


@njit(cache=True, error_model="numpy", inline="always")
def accumulate(neu: np.ndarray, j: int, e_syn: float, e_neu: float, p_syn: float, p_neu: float) -> None:
    """Add a step's energies (synapses, neuron) and keep the powers at its end."""
    neu[j, E_SYN] += e_syn
    if neu[j, FIRING] > 0:
        neu[j, E_UPD] += e_syn
    neu[j, E_NEU] += e_neu
    neu[j, P_SYN] = p_syn
    neu[j, P_NEU] = p_neu


@njit(cache=True, error_model="numpy", inline="always")
def inputs_at(t: float, windows: np.ndarray, order: np.ndarray, prm: np.ndarray, vin: np.ndarray):
    """The input voltages at ``t`` into ``vin``; returns their minimum and maximum."""
    return stimulus_voltages(t, windows, order, prm[PRESENT], prm[PERIOD], prm[PEAK], prm[SLOPE], prm[EDGE], vin)


@njit(cache=True, error_model="numpy")
def fire_midpoint_power(j: int, t_mid: float, windows: np.ndarray, order: np.ndarray, prm: np.ndarray,
                        mc: np.ndarray, syn: np.ndarray, neu: np.ndarray, ix: np.ndarray) -> float:
    """Synapse power of firing neuron ``j`` at ``t_mid``, for Simpson's rule over a fire step.

    Between corners the fire waveform and the inputs are linear, so the power of a
    constant conductance is quadratic: Simpson's rule integrates it exactly, where the
    trapezoidal rule over a 0.5 us segment whose bias changes sign errs by percents.
    """
    vin = np.empty(windows.shape[1])
    inputs_at(t_mid, windows, order, prm, vin)
    v = fire_voltage(t_mid - neu[j, TFIRE], neu[j, VSTART], prm[EDGE])
    return synapse_sums(j, v, vin, ix, mc, syn, prm)[2]


@njit(cache=True, error_model="numpy", inline="always")
def reset_cap(neu: np.ndarray, j: int, h: float, prm: np.ndarray) -> float:
    """Discharge the capacitor of neuron ``j`` through ``R_reset`` over ``h``; return the
    energy that dissipates (the exact integral of V^2/R of the exponential)."""
    tau = prm[R_RESET] * prm[CAP]
    v0 = neu[j, VCAP]
    neu[j, VCAP] = v0 * np.exp(-h / tau)
    return v0 * v0 * tau / (2.0 * prm[R_RESET]) * (1.0 - np.exp(-2.0 * h / tau))


@njit(cache=True, error_model="numpy", inline="always")
def relax_threshold(neu: np.ndarray, j: int, h: float, firing: bool, prm: np.ndarray) -> None:
    """Homeostasis: the threshold rise decays with ``VTH_TAU`` and grows by ``VTH_STEP``
    over each fire (exact solution of d(theta)/dt = -theta/tau + firing * step/duration)."""
    if prm[VTH_STEP] > 0:
        decay = np.exp(-h / prm[VTH_TAU])
        neu[j, THETA] *= decay
        if firing:
            neu[j, THETA] += prm[VTH_STEP] / FIRE_DURATION * prm[VTH_TAU] * (1.0 - decay)


@njit(cache=True, error_model="numpy", inline="always")
def update_neurons(t1: float, h: float, prm: np.ndarray, windows: np.ndarray, order: np.ndarray, mc: np.ndarray,
                   syn: np.ndarray, neu: np.ndarray, ix: np.ndarray, vin: np.ndarray, fired: np.ndarray) -> int:
    """Output nodes, capacitors and energies at ``t1``; returns how many neurons started firing.

    A neuron is firing (its node driven by the fire waveform), held by lateral inhibition
    (node floating on its synapses, capacitor discharging through R_reset) or integrating.
    A fire starting in this step holds every neuron until ``T_INHIBIT`` after its start
    (the winner too, once its fire ends: all restart the next race together); when
    several cross the threshold in one step, only the one furthest above it (it crossed
    first) fires; an exact tie (identical neurons) goes to the lowest index, as a
    fixed-priority arbiter on the inhibition line would decide.
    """
    n_fired = 0
    for j in range(neu.shape[0]):
        vcap0 = neu[j, VCAP]
        vout0 = neu[j, VOUT]
        firing = neu[j, FIRING] > 0
        relax_threshold(neu, j, h, firing, prm)
        if firing:
            s = t1 - neu[j, TFIRE]
            neu[j, VOUT] = fire_voltage(s, neu[j, VSTART], prm[EDGE])
            e_neu = reset_cap(neu, j, h, prm)
            p_syn = synapse_sums(j, neu[j, VOUT], vin, ix, mc, syn, prm)[2]
            p_mid = fire_midpoint_power(j, t1 - 0.5 * h, windows, order, prm, mc, syn, neu, ix)
            accumulate(neu, j, h / 6.0 * (neu[j, P_SYN] + 4.0 * p_mid + p_syn), e_neu, p_syn,
                       neu[j, VCAP] * neu[j, VCAP] / prm[R_RESET])
            if s >= FIRE_DURATION - 1e-12:  # release the node: it takes its free value at once
                neu[j, FIRING] = 0.0
                neu[j, LEAK] = 0.0
                neu[j, CHARGE] = 1.0
                held = neu[j, HOLD] > t1 + 1e-15
                g = 0.0 if held else prm[G_CHARGE]
                neu[j, VOUT], neu[j, P_SYN] = solve_output(j, 0.0, neu[j, VCAP], g, vin, ix, mc, syn, prm)
                dv = neu[j, VOUT] - neu[j, VCAP]
                neu[j, P_NEU] = (neu[j, VCAP] ** 2 / prm[R_RESET] if held else
                                 prm[G_CHARGE] * dv * dv if dv >= 0 else 0.0)
            continue
        if neu[j, HOLD] >= t1 - 1e-15:  # held (up to and including the hold's end)
            v, p_syn = solve_output(j, vout0, vcap0, 0.0, vin, ix, mc, syn, prm)
            neu[j, VOUT] = v
            e_neu = reset_cap(neu, j, h, prm)
            accumulate(neu, j, 0.5 * h * (neu[j, P_SYN] + p_syn), e_neu, p_syn, neu[j, VCAP] ** 2 / prm[R_RESET])
            neu[j, LEAK] = 0.0
            neu[j, CHARGE] = 1.0
            continue
        # the charge path conducts while V(out) >= V(cap): solve with last step's guess, re-solve if wrong
        charging = neu[j, CHARGE] > 0
        v, p_syn = solve_output(j, vout0, vcap0, prm[G_CHARGE] if charging else 0.0, vin, ix, mc, syn, prm)
        if (v >= vcap0) != charging:
            charging = not charging
            v, p_syn = solve_output(j, v, vcap0, prm[G_CHARGE] if charging else 0.0, vin, ix, mc, syn, prm)
        if not charging:  # the leak latches on until the next fire
            neu[j, LEAK] = 1.0
        neu[j, CHARGE] = 1.0 if charging else 0.0
        g_in = prm[G_CHARGE] if charging else 0.0
        g_leak = prm[G_LEAK] if neu[j, LEAK] > 0 else 0.0
        neu[j, VOUT] = v
        vcap = cap_update(vcap0, vout0, v, h, g_in, g_leak, prm[CAP])
        neu[j, VCAP] = vcap
        p_neu = g_in * (v - vcap) * (v - vcap) + g_leak * vcap * vcap
        accumulate(neu, j, 0.5 * h * (neu[j, P_SYN] + p_syn), 0.5 * h * (neu[j, P_NEU] + p_neu), p_syn, p_neu)
        if vcap >= prm[VTH] + neu[j, THETA]:
            fired[n_fired] = j
            n_fired += 1
    if n_fired > 1 and prm[T_INHIBIT] > 0:  # a race: the neuron furthest above threshold crossed first
        won = fired[0]
        for n in range(1, n_fired):
            j = fired[n]
            if neu[j, VCAP] - neu[j, THETA] > neu[won, VCAP] - neu[won, THETA] + 1e-12:
                won = j
        fired[0] = won
        n_fired = 1
    for n in range(n_fired):
        j = fired[n]
        neu[j, FIRING] = 1.0
        neu[j, TFIRE] = t1
        neu[j, VSTART] = neu[j, VOUT]
    if n_fired > 0 and prm[T_INHIBIT] > 0:  # the line holds every neuron, the winner once its fire ends
        for j in range(neu.shape[0]):
            neu[j, HOLD] = max(neu[j, HOLD], t1 + prm[T_INHIBIT])
    return n_fired


@njit(cache=True, error_model="numpy", inline="always")
def update_mtjs(h: float, prm: np.ndarray, mc: np.ndarray, syn: np.ndarray, neu: np.ndarray, ix: np.ndarray,
                q: np.ndarray, thr: np.ndarray, rng: np.ndarray, rate: np.ndarray, vin: np.ndarray,
                vin_min: float, vin_max: float, switched: np.ndarray):
    """Switching progress of every MTJ over the step.

    Returns ``(n_switched, max_dq, max_rate, max_err)``: the largest progress of one MTJ,
    the largest rate at the step's end, and the largest ``h/2 |rate change|``, a bound
    on the trapezoidal rule's error where the rate (exponential in the bias) changes fast.
    Neurons and synapses whose biases are all quiet and that have no MTJ switching are
    skipped: most of the time that is nearly all of them.
    """
    n_in, cells = int(prm[N_IN]), int(prm[CELLS])
    mode = int(prm[MODE])
    n_sw = 0
    max_dq = 0.0
    max_rate = 0.0
    max_err = 0.0
    orient = prm[ORIENT]  # +1: T1 on the output node, so vb = V(out) - V(in); -1: the reverse
    for j in range(neu.shape[0]):
        vout = neu[j, VOUT]
        m = j * n_in * cells
        k = j * n_in
        vb_max = vout - vin_min if orient > 0 else vin_max - vout
        vc_max = vin_max - vout if orient > 0 else vout - vin_min
        if neu[j, ACTIVE] == 0 and vb_max <= neu[j, QUIET_P_MIN] and vc_max <= neu[j, QUIET_AP_MIN]:
            continue
        active = 0
        for i in range(n_in):
            vb = orient * (vout - vin[i])
            if vb <= syn[QUIET_P, k] and -vb <= syn[QUIET_AP, k] and idle(rate, m, cells):
                m += cells
                k += 1
                continue
            for _c in range(cells):
                r = switching_rate(ix[m], vb, m, mc, prm)
                dq = 0.5 * h * (rate[m] + r)
                max_err = max(max_err, 0.5 * h * abs(r - rate[m]))
                rate[m] = r
                max_dq = max(max_dq, dq)
                max_rate = max(max_rate, r)
                if r == 0.0 and mode == _switching.DETERMINISTIC:
                    q[m] = 0.0
                elif dq > 0.0:
                    q[m] += dq
                    if q[m] >= thr[m]:
                        ix[m] = 1 - ix[m]
                        q[m] = 0.0
                        thr[m], rng[m] = draw_threshold(rng[m], mode, prm[STO_DEV])
                        rate[m] = switching_rate(ix[m], vb, m, mc, prm)
                        switched[n_sw] = m
                        n_sw += 1
                if rate[m] != 0.0:
                    active += 1
                m += 1
            k += 1
        neu[j, ACTIVE] = active
    return n_sw, max_dq, max_rate, max_err


@njit(cache=True, error_model="numpy", inline="always")
def step(t0: float, t1: float, prm: np.ndarray, windows: np.ndarray, order: np.ndarray, mc: np.ndarray,
         neu: np.ndarray, ix: np.ndarray, q: np.ndarray, thr: np.ndarray, rng: np.ndarray,
         rate: np.ndarray, vin: np.ndarray, switched: np.ndarray, fired: np.ndarray, syn: np.ndarray):
    """Advance the circuit in place from ``t0`` to ``t1``.

    ``syn`` holds per-synapse constants: the biases (P->AP, AP->P) below which none of
    its cells can switch, and whether its cells are identical. Returns
    ``(n_switched, n_fired, max_dq, max_rate, max_err)`` (see :func:`update_mtjs`): indices of switched MTJs and of neurons
    that started firing are written to ``switched`` and ``fired``.
    """
    h = t1 - t0
    vin_min, vin_max = inputs_at(t1, windows, order, prm, vin)
    n_fired = update_neurons(t1, h, prm, windows, order, mc, syn, neu, ix, vin, fired)
    n_sw, max_dq, max_rate, max_err = update_mtjs(h, prm, mc, syn, neu, ix, q, thr, rng, rate, vin, vin_min, vin_max,
                                         switched)
    return n_sw, n_fired, max_dq, max_rate, max_err
