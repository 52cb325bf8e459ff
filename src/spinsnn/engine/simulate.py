"""Builtin backend: run the transient simulation of a network description."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from spinsnn.devices import defects
from spinsnn.devices.switching import SWITCHING_MODES, draw_threshold
from spinsnn.engine import kernel as k
from spinsnn.engine.loops import N_EVENT, N_PRINT, N_SAMPLE, N_SPIKE, N_STEP, run_adaptive, run_fixed
from spinsnn.engine.waveforms import fire_breakpoints, stimulus_breakpoints
from spinsnn.errors import SimulatorError
from spinsnn.network.description import Network, SimControl, Stimulus
from spinsnn.run.results import Results

CHUNK = 1e-3  #: simulated time between progress updates (s)
MIN_STEP = 1e-9
MAX_DQ = 0.05
MAX_ERR = 2e-3  #: largest trapezoidal error bound of one MTJ's progress in an adaptive step
FIRE_TOL = 1e-9


def parameters(net: Network, stimulus: Stimulus) -> np.ndarray:
    """Scalar parameters of the kernel, in the order of its column names."""
    prm = np.zeros(k.N_PARAM)
    mtj, lif, inp = net.mtj, net.lif, net.input_neuron
    prm[k.VH], prm[k.TAU0] = mtj.Vh, mtj.tau0
    prm[k.THR_P2AP], prm[k.THR_AP2P], prm[k.STO_DEV] = mtj.thr_P2AP, mtj.thr_AP2P, mtj.sto_dev
    prm[k.MODE] = SWITCHING_MODES.index(net.switching)
    prm[k.CAP], prm[k.G_CHARGE], prm[k.G_LEAK] = lif.C, 1.0 / lif.R_charge, 1.0 / lif.R_leak
    prm[k.R_RESET], prm[k.VTH], prm[k.EDGE] = lif.R_reset, lif.vth, inp.edge
    prm[k.PEAK] = inp.peak
    prm[k.SLOPE] = (inp.peak - inp.trough) / inp.spike_duration
    prm[k.N_IN], prm[k.CELLS] = net.n_in, net.cells
    prm[k.PRESENT], prm[k.PERIOD] = stimulus.present, stimulus.period
    prm[k.ORIENT] = 1.0 if net.orientation == "out-in" else -1.0
    prm[k.T_INHIBIT], prm[k.VTH_STEP], prm[k.VTH_TAU] = lif.t_inhibit, lif.vth_step, lif.vth_tau
    return prm


def mtj_constants(net: Network) -> np.ndarray:
    """Per-MTJ constants: derived device values and the quiet-bias bounds.

    A frozen MTJ (defective, or any in inference) gets infinite quiet biases, so it never
    switches; an open one zero conductance, a shorted one the short's resistance in both states.
    """
    d = net.derived()
    mc = np.zeros((k.N_MTJ_CONST, d["r0"].size))
    mc[k.R0], mc[k.TMR], mc[k.IC] = d["r0"], d["tmr"], d["ic"]
    mc[k.DELTA], mc[k.SUN_K], mc[k.G_P] = d["delta"], d["sun_k"], 1.0 / d["r0"]
    v_crit = d["ic"] * d["r0"]  # R_AP >= R_P, so this bounds both directions from below
    mc[k.V_QUIET_P] = np.minimum(net.mtj.thr_P2AP, v_crit)
    mc[k.V_QUIET_AP] = np.minimum(net.mtj.thr_AP2P, v_crit)
    mc[k.R0_TMR] = d["r0"] * d["tmr"]
    frozen = net.frozen()
    mc[k.V_QUIET_P, frozen] = mc[k.V_QUIET_AP, frozen] = np.inf
    code = net.defect.ravel()
    for kind, r in ((defects.OPEN, np.inf), (defects.SHORT, net.defects.short_resistance)):
        cells = code == kind
        mc[k.R0, cells], mc[k.R0_TMR, cells], mc[k.G_P, cells] = r, 0.0, 1.0 / r
    return mc


def synapse_constants(mc: np.ndarray, cells: int) -> np.ndarray:
    """Per synapse: the lowest quiet bias of its cells (P->AP, AP->P) and whether its
    cells have identical parameters, as rows of a ``(3, n_syn)`` array."""
    per_cell = mc.reshape(mc.shape[0], -1, cells)
    uniform = np.all(per_cell == per_cell[:, :, :1], axis=(0, 2))
    quiet = per_cell[[k.V_QUIET_P, k.V_QUIET_AP]].min(axis=2)
    return np.ascontiguousarray(np.vstack([quiet, uniform[None, :]]))


class Buffers:
    """Recording buffers of the loops; event buffers grow when they fill up."""

    def __init__(self, net: Network, control: SimControl) -> None:
        n_m, n_out = net.initial_state.size, net.n_out
        self.print_t = control.print_times()
        self.sample_t = control.sample_times()
        self.arrays = [
            self.print_t,
            np.zeros((self.print_t.size, n_m), np.int8),
            np.zeros((self.print_t.size, n_out)),
            self.sample_t,
            np.zeros((self.sample_t.size, n_out)),
            np.zeros((self.sample_t.size, n_out)),
            np.zeros(16 * n_m), np.zeros(16 * n_m, np.int64), np.zeros(16 * n_m, np.int8),
            np.zeros(64 * n_out), np.zeros(64 * n_out, np.int64),
        ]
        self.cnt = np.zeros(6, np.int64)

    def grow(self) -> None:
        """Double the event and spike buffers, keeping their contents."""
        for i in range(6, 11):
            self.arrays[i] = np.concatenate([self.arrays[i], np.zeros_like(self.arrays[i])])

    @property
    def rec(self) -> tuple:
        return tuple(self.arrays)


def initial_state(net: Network, prm: np.ndarray, stimulus: Stimulus, mc: np.ndarray, syn: np.ndarray) -> tuple:
    """State arrays at t = 0: MTJ states and thresholds, DC output-node voltages."""
    mode = SWITCHING_MODES.index(net.switching)
    ix = net.initial_state.ravel().astype(np.int8)
    rng = net.switch_seed.ravel().astype(np.int64)
    thr = np.empty(ix.size)
    for m in range(ix.size):
        thr[m], rng[m] = draw_threshold(int(rng[m]), mode, net.mtj.sto_dev)
    neu = np.zeros((net.n_out, k.N_NEURON))
    neu[:, k.CHARGE] = 1.0
    neu[:, k.QUIET_P_MIN] = syn[k.QUIET_P].reshape(net.n_out, -1).min(axis=1)
    neu[:, k.QUIET_AP_MIN] = syn[k.QUIET_AP].reshape(net.n_out, -1).min(axis=1)
    vin = np.zeros(net.n_in)
    k.inputs_at(0.0, stimulus.windows, stimulus.order, prm, vin)
    for j in range(net.n_out):
        neu[j, k.VOUT], neu[j, k.P_SYN] = k.solve_output(j, 0.0, 0.0, prm[k.G_CHARGE], vin, ix, mc, syn, prm)
        neu[j, k.P_NEU] = prm[k.G_CHARGE] * neu[j, k.VOUT] ** 2 if neu[j, k.VOUT] >= 0 else 0.0
    return neu, ix, np.zeros(ix.size), thr, rng, np.zeros(ix.size)


class Stepper:
    """The circuit state and the loop that advances it, in fixed or adaptive mode."""

    def __init__(self, net: Network, control: SimControl) -> None:
        self.control = control
        self.fixed = control.stepping == "fixed"
        self.stimulus = net.stimulus(control.stop)
        self.prm = parameters(net, self.stimulus)
        self.mc = mtj_constants(net)
        self.syn = synapse_constants(self.mc, net.cells)
        self.state = initial_state(net, self.prm, self.stimulus, self.mc, self.syn)
        n_m, n_out = self.state[1].size, net.n_out
        self.work = (np.zeros(net.n_in), np.zeros(n_m, np.int64), np.zeros(n_out, np.int64), np.zeros(n_out),
                     np.zeros(n_out))
        self.buf = Buffers(net, control)
        record_start(self.buf, self.state)
        self.n_total = int(round(control.stop / control.step))
        st = self.stimulus
        corners = stimulus_breakpoints(st.windows, st.order, st.present, st.period, net.input_neuron.edge, control.stop)
        self.breakpoints = np.unique(np.concatenate([corners, self.buf.print_t]))
        self.fire_breakpoints = fire_breakpoints(net.input_neuron.edge)
        self.backup = tuple(a.copy() for a in self.state)
        self.ctl = np.array([control.max_step, MIN_STEP, MAX_DQ, FIRE_TOL, MAX_ERR])
        self.carry = np.zeros(2)  # last maximum switching rate, time reached

    def advance(self, t: float, t_end: float) -> float:
        """Simulate from ``t`` towards ``t_end``; return the time reached."""
        if self.fixed:
            step = self.control.step
            n0, n1 = int(round(t / step)), min(int(round(t_end / step)), self.n_total)
            n = run_fixed(n0, n1, step, self.prm, self.stimulus.windows, self.stimulus.order, self.mc, self.syn,
                          self.state, self.work, self.buf.rec, self.buf.cnt)
            return self.control.stop if n >= self.n_total else n * step
        return run_adaptive(t, t_end, self.ctl, self.breakpoints, self.fire_breakpoints, self.prm,
                            self.stimulus.windows, self.stimulus.order, self.mc, self.syn, self.state, self.backup,
                            self.work, self.buf.rec, self.buf.cnt, self.carry)

    def time_reached(self) -> float:
        """Simulated time of the last accepted step (valid even after an interrupt)."""
        return self.buf.cnt[N_STEP] * self.control.step if self.fixed else float(self.carry[1])


def simulate(net: Network, control: SimControl, progress: Callable[[float], None] | None = None) -> Results:
    """Simulate ``net`` from 0 to ``control.stop``.

    ``progress(t)`` is called with the simulated time after every chunk. On
    ``KeyboardInterrupt`` the results so far are returned with ``simulated_until < stop``
    so that nothing computed is lost. ``wall_time_s`` excludes JIT compilation.
    """
    stepper = Stepper(net, control)
    stepper.advance(0.0, 0.0)  # JIT-compile (or load from cache) outside the timed simulation
    t = 0.0
    wall0 = time.perf_counter()
    try:
        while t < control.stop * (1 - 1e-12):
            t = stepper.advance(t, min(t + CHUNK, control.stop))
            if not np.isfinite(stepper.state[0][:, :k.VOUT + 1]).all():
                raise SimulatorError("builtin", f"the circuit state became non-finite by {t * 1e3:.3f} ms")
            if buffers_near_full(stepper.buf, stepper.state[1].size, net.n_out):
                stepper.buf.grow()
            if progress:
                progress(t)
    except KeyboardInterrupt:
        t = stepper.time_reached()
    return collect(stepper.buf, net, stepper.state, t, time.perf_counter() - wall0)


def record_start(buf: Buffers, state: tuple) -> None:
    """Record the t = 0 print row and sample."""
    neu, ix = state[0], state[1]
    buf.arrays[1][0] = ix
    buf.arrays[2][0] = neu[:, k.VCAP]
    buf.arrays[4][0] = neu[:, k.VCAP]
    buf.arrays[5][0] = neu[:, k.VOUT]
    buf.cnt[N_PRINT] = buf.cnt[N_SAMPLE] = 1


def buffers_near_full(buf: Buffers, n_m: int, n_out: int) -> bool:
    """True when the loops may have stopped early for lack of buffer space."""
    return buf.cnt[N_EVENT] + n_m > buf.arrays[6].size or buf.cnt[N_SPIKE] + n_out > buf.arrays[9].size


def collect(buf: Buffers, net: Network, state: tuple, t: float, wall: float) -> Results:
    """Trim the buffers to what was recorded and wrap them as :class:`Results`."""
    a, c = buf.arrays, buf.cnt
    npr, nsa, nev, nsp = c[N_PRINT], c[N_SAMPLE], c[N_EVENT], c[N_SPIKE]
    return Results(
        print_time=a[0][:npr], states=a[1][:npr], print_vcap=a[2][:npr],
        sample_time=a[3][:nsa], vcap=a[4][:nsa], vout=a[5][:nsa],
        spike_time=a[9][:nsp], spike_neuron=a[10][:nsp],
        switch_time=a[6][:nev], switch_mtj=a[7][:nev], switch_state=a[8][:nev],
        initial_state=net.initial_state.ravel().copy(), final_state=state[1].copy(),
        synapse_energy=state[0][:, k.E_SYN].copy(), update_energy=state[0][:, k.E_UPD].copy(),
        neuron_energy=state[0][:, k.E_NEU].copy(),
        simulated_until=float(t), steps=int(c[N_STEP]), wall_time_s=wall, backend="builtin",
    )
