"""Plots of one training run: weight history, membrane potential, weights before/after."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from spinsnn.plots.figures import new_figure, save_figure

MS = 1e3
MV = 1e3


def plot_weight_history(ds: xr.Dataset, pixels: np.ndarray, stem: Path) -> list[Path]:
    """Weight history of every output: mean ``sum(ix)/cells`` over bright and dark pixels
    and the distance to the image (top), and every synapse as a heat map (bottom)."""
    n_in, n_out = ds.attrs["n_in"], ds.attrs["n_out"]
    t = ds["time"].values * MS
    w = ds["weight"].values
    bright = pixels > 127
    target = pixels / 255.0
    fig = new_figure(7.5, 4.6 * n_out)
    axes = fig.subplots(2 * n_out, 1, sharex=True, squeeze=False)[:, 0]
    for j in range(n_out):
        wj = w[:, j * n_in:(j + 1) * n_in]
        top, heat = axes[2 * j], axes[2 * j + 1]
        if bright.any():
            top.step(t, wj[:, bright].mean(axis=1), where="post", color="goldenrod", label="bright pixels (mean)")
        if (~bright).any():
            top.step(t, wj[:, ~bright].mean(axis=1), where="post", color="navy", label="dark pixels (mean)")
        top.set_ylabel("sum(ix)/cells")
        top.set_ylim(-0.05, 1.05)
        dist = top.twinx()
        dist.step(t, np.linalg.norm(wj - target, axis=1), where="post", color="grey", ls="--", label="distance")
        dist.set_ylabel("distance to image", color="grey")
        top.legend(loc="center left", fontsize="small")
        for ts in ds["spike_time"].values[ds["spike_neuron"].values == j]:
            top.axvline(ts * MS, color="crimson", lw=0.6, ls=":")
        top.set_title(f"Output {j + 1}: weights (dotted red: output spikes)", fontsize="medium")
        shown = heat.imshow(wj.T, aspect="auto", origin="lower", cmap="gray", vmin=0, vmax=1,
                            extent=(t[0], t[-1], 0.5, n_in + 0.5), interpolation="nearest")
        heat.set_ylabel("input (synapse)")
        fig.colorbar(shown, ax=heat, label="sum(ix)/cells", pad=0.01)
    axes[-1].set_xlabel("time (ms)")
    return save_figure(fig, stem)


def plot_membrane(ds: xr.Dataset, vth: float, stem: Path) -> list[Path]:
    """Membrane (capacitor) voltage of every output neuron, with the threshold."""
    t = ds["sample_time"].values * MS
    v = ds["membrane"].values * MV
    fig = new_figure(7.0, 3.0)
    ax = fig.add_subplot()
    for j in range(v.shape[1]):
        ax.plot(t, v[:, j], lw=0.8, label=f"output {j + 1}")
    ax.axhline(vth * MV, color="crimson", ls="--", lw=0.8, label=f"threshold {vth * MV:g} mV")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("membrane V(cap) (mV)")
    ax.legend(loc="upper right", fontsize="small")
    ax.set_title(f"Membrane potential ({ds['spike_time'].size} output spikes)")
    return save_figure(fig, stem)


def plot_weights_before_after(ds: xr.Dataset, image: np.ndarray, stem: Path) -> list[Path]:
    """Input image, then initial and final normalised weights of each output as images."""
    n_in, n_out = ds.attrs["n_in"], ds.attrs["n_out"]
    shape = image.shape
    w = ds["weight"].values
    fig = new_figure(7.5, 2.6 * n_out + 0.4)
    axes = fig.subplots(n_out, 3, squeeze=False)
    for j in range(n_out):
        panels = [(image / 255.0, "input image / 255"),
                  (w[0, j * n_in:(j + 1) * n_in].reshape(shape), "weights before"),
                  (w[-1, j * n_in:(j + 1) * n_in].reshape(shape), "weights after")]
        for ax, (data, title) in zip(axes[j], panels):
            shown = ax.imshow(data, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            ax.set_title(f"{title}" + (f" (output {j + 1})" if n_out > 1 and title != panels[0][1] else ""),
                         fontsize="small")
            ax.set_xticks([])
            ax.set_yticks([])
    fig.colorbar(shown, ax=axes.ravel().tolist(), label="sum(ix)/cells (1 = all AP)", shrink=0.8)
    return save_figure(fig, stem)


def plot_training(ds: xr.Dataset, image: np.ndarray, vth: float, plot_dir: Path) -> list[Path]:
    """All plots of a run into ``plot_dir``; returns the written files."""
    pixels = np.asarray(image, dtype=float).ravel()
    return (plot_weight_history(ds, pixels, plot_dir / "weight_history")
            + plot_membrane(ds, vth, plot_dir / "membrane")
            + plot_weights_before_after(ds, np.asarray(image, dtype=float), plot_dir / "weights_before_after"))
