"""Save and load a network description as one ``.npz`` (arrays + JSON metadata, no pickle)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np

from spinsnn.devices.defects import Defects
from spinsnn.devices.mtj import MTJParams
from spinsnn.errors import InputError
from spinsnn.network.description import Coding, InputNeuron, LIFNeuron, Network, Sequence

ARRAYS = ("image", "tox", "tsl", "tmr", "initial_state", "switch_seed", "defect")


def network_metadata(net: Network) -> dict:
    """Every scalar of the description, as JSON-ready values."""
    return {
        "image_name": net.image_name,
        "n_out": net.n_out,
        "cells": net.cells,
        "switching": net.switching,
        "variability": net.variability,
        "dev": net.dev,
        "seed": net.seed,
        "coding": asdict(net.coding),
        "input_neuron": asdict(net.input_neuron),
        "lif": asdict(net.lif),
        "mtj": net.mtj.to_dict(),
        "defects": net.defects.to_dict(),
        "plastic": net.plastic,
        "orientation": net.orientation,
        "sequence": None if net.sequence is None else {
            "names": list(net.sequence.names), "labels": list(net.sequence.labels),
            "present": net.sequence.present, "rest": net.sequence.rest},
    }


def save_network(net: Network, path: Path) -> None:
    """Write ``net`` to ``path`` (``.npz``); ``load_network`` gives it back exactly."""
    arrays = {name: getattr(net, name) for name in ARRAYS}
    if net.sequence is not None:
        arrays.update(sequence_images=net.sequence.images, sequence_order=net.sequence.order)
    meta = np.array(json.dumps(network_metadata(net)))
    with open(path, "wb") as fh:
        np.savez_compressed(fh, meta=meta, **arrays)


def load_network(path: Path) -> Network:
    """Read a network written by :func:`save_network`."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            arrays = {name: data[name] for name in ARRAYS}
            seq = meta.pop("sequence", None)
            sequence = None if seq is None else Sequence(
                images=data["sequence_images"], names=tuple(seq["names"]), labels=tuple(seq["labels"]),
                order=data["sequence_order"], present=seq["present"], rest=seq["rest"])
    except (OSError, KeyError, ValueError) as exc:
        raise InputError("network", str(path), f"a network.npz written by spinsnn ({exc})") from None
    return Network(
        coding=Coding(**meta.pop("coding")),
        input_neuron=InputNeuron(**meta.pop("input_neuron")),
        lif=LIFNeuron(**meta.pop("lif")),
        mtj=MTJParams(**meta.pop("mtj")),
        defects=Defects(**meta.pop("defects")),
        sequence=sequence,
        **meta,
        **arrays,
    )
