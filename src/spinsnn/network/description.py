"""Network description: topology, neuron and device parameters, sampled MTJs, seeds.

MTJ arrays have shape ``(n_out, n_in, cells)``; flattened, MTJ ``m`` belongs to synapse
``k = m // cells = j * n_in + i`` (input ``i``, output ``j``), the column order of
``results.txt``. Every MTJ has T1 on the output node and T2 on the input node.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spinsnn.devices import defects as defect_codes
from spinsnn.devices.defects import Defects, apply_stuck_states, sample_defects
from spinsnn.devices.mtj import (
    MTJParams,
    critical_current,
    resistance_ap,
    resistance_p,
    sun_coefficient,
    thermal_stability,
)
from spinsnn.devices.switching import SWITCHING_MODES
from spinsnn.devices.variability import sample_parameter
from spinsnn.errors import InputError

ORIENTATIONS = ("out-in", "in-out")  #: T1 on the output node (published), or on the input node


@dataclass(frozen=True)
class Coding:
    """Rate coding: ``n_spikes = base + max * pixel/255`` over the presenting time."""

    base: float = 3.0
    max: float = 10.0

    def n_spikes(self, pixels: np.ndarray) -> np.ndarray:
        return self.base + self.max * np.asarray(pixels, dtype=float) / 255.0


@dataclass(frozen=True)
class InputNeuron:
    """Sawtooth input neuron (ideal source): ramp ``peak -> trough`` over ``spike_duration``."""

    spike_duration: float = 10e-3
    peak: float = 0.150
    trough: float = -0.090
    edge: float = 10e-9  #: finite rise/fall at every waveform corner (s)


def input_windows(n_spikes: np.ndarray, presenting_time: float, neuron: InputNeuron) -> np.ndarray:
    """Per input, the window length and the corners of one window.

    Returns an ``(n_in, 6)`` array of ``t_w, t_ramp_end, v_ramp_end, t_fall_end,
    v_fall_end, t_rise_start``: the ramp runs from ``peak`` down to ``v_ramp_end``, an
    edge returns to ``v_fall_end`` (0 V), and the last ``edge`` of the window rises back
    to ``peak``. A window shorter than the spike duration cuts the ramp short.
    """
    tw = presenting_time / np.asarray(n_spikes, dtype=float)
    e = neuron.edge
    slope = (neuron.peak - neuron.trough) / neuron.spike_duration
    rise_start = tw - e
    ramp_end = np.minimum(neuron.spike_duration, rise_start)
    v_ramp_end = neuron.peak - slope * ramp_end
    fall_end = np.minimum(ramp_end + e, rise_start)
    fall_done = np.isclose(fall_end, ramp_end + e, rtol=0.0, atol=1e-15)
    v_fall_end = np.where(fall_done, 0.0, v_ramp_end * (1.0 - (fall_end - ramp_end) / e))
    return np.column_stack([tw, ramp_end, v_ramp_end, fall_end, v_fall_end, rise_start])


@dataclass(frozen=True)
class Sequence:
    """Images shown one after another, each for ``present`` then ``rest`` seconds.

    Presentation ``p`` starts at ``p * (present + rest)`` and shows ``images[order[p]]``;
    every input window restarts with it. During a rest the inputs fall to 0 V (and rise
    back to the ramp's peak in the last edge before the next presentation).
    """

    images: np.ndarray  #: (n_img, h, w) pixels 0..255
    names: tuple[str, ...]
    labels: tuple[str, ...]
    order: np.ndarray  #: (n_pres,) image index of each presentation
    present: float
    rest: float = 0.0

    @property
    def period(self) -> float:
        return self.present + self.rest

    @property
    def stop(self) -> float:
        """End of the last presentation's rest: the whole run."""
        return self.order.size * self.period

    def starts(self) -> np.ndarray:
        return np.arange(self.order.size) * self.period


def shuffled_order(n_img: int, epochs: int, seed: int) -> np.ndarray:
    """Each epoch shows every image once, in an order drawn from ``seed``."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1]))
    return np.concatenate([rng.permutation(n_img) for _ in range(epochs)]).astype(np.int64)


@dataclass(frozen=True)
class Stimulus:
    """What the input neurons play: window corners per image, the image of each
    presentation, and the presentation timing (the arrays the engines read)."""

    windows: np.ndarray  #: (n_img, n_in, 6), see :func:`input_windows`
    order: np.ndarray  #: (n_pres,)
    present: float
    period: float


@dataclass(frozen=True)
class LIFNeuron:
    """Leaky integrate-and-fire output neuron circuit (MODEL_SPEC section 3).

    With ``t_inhibit > 0`` (winner-take-all) a fire holds every neuron until ``t_inhibit``
    after its start (the winner once its fire ends): the capacitor discharges through
    ``R_reset`` and the charge path is open. With
    ``vth_step > 0`` (homeostasis) each fire raises the neuron's threshold by ``vth_step``;
    the rise relaxes with time constant ``vth_tau``.
    """

    C: float = 300e-12
    R_charge: float = 100e6
    R_leak: float = 200e6
    R_reset: float = 10e3
    vth: float = 12e-3
    t_inhibit: float = 0.0
    vth_step: float = 0.0
    vth_tau: float = 1.0


@dataclass(frozen=True)
class SimControl:
    """Transient simulation control.

    ``stepping`` is ``fixed`` (every step is ``step``) or ``adaptive`` (breakpoints at
    waveform corners, steps up to ``max_step``). Results are printed every
    ``print_interval``; membrane and output voltages are sampled every ``sample_interval``.
    """

    stop: float = 150e-3
    step: float = 100e-9
    stepping: str = "adaptive"
    max_step: float = 20e-6
    print_interval: float = 1e-3
    sample_interval: float = 10e-6

    def print_times(self) -> np.ndarray:
        """The rows of ``results.txt``: ``0, print_interval, ..`` up to ``stop``."""
        return time_grid(self.print_interval, self.stop)

    def sample_times(self) -> np.ndarray:
        """Where membrane and output voltages are sampled."""
        return time_grid(self.sample_interval, self.stop)


def time_grid(interval: float, stop: float) -> np.ndarray:
    """Times ``0, interval, ...`` up to and including ``stop`` (within rounding)."""
    n = int(np.floor(stop / interval + 1e-9))
    return np.arange(n + 1) * interval


@dataclass
class Network:
    """A fully connected input -> output network of compound MTJ synapses."""

    image: np.ndarray  #: (h, w) pixels 0..255
    image_name: str
    n_out: int
    cells: int
    coding: Coding
    input_neuron: InputNeuron
    lif: LIFNeuron
    mtj: MTJParams
    switching: str
    variability: str
    dev: float
    seed: int
    tox: np.ndarray  #: (n_out, n_in, cells) sampled oxide thickness (m)
    tsl: np.ndarray  #: sampled free-layer thickness (m)
    tmr: np.ndarray  #: sampled zero-bias TMR
    initial_state: np.ndarray  #: (n_out, n_in, cells) int8, 0 = P, 1 = AP
    switch_seed: np.ndarray  #: (n_out, n_in, cells) int64 Park-Miller seeds
    defects: Defects  #: the rates the defect codes were drawn with
    defect: np.ndarray  #: (n_out, n_in, cells) int8 defect code (``spinsnn.devices.defects``)
    plastic: bool = True  #: False in inference: no MTJ switches
    orientation: str = "out-in"  #: which MTJ terminal faces the output: T1 (``out-in``) or T2 (``in-out``)
    sequence: Sequence | None = None  #: images in turn; None: ``image`` for the whole run

    def frozen(self) -> np.ndarray:
        """Flattened mask of the MTJs that never switch: defective ones, or all in inference."""
        return np.ones(self.defect.size, bool) if not self.plastic else self.defect.ravel() != defect_codes.NONE

    @property
    def n_in(self) -> int:
        return int(self.image.size)

    @property
    def n_syn(self) -> int:
        return self.n_in * self.n_out

    @property
    def pixels(self) -> np.ndarray:
        """Flattened pixels, row-major (input index order)."""
        return np.asarray(self.image, dtype=float).ravel()

    def targets(self) -> np.ndarray:
        """The images training aims at, flattened ``(n_targets, n_in)``: the sequence's
        images, or the one image."""
        if self.sequence is None:
            return self.pixels[None]
        return np.asarray(self.sequence.images, dtype=float).reshape(len(self.sequence.images), -1)

    def target_names(self) -> list[str]:
        return [self.image_name] if self.sequence is None else list(self.sequence.names)

    def input_windows(self, presenting_time: float) -> np.ndarray:
        """Window corners of every input neuron (see :func:`input_windows`)."""
        return input_windows(self.coding.n_spikes(self.pixels), presenting_time, self.input_neuron)

    def stimulus(self, stop: float) -> Stimulus:
        """The input neurons' program over a run of ``stop`` seconds."""
        seq = self.sequence
        if seq is None:
            return Stimulus(self.input_windows(stop)[None], np.zeros(1, np.int64), stop, stop)
        n_spikes = self.coding.n_spikes(seq.images.reshape(len(seq.images), -1))
        windows = np.stack([input_windows(n, seq.present, self.input_neuron) for n in n_spikes])
        return Stimulus(windows, seq.order, seq.present, seq.period)

    def derived(self) -> dict[str, np.ndarray]:
        """Per-MTJ derived quantities, flattened: R0, TMR, Ic, Delta, Sun coefficient."""
        area = self.mtj.area
        tox, tsl, tmr = (a.ravel() for a in (self.tox, self.tsl, self.tmr))
        delta = thermal_stability(tsl, area, self.mtj)
        return {
            "r0": resistance_p(tox, area, self.mtj),
            "tmr": tmr,
            "ic": critical_current(tmr, tsl, area, self.mtj),
            "delta": delta,
            "sun_k": sun_coefficient(delta, tsl, area, self.mtj),
        }

    def conductance(self, states: np.ndarray) -> np.ndarray:
        """Zero-bias synapse conductances (S) for MTJ states of shape (..., n_mtj).

        An open cell conducts nothing and a shorted one ``1/short_resistance``, whatever its state.
        """
        d = self.derived()
        g_p = 1.0 / d["r0"]
        g_ap = 1.0 / resistance_ap(d["r0"], d["tmr"], 0.0, self.mtj.Vh)
        g = np.where(np.asarray(states) == 1, g_ap, g_p)
        code = self.defect.ravel()
        g = np.where(code == defect_codes.OPEN, 0.0, g)
        g = np.where(code == defect_codes.SHORT, 1.0 / self.defects.short_resistance, g)
        return g.reshape(*g.shape[:-1], self.n_syn, self.cells).sum(axis=-1)


def build_network(
    image: np.ndarray,
    image_name: str,
    *,
    n_out: int = 1,
    cells: int = 4,
    dev: float = 0.0,
    variability: str = "normal",
    switching: str = "exponential",
    seed: int = 0,
    coding: Coding | None = None,
    input_neuron: InputNeuron | None = None,
    lif: LIFNeuron | None = None,
    mtj: MTJParams | None = None,
    defects: Defects | None = None,
    orientation: str = "out-in",
    sequence: Sequence | None = None,
) -> Network:
    """Sample a network: device variability, initial states, switching seeds and defects.

    The run seed feeds four independent streams (numpy ``SeedSequence.spawn``), so
    changing e.g. ``dev`` or a defect rate does not change the initial states.
    Stuck cells start in their stuck state.
    """
    check_positive("--cells", cells)
    check_positive("--outputs", n_out)
    if dev < 0:
        raise InputError("--dev", dev, "a relative spread >= 0")
    if switching not in SWITCHING_MODES:
        raise InputError("--switching", switching, f"one of {', '.join(SWITCHING_MODES)}")
    if orientation not in ORIENTATIONS:
        raise InputError("--orientation", orientation, f"one of {', '.join(ORIENTATIONS)}")
    image = np.asarray(image)
    mtj = mtj or MTJParams()
    shape = (n_out, int(image.size), cells)
    defects = defects or Defects()
    var_ss, state_ss, switch_ss, defect_ss = np.random.SeedSequence(seed).spawn(4)
    var_rng = np.random.default_rng(var_ss)
    tox = sample_parameter(mtj.tox, dev, variability, shape, var_rng)
    tsl = sample_parameter(mtj.tsl, dev, variability, shape, var_rng)
    tmr = sample_parameter(mtj.TMR, dev, variability, shape, var_rng)
    defect = sample_defects(defects, shape, np.random.default_rng(defect_ss))
    initial = apply_stuck_states(np.random.default_rng(state_ss).integers(0, 2, size=shape, dtype=np.int8), defect)
    switch_seed = np.random.default_rng(switch_ss).integers(1, 2**31 - 1, size=shape, dtype=np.int64)
    return Network(
        image=image,
        image_name=image_name,
        n_out=n_out,
        cells=cells,
        coding=coding or Coding(),
        input_neuron=input_neuron or InputNeuron(),
        lif=lif or LIFNeuron(),
        mtj=mtj,
        switching=switching,
        variability=variability,
        dev=float(dev),
        seed=int(seed),
        tox=tox,
        tsl=tsl,
        tmr=tmr,
        initial_state=initial,
        switch_seed=switch_seed,
        defects=defects,
        defect=defect,
        orientation=orientation,
        sequence=sequence,
    )


def check_positive(field_name: str, value: float) -> None:
    """Refuse a non-positive value, naming the option."""
    if not value > 0:
        raise InputError(field_name, value, "a value > 0")
