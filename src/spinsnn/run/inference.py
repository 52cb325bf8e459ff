"""Inference runs: a trained network, its MTJ states frozen, shown an image.

An inference run takes everything that defines the synapses (device parameters, defects,
the trained final states) from a finished run folder; only the presentation (image,
coding, threshold, simulation control) may be set anew. No MTJ switches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from spinsnn.engine.simulate import simulate
from spinsnn.errors import InputError
from spinsnn.images.sets import ImageSet
from spinsnn.network.description import Coding, InputNeuron, LIFNeuron, Network, Sequence, SimControl
from spinsnn.network.storage import load_network
from spinsnn.run import folder
from spinsnn.run.results import load_dataset

#: options fixed by the trained run: an inference run takes them from its manifest
NETWORK_KEYS = ("cells", "outputs", "dev", "variability", "switching", "seed", "stuck_p", "stuck_ap", "open",
                "short", "short_resistance", "orientation")
#: options an inference run takes from the trained run unless given
PRESENTATION_KEYS = ("vth", "coding", "spike_duration", "inhibition", "inhibit_time", "label_images", "test_images")


def trained_parameters(run_dir: Path | str) -> dict:
    """The options a finished run was trained with (its manifest's ``parameters``)."""
    manifest = folder.read_manifest(Path(run_dir))
    if not (Path(run_dir) / folder.DATASET).exists():
        raise InputError("--from", str(run_dir), f"a run with results (this one is '{manifest.get('status')}')")
    return manifest["parameters"]


def with_trained_network(options, given: set[str], name: Callable[[str], str]):
    """``options`` of an inference run with the network keys of the trained run (and its
    image, unless one is given).

    A network key among ``given`` with another value than the trained run's is refused
    (``name(key)`` says where it came from).
    """
    trained = trained_parameters(options.from_run)
    for key in NETWORK_KEYS:
        if key in given and getattr(options, key) != trained.get(key):
            raise InputError(name(key), getattr(options, key), f"{trained.get(key)!r}, as trained in "
                             f"{options.from_run}: an inference run keeps the trained network")
    keep = [key for key in (*NETWORK_KEYS, *PRESENTATION_KEYS) if key in trained and key not in given]
    values = {key: tuple(trained[key]) if key == "coding" else trained[key] for key in keep}
    if not {"image", "images"} & given:
        if trained.get("images"):
            raise InputError("--image", None, f"an image to show: {options.from_run} was trained on a set")
        values["image"] = trained["image"]
    if trained.get("images") and "stop" not in given and not options.images:
        values["stop"] = trained["present"]  # one presentation, as long as in training
    if options.images and trained.get("images"):  # a sequence, timed as in training unless given
        timing = {key: trained[key] for key in ("present", "rest") if key not in given}
        present, rest = timing.get("present", options.present), timing.get("rest", options.rest)
        values.update(timing, stop=options.stop / (options.present + options.rest) * (present + rest))
    return replace(options, **values)


def presenting_time(params: dict) -> float:
    """How long a trained run showed each image: its ``present`` with a sequence, else its ``stop``."""
    return params["present"] if params.get("images") else params["stop"]


def trained_states(run_dir: Path) -> np.ndarray:
    """Final MTJ states of a run, ``(n_mtj,)`` int8."""
    return load_dataset(Path(run_dir) / folder.DATASET)["final_state"].values.astype(np.int8)


def freeze(net: Network, image: np.ndarray, image_name: str, states: np.ndarray,
           sequence: Sequence | None = None) -> Network:
    """``net`` with ``states`` frozen (no switching), shown ``image`` (or ``sequence``)
    instead of what it was trained on; homeostasis is off."""
    if np.asarray(image).size != net.n_in:
        raise InputError("--image", image_name, f"an image of {net.n_in} pixels, as the trained network has "
                         f"(not {np.asarray(image).shape})")
    return replace(net, image=np.asarray(image), image_name=image_name, plastic=False, sequence=sequence,
                   initial_state=np.asarray(states, dtype=np.int8).reshape(net.initial_state.shape),
                   lif=replace(net.lif, vth_step=0.0))


def trained_network(o, image_name: str, image: np.ndarray, lif: LIFNeuron, sequence: Sequence | None) -> Network:
    """The network of run ``o.from_run`` with its final states, frozen, for options ``o``."""
    run_dir = Path(o.from_run)
    net = load_network(run_dir / folder.NETWORK)
    net = replace(net, coding=Coding(*o.coding), input_neuron=InputNeuron(spike_duration=o.spike_duration), lif=lif)
    return freeze(net, image, image_name, trained_states(run_dir), sequence)


def responses(net: Network, states: np.ndarray, images: ImageSet, control: SimControl,
              progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Output spike counts of ``net`` with frozen ``states`` for every image of the set.

    One inference run (builtin engine) per image, each from the same states; returns one
    row per (image, output) with the spike count, the energy per output spike and the
    conductance overlap ``sum(g * pixel/255) / sum(g)`` of that output's synapses.
    """
    g = net.conductance(np.asarray(states)).reshape(net.n_out, net.n_in)
    rows = []
    for n, (name, image, label) in enumerate(zip(images.names, images.images, images.labels)):
        shown = freeze(net, image, name, states)
        res = simulate(shown, control)
        counts = np.bincount(res.spike_neuron, minlength=net.n_out)
        energy = res.synapse_energy + res.neuron_energy
        pixels = shown.pixels / 255.0
        for j in range(net.n_out):
            rows.append({"image": name, "label": label, "output": j, "spikes": int(counts[j]),
                         "overlap": float(g[j] @ pixels / g[j].sum()) if g[j].sum() > 0 else 0.0,
                         "energy_per_spike_J": float(energy.sum() / counts.sum()) if counts.sum() else None})
        if progress:
            progress(n + 1)
    return pd.DataFrame(rows)
