"""One circuit, many netlist formats: the elements of a network, named and parameterised.

:func:`circuit` turns a :class:`~spinsnn.network.Network` into models and instances;
the VACASK and Spectre writers format the same list in their own syntax.

Nodes: ``in_<i>`` (input neuron i), ``out_<j>`` (output neuron j) with its membrane copy
``mem_<j>`` and phase flag ``fire_<j>`` (1 firing, -1 held), ``inh`` (the lateral
inhibition line, through ``R_LINE`` to ground), ``st_<k>`` (state probe of synapse
k = j*n_in + i) and ground ``0``. MTJ cell c of synapse k is
``m_<k>_<c>`` and drives 2^c uA into ``st_<k>`` when AP; a 1 MOhm probe resistor turns
that into a voltage whose binary digits are the cells' states. An input that plays a
sequence is a series chain of one source per presentation (``in_<i>_<p>``, through nodes
``in_<i>_<p>``), each active during its own presentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from spinsnn.devices.switching import SWITCHING_MODES
from spinsnn.network.description import Network, SimControl

PROBE_R = 1e6  #: probe resistor (Ohm)
R_LINE = 1e3  #: inhibition line to ground (Ohm); each driving neuron sources 1 mA into it
PROBE_UNIT = 1e-6  #: probe current of cell 0 (A)
MTJ_MODEL, INPUT_MODEL, LIF_MODEL, PROBE_MODEL = "mtj", "inp", "lif", "probe"
MAX_CELLS = 20  #: probe voltages stay exact integers in float64 well beyond this


@dataclass(frozen=True)
class Model:
    """A model card: ``name`` of a Verilog-A ``module`` (or builtin device) with parameters."""

    name: str
    module: str
    params: dict[str, float | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Instance:
    """One device: name, nodes in terminal order, model name, instance parameters."""

    name: str
    nodes: tuple[str, ...]
    model: str
    params: dict[str, float | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Circuit:
    models: list[Model]
    instances: list[Instance]
    n_in: int
    n_out: int
    cells: int

    def saved_nodes(self) -> list[str]:
        """The nodes a run's results are made of: probes, then per output out/mem/fire."""
        nodes = [f"st_{k}" for k in range(self.n_in * self.n_out)]
        for j in range(self.n_out):
            nodes += [f"out_{j}", f"mem_{j}", f"fire_{j}"]
        return nodes


def circuit(net: Network, control: SimControl) -> Circuit:
    """Models and instances of the network ``net`` simulated over ``control.stop``."""
    if net.cells > MAX_CELLS:
        raise ValueError(f"at most {MAX_CELLS} cells per synapse can be probed, not {net.cells}")
    mtj, lif, inp = net.mtj, net.lif, net.input_neuron
    models = [
        Model(MTJ_MODEL, "spinsnn_mtj", {
            "alpha": mtj.alpha, "gamma": mtj.gamma, "pol": mtj.P, "hk": mtj.Hk, "ms": mtj.Ms,
            "phibas": mtj.PhiBas, "vh": mtj.Vh, "ra": mtj.RA, "radius": mtj.r, "temp": mtj.T,
            "tau0": mtj.tau0, "thr_p2ap": mtj.thr_P2AP, "thr_ap2p": mtj.thr_AP2P, "sto_dev": mtj.sto_dev,
            "mode": SWITCHING_MODES.index(net.switching), "r_short": net.defects.short_resistance}),
        Model(INPUT_MODEL, "spinsnn_input", {
            "peak": inp.peak, "slope": (inp.peak - inp.trough) / inp.spike_duration, "t_edge": inp.edge}),
        Model(LIF_MODEL, "spinsnn_lif", {
            "c": lif.C, "r_charge": lif.R_charge, "r_leak": lif.R_leak, "r_reset": lif.R_reset, "vth": lif.vth,
            "t_edge": inp.edge, "t_inhibit": lif.t_inhibit, "r_line": R_LINE, "vth_step": lif.vth_step,
            "vth_tau": lif.vth_tau}),
        Model(PROBE_MODEL, "resistor", {}),
    ]
    instances = input_sources(net, control.stop)
    for j in range(net.n_out):
        instances.append(Instance(f"lif_{j}", (f"out_{j}", f"mem_{j}", f"fire_{j}", "inh"), LIF_MODEL))
    instances.append(Instance("r_inh", ("inh", "0"), PROBE_MODEL, {"r": R_LINE}))
    tox, tsl, tmr = (a.reshape(-1, net.cells) for a in (net.tox, net.tsl, net.tmr))
    ix0 = net.initial_state.reshape(-1, net.cells)
    seeds = net.switch_seed.reshape(-1, net.cells)
    defect = net.defect.reshape(-1, net.cells)
    frozen = net.frozen().reshape(-1, net.cells)
    for k in range(net.n_syn):
        j, i = divmod(k, net.n_in)
        for c in range(net.cells):
            terminals = (f"out_{j}", f"in_{i}") if net.orientation == "out-in" else (f"in_{i}", f"out_{j}")
            instances.append(Instance(
                f"m_{k}_{c}", (*terminals, f"st_{k}"), MTJ_MODEL,
                {"tox": tox[k, c], "tsl": tsl[k, c], "tmr0": tmr[k, c], "ix0": int(ix0[k, c]),
                 "seed": int(seeds[k, c]), "st_weight": PROBE_UNIT * 2**c, "defect": int(defect[k, c]),
                 "frozen": int(frozen[k, c])}))
        instances.append(Instance(f"rst_{k}", (f"st_{k}", "0"), PROBE_MODEL, {"r": PROBE_R}))
    return Circuit(models, instances, net.n_in, net.n_out, net.cells)


def input_sources(net: Network, stop: float) -> list[Instance]:
    """The input neurons: one source per input, or per input a series chain of one source
    per presentation of a sequence (the last one on ground)."""
    st = net.stimulus(stop)
    n_pres = st.order.size
    instances = []
    for i in range(net.n_in):
        for p, img in enumerate(st.order):
            tw, re, vre, fe, vfe, rs = st.windows[img, i]
            top = f"in_{i}" if p == 0 else f"in_{i}_{p}"
            bottom = "0" if p == n_pres - 1 else f"in_{i}_{p + 1}"
            params = {"tw": tw, "t_re": re, "v_re": vre, "t_fe": fe, "v_fe": vfe, "t_rs": rs}
            if net.sequence is not None:
                params.update(t_on=p * st.period, present=st.present, rest=st.period - st.present,
                              first=int(p == 0), last=int(p == n_pres - 1))
            instances.append(Instance(f"in_{i}" if n_pres == 1 else f"in_{i}_p{p}", (top, bottom), INPUT_MODEL,
                                      params))
    return instances


def circuit_title(net: Network) -> str:
    """First line of every netlist of ``net``."""
    return f"spinsnn network: image {net.image_name}, {net.n_in}x{net.n_out}, {net.cells} cells/synapse"


def decode_probe(codes: np.ndarray, cells: int) -> np.ndarray:
    """Integer probe codes ``(..., n_syn)`` -> MTJ states ``(..., n_syn * cells)`` (int8)."""
    code = np.asarray(codes, dtype=np.int64)
    bits = (code[..., None] >> np.arange(cells)) & 1
    return bits.reshape(*code.shape[:-1], -1).astype(np.int8)


def format_value(value: float | int) -> str:
    """A parameter value as netlist text: integers plainly, reals with full precision."""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return repr(float(value))


def format_params(params: dict[str, float | int]) -> str:
    return " ".join(f"{k}={format_value(v)}" for k, v in params.items())
