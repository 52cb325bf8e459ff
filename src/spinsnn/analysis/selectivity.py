"""Selectivity of a trained run: how its outputs answer each image of a set, in inference."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from spinsnn.images.sets import ImageSet
from spinsnn.network.description import SimControl
from spinsnn.network.storage import load_network
from spinsnn.run import folder
from spinsnn.run.files import write_atomic
from spinsnn.run.inference import presenting_time, responses, trained_parameters, trained_states

SELECTIVITY = "selectivity.csv"


def run_selectivity(run_dir: Path, images: ImageSet, stop: float | None = None,
                    progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Spike counts per (image, output) of the trained run, written to ``selectivity.csv``.

    Each image is presented for ``stop`` (default: the run's own presenting time) to the
    trained network with its final MTJ states frozen; ``trained`` marks the run's own image(s).
    """
    run_dir = Path(run_dir)
    params = trained_parameters(run_dir)
    net = load_network(run_dir / folder.NETWORK)
    images.shape("--images")
    control = SimControl(stop=stop or presenting_time(params))
    table = responses(net, trained_states(run_dir), images, control, progress)
    table.insert(1, "trained", table["image"].isin(net.target_names()))
    table["rank"] = table.groupby("output")["spikes"].rank(ascending=False, method="min").astype(int)
    write_atomic(run_dir / SELECTIVITY, lambda p: table.to_csv(p, index=False))
    return table
