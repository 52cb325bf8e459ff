"""Options of one training run, validated and converted to SI units.

The same keys serve the command line and (later) config files; every bad value is
refused with an :class:`~spinsnn.errors.InputError` that names the option.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from functools import lru_cache

import numpy as np

from spinsnn.backends import BACKENDS
from spinsnn.backends.netlist import MAX_CELLS
from spinsnn.devices.defects import Defects
from spinsnn.devices.switching import SWITCHING_MODES
from spinsnn.devices.variability import VARIABILITY_MODES
from spinsnn.engine.waveforms import FIRE_DURATION
from spinsnn.errors import InputError
from spinsnn.images.io import load_image
from spinsnn.images.sets import load_image_set
from spinsnn.network.description import (
    ORIENTATIONS,
    Coding,
    InputNeuron,
    LIFNeuron,
    Network,
    Sequence,
    SimControl,
    build_network,
    shuffled_order,
)
from spinsnn.run.inference import trained_network
from spinsnn.units import format_quantity, parse_quantity

STEPPING_MODES = ("fixed", "adaptive")
INHIBITION_MODES = ("none", "wta")
FIRE_SEGMENT = 0.2e-6  #: shortest segment of the fire waveform (s)
MAX_FIXED_STEP = FIRE_SEGMENT / 2  #: coarsest step that puts a point inside every fire segment
PRINT_INTERVAL = 1e-3  #: results.txt row spacing (s)


@dataclass(frozen=True)
class RunOptions:
    """Everything that defines one training run (SI units)."""

    image: str | None = "U"  #: None when ``images`` is set
    cells: int = 4
    outputs: int = 1
    dev: float = 0.0
    variability: str = "normal"
    switching: str = "exponential"
    vth: float = 12e-3
    stop: float = 150e-3
    step: float | None = None  #: fixed step (fixed stepping only)
    spike_duration: float = 10e-3
    coding: tuple[float, float] = (3.0, 10.0)
    stepping: str = "adaptive"
    max_step: float | None = 20e-6  #: largest step (adaptive stepping only)
    seed: int = 0
    backend: str = "builtin"
    allow_coarse_step: bool = False
    stuck_p: float = 0.0  #: defect rates: probability per MTJ (devices/defects.py)
    stuck_ap: float = 0.0
    open: float = 0.0
    short: float = 0.0
    short_resistance: float = 100.0  #: Ohm
    inference: bool = False  #: no switching; trained states from ``from_run``
    from_run: str | None = None  #: run folder whose final MTJ states an inference run starts from
    images: str | None = None  #: an image set shown in turn (instead of ``image``)
    present: float = 150e-3  #: presentation time of each image of ``images``
    rest: float = 0.0  #: gap after each presentation, inputs at 0 V
    epochs: int = 1  #: passes over ``images``, each in a shuffled order
    inhibition: str = "none"  #: ``wta``: a fire holds the other outputs for ``inhibit_time``
    inhibit_time: float = 5e-3
    vth_step: float = 0.0  #: homeostasis: threshold rise per fire (V), 0 = off
    vth_tau: float = 1.0  #: homeostasis: relaxation time of the rise (s)
    orientation: str = "out-in"  #: MTJ terminal T1 on the output (published) or on the input
    label_images: str | None = None  #: image set ``spinsnn evaluate`` labels the outputs with
    test_images: str | None = None  #: image set ``spinsnn evaluate`` measures the accuracy on

    def to_dict(self) -> dict:
        d = asdict(self)
        d["coding"] = list(self.coding)
        return d


def parse_coding(text: str | list | tuple) -> tuple[float, float]:
    """``"3,10"`` -> ``(3.0, 10.0)``: spikes for a black pixel, extra spikes for a white one."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    try:
        base, extra = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise InputError("--coding", text, "two numbers BASE,MAX, e.g. 3,10") from None
    if not (math.isfinite(base) and math.isfinite(extra)) or base <= 0 or extra < 0:
        raise InputError("--coding", text, "BASE > 0 and MAX >= 0 spikes per presentation")
    return base, extra


def choose(field: str, value: str, allowed: tuple[str, ...]) -> str:
    """Refuse a value outside ``allowed``, naming the option."""
    if not isinstance(value, str) or value not in allowed:
        raise InputError(field, value, f"one of {', '.join(allowed)}")
    return value


def make_options(
    *,
    image: str | None = None,
    cells: int = 4,
    outputs: int = 1,
    dev: float | str = 0.0,
    variability: str = "normal",
    switching: str = "exponential",
    vth: float | str = 12e-3,
    stop: float | str | None = None,
    step: float | str | None = None,
    spike_duration: float | str = 10e-3,
    coding: str | tuple = (3.0, 10.0),
    stepping: str | None = None,
    max_step: float | str | None = None,
    seed: int = 0,
    backend: str = "builtin",
    allow_coarse_step: bool = False,
    stuck_p: float | str = 0.0,
    stuck_ap: float | str = 0.0,
    open: float | str = 0.0,
    short: float | str = 0.0,
    short_resistance: float | str = 100.0,
    inference: bool = False,
    from_run: str | None = None,
    images: str | None = None,
    present: float | str = 150e-3,
    rest: float | str = 0.0,
    epochs: int = 1,
    inhibition: str = "none",
    inhibit_time: float | str = 5e-3,
    vth_step: float | str = 0.0,
    vth_tau: float | str = 1.0,
    orientation: str = "out-in",
    label_images: str | None = None,
    test_images: str | None = None,
) -> RunOptions:
    """Validate raw option values (numbers or strings with SI prefixes).

    Giving ``step`` without ``stepping`` selects fixed stepping (default step 100 ns);
    adaptive stepping takes ``max_step`` (default 20 us) instead. ``image`` (default U)
    and ``images`` exclude each other; with ``images`` the stop time follows from the
    number of images, ``epochs``, ``present`` and ``rest``.
    """
    if images is not None and image is not None:
        raise InputError("--images", images, "either --image or --images, not both")
    for name, value in (("--images", images), ("--label-images", label_images), ("--test-images", test_images)):
        if value is not None and not isinstance(value, str):
            raise InputError(name, value, "an image set: letters, letters:I,O, digits:0-9, a folder or a .npz")
    sequence = sequence_options(images, present, rest, epochs, stop)
    image = None if images else (image if image is not None else "U")
    for name, value in (("--cells", cells), ("--outputs", outputs), ("--seed", seed), ("--epochs", epochs)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise InputError(name, value, "an integer")
    for name, value in (("--image", image or ""), ("--variability", variability), ("--switching", switching),
                        ("--backend", backend), ("--inhibition", inhibition), ("--orientation", orientation)):
        if not isinstance(value, str):
            raise InputError(name, value, "text")
    for name, value in (("--allow-coarse-step", allow_coarse_step), ("--inference", inference)):
        if not isinstance(value, bool):
            raise InputError(name, value, "true or false")
    if from_run is not None and not isinstance(from_run, str):
        raise InputError("--from", from_run, "a run folder")
    if inference != (from_run is not None):
        raise InputError("--from" if inference else "--inference", from_run if inference else False,
                         "--inference and --from RUN_DIR go together")
    stepping = choose("--stepping", stepping or ("fixed" if step is not None else "adaptive"), STEPPING_MODES)
    if stepping == "adaptive" and step is not None:
        raise InputError("--step", step, "a fixed step, which adaptive stepping does not take (see --max-step)")
    if stepping == "fixed" and max_step is not None:
        raise InputError("--max-step", max_step, "an adaptive-stepping option; fixed stepping takes --step")
    fixed = stepping == "fixed"
    opts = RunOptions(
        image=image,
        cells=cells,
        outputs=outputs,
        dev=parse_quantity(dev, "", "--dev"),
        variability=choose("--variability", variability, VARIABILITY_MODES),
        switching=choose("--switching", switching, SWITCHING_MODES),
        vth=parse_quantity(vth, "V", "--vth"),
        stop=parse_quantity(stop if stop is not None else 150e-3, "s", "--stop") if not images else sequence["stop"],
        step=parse_quantity(step if step is not None else 100e-9, "s", "--step") if fixed else None,
        spike_duration=parse_quantity(spike_duration, "s", "--spike-duration"),
        coding=parse_coding(coding),
        stepping=stepping,
        max_step=None if fixed else parse_quantity(max_step if max_step is not None else 20e-6, "s", "--max-step"),
        seed=seed,
        backend=choose("--backend", backend, tuple(BACKENDS)),
        allow_coarse_step=allow_coarse_step,
        **{kind: parse_quantity(value, "", "--" + kind.replace("_", "-"))
           for kind, value in (("stuck_p", stuck_p), ("stuck_ap", stuck_ap), ("open", open), ("short", short))},
        short_resistance=parse_quantity(short_resistance, "Ohm", "--short-resistance"),
        inference=inference,
        from_run=from_run,
        images=images,
        present=sequence["present"],
        rest=sequence["rest"],
        epochs=epochs,
        inhibition=choose("--inhibition", inhibition, INHIBITION_MODES),
        inhibit_time=parse_quantity(inhibit_time, "s", "--inhibit-time"),
        vth_step=parse_quantity(vth_step, "V", "--vth-step"),
        vth_tau=parse_quantity(vth_tau, "s", "--vth-tau"),
        orientation=choose("--orientation", orientation, ORIENTATIONS),
        label_images=label_images,
        test_images=test_images,
    )
    check_options(opts)
    return opts


def sequence_options(images: str | None, present, rest, epochs, stop) -> dict:
    """Presentation time, rest and the derived stop time of a sequence run."""
    present = parse_quantity(present, "s", "--present")
    rest = parse_quantity(rest, "s", "--rest")
    if not images:
        return {"present": present, "rest": rest, "stop": None}
    if stop is not None:
        raise InputError("--stop", stop, "no stop time with --images: it is epochs x images x (present + rest)")
    if not present > 0:
        raise InputError("--present", format_quantity(present, "s"), "a value > 0")
    edge = InputNeuron().edge
    if rest < 0 or 0 < rest < 2 * edge:
        raise InputError("--rest", format_quantity(rest, "s"), f"0, or at least {format_quantity(2 * edge, 's')} "
                         "(the inputs fall to 0 V and rise back with finite edges)")
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1:
        raise InputError("--epochs", epochs, "an integer >= 1")
    n_img = image_set_shape(images, "--images")[0]
    return {"present": present, "rest": rest, "stop": n_img * epochs * (present + rest)}


@lru_cache(maxsize=32)
def image_set_shape(spec: str, field: str) -> tuple[int, int]:
    """Number of images of a set and their pixel count (checked once per set, for every
    point of a study)."""
    images = load_image_set(spec, field)
    return len(images), int(np.prod(images.shape(field)))


def check_evaluation_sets(o: RunOptions) -> None:
    """The labelling and test sets a run names exist and fit its network, so that an
    evaluation after training cannot fail on them."""
    if o.test_images and not (o.label_images or o.images):
        raise InputError("--label-images", None, "an image set to label the outputs with, needed with "
                         "--test-images when training on one image")
    if not (o.label_images or o.test_images) or o.inference:
        return
    n_in = image_set_shape(o.images, "--images")[1] if o.images else int(np.asarray(load_image(o.image)[1]).size)
    for spec, field in ((o.label_images, "--label-images"), (o.test_images, "--test-images")):
        if spec and image_set_shape(spec, field)[1] != n_in:
            raise InputError(field, spec, f"images of {n_in} pixels, as the network trains on")


def check_options(o: RunOptions) -> None:
    """Refuse values the circuit cannot be simulated with."""
    for name, value in (("--cells", o.cells), ("--outputs", o.outputs)):
        if value < 1:
            raise InputError(name, value, "an integer >= 1")
    for name, value, unit in (("--vth", o.vth, "V"), ("--stop", o.stop, "s"), ("--step", o.step, "s"),
                              ("--spike-duration", o.spike_duration, "s"), ("--max-step", o.max_step, "s")):
        if value is not None and not value > 0:
            raise InputError(name, format_quantity(value, unit), "a value > 0")
    if o.dev < 0:
        raise InputError("--dev", o.dev, "a relative spread >= 0")
    if o.seed < 0:
        raise InputError("--seed", o.seed, "an integer >= 0")
    stop = format_quantity(o.stop, "s")
    if o.stop < PRINT_INTERVAL:
        if o.images:
            raise InputError("--present", format_quantity(o.present, "s"), f"long enough for a run of at least 1 ms "
                             f"(epochs x images x (present + rest) is {stop})")
        raise InputError("--stop", stop, "at least 1 ms: results are printed every 1 ms")
    if o.step is not None:
        step = format_quantity(o.step, "s")
        if o.step > MAX_FIXED_STEP and not o.allow_coarse_step:
            raise InputError("--step", step, f"at most {format_quantity(MAX_FIXED_STEP, 's')} to resolve the 0.2 us "
                             "fire-waveform segments; add --allow-coarse-step to force")
        if o.step > PRINT_INTERVAL:
            raise InputError("--step", step, "at most 1 ms, the print interval")
        if abs(o.stop / o.step - round(o.stop / o.step)) > 1e-6:
            raise InputError("--stop", stop, f"a whole number of steps of {step}")
    defects_of(o)  # refuses rates outside 0..1 or summing above 1
    for name, value in (("--inhibit-time", o.inhibit_time), ("--vth-tau", o.vth_tau)):
        if not value > 0:
            raise InputError(name, format_quantity(value, "s"), "a value > 0")
    if o.vth_step < 0:
        raise InputError("--vth-step", format_quantity(o.vth_step, "V"), "a threshold rise >= 0")
    if o.inhibition == "wta" and o.inhibit_time < FIRE_DURATION:
        raise InputError("--inhibit-time", format_quantity(o.inhibit_time, "s"), "at least 8.4 us: a firing neuron "
                         "drives the inhibition line for its whole fire")
    if o.images and o.rest == 0 and o.backend != "builtin" and o.stop > o.present * (1 + 1e-9):
        raise InputError("--rest", "0 s", f"at least 20 ns with the {o.backend} backend: between presentations the "
                         "inputs need finite edges, SPICE stops on a jump")
    check_evaluation_sets(o)
    if o.backend != "builtin" and o.cells > MAX_CELLS:
        raise InputError("--cells", o.cells, f"at most {MAX_CELLS} with the {o.backend} backend (state probes)")


def defects_of(o: RunOptions) -> Defects:
    """The defect rates of ``o``."""
    return Defects(stuck_p=o.stuck_p, stuck_ap=o.stuck_ap, open=o.open, short=o.short,
                   short_resistance=o.short_resistance)


def lif_of(o: RunOptions) -> LIFNeuron:
    """The output neurons of ``o``: threshold, lateral inhibition, homeostasis."""
    return LIFNeuron(vth=o.vth, t_inhibit=o.inhibit_time if o.inhibition == "wta" else 0.0, vth_step=o.vth_step,
                     vth_tau=o.vth_tau)


def sequence_of(o: RunOptions) -> Sequence:
    """The presentation schedule of ``o.images``: ``epochs`` passes in orders drawn from the seed."""
    images = load_image_set(o.images)
    return Sequence(np.stack(images.images), tuple(images.names), tuple(images.labels),
                    shuffled_order(len(images), o.epochs, o.seed), o.present, o.rest)


def build(o: RunOptions) -> tuple[Network, SimControl]:
    """Load the image and sample the network described by ``o`` (in inference, take the
    trained network of ``o.from_run`` and show it this image)."""
    sequence = sequence_of(o) if o.images else None
    name, image = (o.images, sequence.images[0]) if sequence else load_image(o.image)
    net = trained_network(o, name, np.asarray(image), lif_of(o), sequence) if o.inference else build_network(
        np.asarray(image),
        name,
        n_out=o.outputs,
        cells=o.cells,
        dev=o.dev,
        variability=o.variability,
        switching=o.switching,
        seed=o.seed,
        coding=Coding(*o.coding),
        input_neuron=InputNeuron(spike_duration=o.spike_duration),
        lif=lif_of(o),
        defects=defects_of(o),
        orientation=o.orientation,
        sequence=sequence,
    )
    control = SimControl(stop=o.stop, stepping=o.stepping, print_interval=PRINT_INTERVAL)
    if o.step is not None:
        control = replace(control, step=o.step)
    if o.max_step is not None:
        control = replace(control, max_step=o.max_step)
    return net, control
