"""Plots of one training run: weight history, membrane potential, weights before/after."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from spinsnn.analysis.distance import closest_target, distance_to_image
from spinsnn.network.description import Network
from spinsnn.plots.figures import new_figure, save_figure

MS = 1e3
MV = 1e3


def run_label(net: Network) -> str:
    """Short description of a run for figure titles."""
    return (f"{net.image_name}, {net.cells} cells/synapse, dev {net.dev:g} ({net.variability}), "
            f"{net.switching} switching, seed {net.seed}")


def output_targets(ds: xr.Dataset, net: Network) -> list[tuple[np.ndarray, str]]:
    """Per output, the image its weights are compared with: the run's image, or with a
    sequence the image closest to its final weights."""
    _, closest = closest_target(ds["weight"].values[-1:], net.targets())
    names = net.target_names()
    return [(net.targets()[c], names[c]) for c in closest]


def presentation_marks(ax, ds: xr.Dataset) -> None:
    """Mark presentation starts (with the image name) on a time axis (ms), if not too many."""
    if "presentation_start" not in ds or ds["presentation_start"].size > 40:
        return
    names = ds["image_name"].values
    for start, img in zip(ds["presentation_start"].values, ds["presentation_image"].values):
        ax.axvline(start * MS, color="grey", lw=0.5)
        ax.text(start * MS, 1.0, f" {names[img]}", transform=ax.get_xaxis_transform(), fontsize="x-small",
                va="bottom", color="dimgrey")


def spike_lines(ax, ds: xr.Dataset, j: int) -> None:
    """Mark the fires of output ``j`` on a time axis (ms)."""
    for ts in ds["spike_time"].values[ds["spike_neuron"].values == j]:
        ax.axvline(ts * MS, color="crimson", lw=0.6, ls=":")


def plot_weight_history(ds: xr.Dataset, net: Network, stem: Path) -> list[Path]:
    """Per output: mean weight of bright and dark pixels, distance to the image, and
    every synapse as a heat map, against time."""
    n_in, n_out = net.n_in, net.n_out
    t = ds["time"].values * MS
    w = ds["weight"].values
    fig = new_figure(7.5, 5.6 * n_out)
    axes = fig.subplots(3 * n_out, 1, sharex=True, squeeze=False, height_ratios=[1, 0.7, 1.4] * n_out)[:, 0]
    for j, (pixels, target) in enumerate(output_targets(ds, net)):
        bright = pixels > 127
        wj = w[:, j * n_in:(j + 1) * n_in]
        means, dist, heat = axes[3 * j:3 * j + 3]
        if bright.any():
            means.step(t, wj[:, bright].mean(axis=1), where="post", color="goldenrod",
                       label=f"bright pixels ({bright.sum()})")
        if (~bright).any():
            means.step(t, wj[:, ~bright].mean(axis=1), where="post", color="navy",
                       label=f"dark pixels ({(~bright).sum()})")
        means.set_ylabel("mean\nsum(ix)/cells")
        means.set_ylim(-0.05, 1.05)
        means.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
        against = f"image {target}" if net.sequence is None else f"image {target} (closest at the end)"
        means.set_title(f"Output {j + 1}: weights during training against {against}\n"
                        "(dotted red lines: output spikes)", fontsize="medium",
                        pad=12 if "presentation_start" in ds else None)
        dist.step(t, distance_to_image(wj, pixels)[:, 0], where="post", color="black")
        dist.set_ylabel("distance\nto image")
        dist.text(1.01, 0.5, "|| sum(ix)/cells\n - pixel/255 ||", transform=dist.transAxes, fontsize="small",
                  va="center")
        shown = heat.imshow(wj.T, aspect="auto", origin="upper", cmap="gray", vmin=0, vmax=1,
                            extent=(t[0], t[-1], n_in - 0.5, -0.5), interpolation="nearest")
        heat.set_ylabel(f"pixel index\n(row-major, {net.image.shape[0]}x{net.image.shape[1]})")
        fig.colorbar(shown, ax=heat, label="sum(ix)/cells", location="right", fraction=0.05, pad=0.01)
        for ax in (means, dist, heat):
            spike_lines(ax, ds, j)
        presentation_marks(means, ds)
    axes[-1].set_xlabel("time (ms)")
    fig.suptitle(run_label(net), fontsize="small")
    return save_figure(fig, stem)


def plot_membrane(ds: xr.Dataset, net: Network, stem: Path) -> list[Path]:
    """Membrane (capacitor) voltage of every output neuron, with the threshold."""
    t = ds["sample_time"].values * MS
    v = ds["membrane"].values * MV
    fig = new_figure(7.5, 3.2)
    ax = fig.add_subplot()
    for j in range(v.shape[1]):
        ax.plot(t, v[:, j], lw=0.8, label=f"output {j + 1}")
    ax.axhline(net.lif.vth * MV, color="crimson", ls="--", lw=0.8, label=f"threshold {net.lif.vth * MV:g} mV")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("membrane V(cap) (mV)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    ax.set_title(f"Membrane potential: {ds['spike_time'].size} output spikes", fontsize="medium",
                 pad=12 if "presentation_start" in ds else None)
    presentation_marks(ax, ds)
    fig.suptitle(run_label(net), fontsize="small")
    return save_figure(fig, stem)


def plot_weights_before_after(ds: xr.Dataset, net: Network, stem: Path) -> list[Path]:
    """Per output: the input image, then the normalised weights at the start and end."""
    n_in, n_out = net.n_in, net.n_out
    shape = net.image.shape
    w = ds["weight"].values
    t_end = ds["time"].values[-1] * MS
    fig = new_figure(8.0, 2.9 * n_out + 0.5)
    axes = fig.subplots(n_out, 3, squeeze=False)
    for j, (pixels, target) in enumerate(output_targets(ds, net)):
        before, after = w[0, j * n_in:(j + 1) * n_in], w[-1, j * n_in:(j + 1) * n_in]
        panels = [(pixels.reshape(shape) / 255.0, f"image {target} (pixel/255)"),
                  (before.reshape(shape), f"weights at 0 ms\ndistance {distance_to_image(before, pixels)[0]:.2f}"),
                  (after.reshape(shape), f"weights at {t_end:g} ms\ndistance {distance_to_image(after, pixels)[0]:.2f}")]
        for ax, (data, title) in zip(axes[j], panels):
            shown = ax.imshow(data, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            ax.set_title(title if n_out == 1 else f"output {j + 1}: {title}", fontsize="small")
            if max(shape) <= 16:
                ax.set_xticks(range(shape[1]))
                ax.set_yticks(range(shape[0]))
            ax.set_xlabel("column", fontsize="small")
        axes[j, 0].set_ylabel("row", fontsize="small")
    fig.colorbar(shown, ax=axes.ravel().tolist(), shrink=0.8,
                 label="pixel/255, or sum(ix)/cells (1 = all AP)")
    fig.suptitle(run_label(net), fontsize="small")
    return save_figure(fig, stem)


def plot_training(ds: xr.Dataset, net: Network, plot_dir: Path) -> list[Path]:
    """All plots of a run into ``plot_dir``; returns the written files."""
    return (plot_weight_history(ds, net, plot_dir / "weight_history")
            + plot_membrane(ds, net, plot_dir / "membrane")
            + plot_weights_before_after(ds, net, plot_dir / "weights_before_after"))
