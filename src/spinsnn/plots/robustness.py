"""Robustness figures: final distance to the image against a swept parameter."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from spinsnn.analysis.robustness import ALL_IMAGES, x_positions
from spinsnn.plots.figures import new_figure, save_figure

SPREAD_NOTE = "error bars: standard deviation over seeds"


def draw_curves(ax, table: pd.DataFrame, x: str, curve: str | None) -> None:
    """One line per curve value (mean over seeds, with error bars when there are repeats)."""
    groups = table.groupby(curve, sort=True) if curve else [(None, table)]
    for value, rows in groups:
        rows = rows.sort_values(x)
        xs, labels = x_positions(rows[x])
        label = f"{curve} = {value}" if curve else "mean"
        yerr = rows["distance_std"].to_numpy() if (rows["runs"] > 1).any() else None
        ax.errorbar(xs, rows["distance_mean"].to_numpy(), yerr=yerr, marker="o", ms=3.5, lw=1.2, capsize=2.5,
                    label=label)
        if labels:
            ax.set_xticks(range(len(labels)), labels)
    start = table.groupby(x, sort=True)["distance_initial_mean"].mean()
    xs, _ = x_positions(pd.Series(start.index))
    ax.plot(xs, start.to_numpy(), color="grey", ls=":", lw=1, label="before training (mean)")
    ax.grid(alpha=0.3)


def y_top(table: pd.DataFrame) -> float:
    """Upper y limit that shows every mean with its error bar and the starting distances."""
    return 1.05 * float(max((table["distance_mean"] + table["distance_std"]).max(),
                            table["distance_initial_mean"].max()))


def plot_robustness(table: pd.DataFrame, x: str, curve: str | None, out_dir: Path) -> list[Path]:
    """``robustness`` (averaged over images) and, with several images, ``robustness_by_image``."""
    ylabel = "distance to image\n|| sum(ix)/cells - pixel/255 ||"
    has_repeats = bool((table["runs"] > 1).any())
    fig = new_figure(6.0, 4.0)
    ax = fig.add_subplot()
    averaged = table[table["image"] == ALL_IMAGES]
    images = sorted(i for i in table["image"].unique() if i != ALL_IMAGES)
    shown = averaged if not averaged.empty else table
    draw_curves(ax, shown, x, curve)
    ax.set_ylim(0, y_top(shown))
    ax.set_xlabel(x)
    ax.set_ylabel(ylabel)
    scope = f"averaged over {len(images)} images" if len(images) > 1 else f"image {images[0]}" if images else ""
    ax.set_title(f"Final distance to the image against {x}, {scope}" + (f"\n({SPREAD_NOTE})" if has_repeats else ""),
                 fontsize="medium")
    ax.legend(fontsize="small", frameon=False)
    paths = save_figure(fig, out_dir / "robustness")
    if len(images) > 1:
        paths += plot_by_image(table, images, x, curve, ylabel, out_dir)
    return paths


def plot_by_image(table: pd.DataFrame, images: list[str], x: str, curve: str | None, ylabel: str,
                  out_dir: Path) -> list[Path]:
    """A grid with one panel per image and a last panel averaged over them."""
    panels = images + [ALL_IMAGES]
    cols = min(4, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig = new_figure(3.2 * cols, 2.6 * rows + 0.6)
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)).ravel()
    for ax, image in zip(axes, panels):
        draw_curves(ax, table[table["image"] == image], x, curve)
        ax.set_title("all images (mean)" if image == ALL_IMAGES else f"image {image}", fontsize="small")
    axes[0].set_ylim(0, y_top(table))  # the panels share their y axis
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    for ax in axes[:len(panels)]:
        ax.set_xlabel(x, fontsize="small")
    for ax in axes[::cols]:
        ax.set_ylabel(ylabel, fontsize="small")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 6), fontsize="small",
               frameon=False)
    fig.suptitle(f"Final distance to the image against {x}, per image", fontsize="medium")
    return save_figure(fig, out_dir / "robustness_by_image")
