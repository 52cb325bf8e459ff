"""Turn SPICE waveforms into the :class:`~spinsnn.run.results.Results` every backend returns."""

from __future__ import annotations

import numpy as np

from spinsnn.backends.netlist import PROBE_R, PROBE_UNIT, decode_probe
from spinsnn.engine.energy import waveform_energy
from spinsnn.network.description import Network, SimControl
from spinsnn.run.results import Results


def rising_crossings(t: np.ndarray, x: np.ndarray, level: float) -> np.ndarray:
    """Times where ``x`` rises through ``level`` (linear interpolation)."""
    k = np.nonzero((x[:-1] < level) & (x[1:] >= level))[0]
    return t[k] + (level - x[k]) * (t[k + 1] - t[k]) / (x[k + 1] - x[k])


def from_nodes(net: Network, control: SimControl, nodes: dict[str, np.ndarray], wall: float, backend: str,
               spikes: list[tuple[float, int]] | None = None) -> Results:
    """Results from the saved nodes of a netlist (see ``Circuit.saved_nodes``) over time.

    Spikes are the rising edges of the ``fire_<j>`` nodes unless given.
    """
    t = np.asarray(nodes["time"])
    cols = range(net.n_out)
    if spikes is None:
        spikes = [(s, j) for j in cols for s in rising_crossings(t, np.asarray(nodes[f"fire_{j}"]), 0.5)]
    return to_results(net, control, t, np.column_stack([nodes[f"st_{k}"] for k in range(net.n_syn)]),
                      np.column_stack([nodes[f"mem_{j}"] for j in cols]),
                      np.column_stack([nodes[f"out_{j}"] for j in cols]),
                      np.column_stack([nodes[f"fire_{j}"] for j in cols]), spikes, wall, backend)


SETTLE = 50e-9  #: a probe code must last this long to count: a switch passes through others in ~10 ns


def settled_codes(t: np.ndarray, probes: np.ndarray) -> np.ndarray:
    """Integer probe codes ``(n_points, n_syn)`` with the passing values of a switch removed.

    While a cell switches, its probe current moves continuously between two codes and
    can cross others; a code that lasts less than ``SETTLE`` is replaced by the one before.
    """
    codes = np.rint(probes).astype(np.int64)
    for k in range(codes.shape[1]):
        col = codes[:, k]
        starts = np.concatenate([[0], np.nonzero(col[1:] != col[:-1])[0] + 1])
        ends = np.append(starts[1:], col.size)
        keep = col[starts[0]]
        for a, b in zip(starts, ends):
            last = b == col.size
            if last or t[b] - t[a] >= SETTLE:
                keep = col[a]
            col[a:b] = keep
    return codes


def to_results(net: Network, control: SimControl, t: np.ndarray, probes: np.ndarray, vcap: np.ndarray,
               vout: np.ndarray, phase: np.ndarray, spikes: list[tuple[float, int]], wall: float,
               backend: str) -> Results:
    """Waveforms over the simulator's time points, and ``(time, output)`` spikes -> Results.

    ``probes`` is ``(n_points, n_syn)``, ``vcap``, ``vout`` and ``phase`` (the neurons'
    phase flags: 1 firing, -1 held by inhibition, 0 integrating) are ``(n_points, n_out)``. States at a print time are those of the last time point at or
    before it. Energies are integrated over the given time points.
    """
    t = np.asarray(t)
    states = decode_probe(settled_codes(t, probes / (PROBE_UNIT * PROBE_R)), net.cells)
    print_t = control.print_times()
    sample_t = control.sample_times()
    at = np.clip(np.searchsorted(t, print_t + 1e-12, side="right") - 1, 0, t.size - 1)
    changed = np.nonzero(np.any(states[1:] != states[:-1], axis=1))[0] + 1
    ev_t, ev_m, ev_s = [], [], []
    for p in changed:
        for m in np.nonzero(states[p] != states[p - 1])[0]:
            ev_t.append(t[p])
            ev_m.append(m)
            ev_s.append(states[p, m])
    spikes = sorted(spikes)
    interp = np.column_stack
    e_syn, e_upd, e_neu = waveform_energy(net, control, t, states, vout, vcap, phase > 0.5, phase < -0.5)
    return Results(
        print_time=print_t,
        states=states[at],
        print_vcap=interp([np.interp(print_t, t, vcap[:, j]) for j in range(net.n_out)]),
        sample_time=sample_t,
        vcap=interp([np.interp(sample_t, t, vcap[:, j]) for j in range(net.n_out)]),
        vout=interp([np.interp(sample_t, t, vout[:, j]) for j in range(net.n_out)]),
        spike_time=np.array([s for s, _ in spikes]),
        spike_neuron=np.array([j for _, j in spikes], dtype=np.int64),
        switch_time=np.array(ev_t),
        switch_mtj=np.array(ev_m, dtype=np.int64),
        switch_state=np.array(ev_s, dtype=np.int8),
        initial_state=net.initial_state.ravel().copy(),
        final_state=states[-1].copy(),
        synapse_energy=e_syn, update_energy=e_upd, neuron_energy=e_neu,
        simulated_until=float(t[-1]),
        steps=int(t.size),
        wall_time_s=wall,
        backend=backend,
    )
