"""Bar chart of a trained run's output spike counts per presented image."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from spinsnn.plots.figures import new_figure, save_figure


def plot_selectivity(table: pd.DataFrame, title: str, stem: Path) -> list[Path]:
    """One panel per output: spikes per image, the trained image highlighted."""
    outputs = sorted(table["output"].unique())
    fig = new_figure(max(5.0, 0.45 * table["image"].nunique() + 2), 2.4 * len(outputs) + 0.8)
    axes = np.atleast_1d(fig.subplots(len(outputs), 1, sharex=True, squeeze=False)).ravel()
    for ax, j in zip(axes, outputs):
        rows = table[table["output"] == j]
        colours = ["crimson" if t else "steelblue" for t in rows["trained"]]
        ax.bar(rows["image"].astype(str), rows["spikes"], color=colours)
        ax.set_ylabel(f"output {j + 1}\nspikes")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", alpha=0.3)
    axes[-1].set_xlabel("presented image (red: the image the run was trained on)")
    axes[-1].tick_params(axis="x", labelrotation=90 if table["image"].nunique() > 16 else 0)
    fig.suptitle(title, fontsize="medium")
    return save_figure(fig, stem)
