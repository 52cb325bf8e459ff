"""Confusion matrix of an evaluation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from spinsnn.plots.figures import new_figure, save_figure


def plot_confusion(table: pd.DataFrame, title: str, stem: Path) -> list[Path]:
    """Counts of true (rows) against predicted (columns) labels, annotated."""
    counts = table.to_numpy()
    size = max(4.0, 0.42 * counts.shape[1] + 2.0)
    fig = new_figure(size, max(3.5, 0.42 * counts.shape[0] + 1.6))
    ax = fig.add_subplot()
    shown = ax.imshow(counts, cmap="Blues", vmin=0, vmax=max(1, counts.max()))
    ax.set_xticks(range(counts.shape[1]), table.columns, rotation=90 if counts.shape[1] > 12 else 0)
    ax.set_yticks(range(counts.shape[0]), table.index)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    for (r, c), n in np.ndenumerate(counts):
        if n:
            ax.text(c, r, str(n), ha="center", va="center", fontsize="x-small",
                    color="white" if n > counts.max() / 2 else "black")
    fig.colorbar(shown, ax=ax, label="test images", shrink=0.85)
    fig.suptitle(title, fontsize="medium")
    return save_figure(fig, stem)
