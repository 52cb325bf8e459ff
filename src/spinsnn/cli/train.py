"""``spinsnn train`` and ``spinsnn plot``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from spinsnn.run.folder import DATASET, PLOTS, RESULTS_TXT
from spinsnn.errors import InputError
from spinsnn.run.options import make_options
from spinsnn.run.train import Interrupted, plot_run, train
from spinsnn.study.config import load_run_config, validate
from spinsnn.units import format_quantity

console = Console(stderr=True)


def train_command(
    out: Annotated[Path, typer.Option(help="Run folder to write.")],
    image: Annotated[str | None, typer.Option(help="Letter (I O X C F H K L P T U Y) or a .npy image file.")] = None,
    config: Annotated[Path | None, typer.Option(help="TOML file of these options (the command line overrides it).")] = None,
    cells: Annotated[int | None, typer.Option(help="MTJs in parallel per synapse (default: 4).")] = None,
    outputs: Annotated[int | None, typer.Option(help="Output neurons (default: 1).")] = None,
    dev: Annotated[str | None, typer.Option(help="Relative spread of tox, tsl and TMR (default: 0).")] = None,
    variability: Annotated[str | None, typer.Option(help="normal | uniform (default: normal).")] = None,
    switching: Annotated[str | None, typer.Option(help="exponential | gaussian | deterministic "
                                                       "(default: exponential).")] = None,
    vth: Annotated[str | None, typer.Option(help="Firing threshold of the output neurons (default: 12mV).")] = None,
    stop: Annotated[str | None, typer.Option(help="Presenting (= simulated) time (default: 150ms).")] = None,
    step: Annotated[str | None, typer.Option(help="Fixed time step, e.g. 100ns (selects fixed stepping).")] = None,
    spike_duration: Annotated[str | None, typer.Option(help="Ramp of an input spike (default: 10ms).")] = None,
    coding: Annotated[str | None, typer.Option(help="BASE,MAX: a pixel p gives BASE + MAX*p/255 spikes "
                                                    "(default: 3,10).")] = None,
    stepping: Annotated[str | None, typer.Option(help="fixed | adaptive (default: adaptive).")] = None,
    max_step: Annotated[str | None, typer.Option(help="Largest adaptive step (default: 20us).")] = None,
    seed: Annotated[int | None, typer.Option(help="Run seed: variability, initial states, switching draws "
                                                  "(default: 0).")] = None,
    backend: Annotated[str | None, typer.Option(help="Simulator: builtin | vacask | spectre "
                                                     "(default: builtin).")] = None,
    stuck_p: Annotated[str | None, typer.Option(help="Defect rate: probability that an MTJ is stuck in P "
                                                     "(default: 0).")] = None,
    stuck_ap: Annotated[str | None, typer.Option(help="Defect rate: stuck in AP (default: 0).")] = None,
    open_rate: Annotated[str | None, typer.Option("--open", help="Defect rate: open MTJ, conducts nothing "
                                                               "(default: 0).")] = None,
    short: Annotated[str | None, typer.Option(help="Defect rate: shorted MTJ (default: 0).")] = None,
    short_resistance: Annotated[str | None, typer.Option(help="Resistance of a shorted MTJ "
                                                              "(default: 100Ohm).")] = None,
    images: Annotated[str | None, typer.Option(help="Image set shown in turn instead of --image: letters, "
                                                    "letters:I,O,X, digits:0-9, a folder of .npy or a .npz.")] = None,
    present: Annotated[str | None, typer.Option(help="Presentation time per image of --images "
                                                     "(default: 150ms).")] = None,
    rest: Annotated[str | None, typer.Option(help="Gap after each presentation, inputs at 0 V (default: 0s).")] = None,
    epochs: Annotated[int | None, typer.Option(help="Passes over --images, each shuffled (default: 1).")] = None,
    inhibition: Annotated[str | None, typer.Option(help="none | wta: a fire holds every output, the "
                                                        "winner once its fire ends (default: none).")] = None,
    inhibit_time: Annotated[str | None, typer.Option(help="How long from its start a fire holds the "
                                                          "outputs (wta) (default: 5ms).")] = None,
    vth_step: Annotated[str | None, typer.Option(help="Homeostasis: threshold rise per fire (default: 0V, off).")] = None,
    vth_tau: Annotated[str | None, typer.Option(help="Homeostasis: relaxation time of the rise (default: 1s).")] = None,
    orientation: Annotated[str | None, typer.Option(help="out-in (published: MTJ T1 on the output) | in-out "
                                                         "(default: out-in).")] = None,
    label_images: Annotated[str | None, typer.Option(help="Image set spinsnn evaluate labels outputs with.")] = None,
    test_images: Annotated[str | None, typer.Option(help="Image set spinsnn evaluate measures accuracy on.")] = None,
    inference: Annotated[bool, typer.Option(help="No switching: present the image to the trained network "
                                                 "of --from.")] = False,
    from_run: Annotated[str | None, typer.Option("--from", help="Trained run folder (with --inference).")] = None,
    dry_run: Annotated[bool, typer.Option(help="Only write the simulator's input files (netlist).")] = False,
    allow_coarse_step: Annotated[bool, typer.Option(help="Accept a fixed step above 100 ns.")] = False,
    force: Annotated[bool, typer.Option(help="Overwrite a run already in --out.")] = False,
) -> None:
    """Train the MTJ-synapse network on one image (--image) or a sequence (--images) and write a run folder."""
    given = {"image": image, "cells": cells, "outputs": outputs, "dev": dev, "variability": variability,
             "switching": switching, "vth": vth, "stop": stop, "step": step, "spike_duration": spike_duration,
             "coding": coding, "stepping": stepping, "max_step": max_step, "seed": seed, "backend": backend,
             "allow_coarse_step": allow_coarse_step or None, "stuck_p": stuck_p, "stuck_ap": stuck_ap,
             "open": open_rate, "short": short, "short_resistance": short_resistance,
             "inference": inference or None, "from_run": from_run, "images": images, "present": present,
             "rest": rest, "epochs": epochs, "inhibition": inhibition, "inhibit_time": inhibit_time,
             "vth_step": vth_step, "vth_tau": vth_tau, "orientation": orientation, "label_images": label_images,
             "test_images": test_images}
    from_file = load_run_config(config) if config else {}
    from_cli = {k: v for k, v in given.items() if v is not None}
    merged = {**from_file, **from_cli}
    if not ({"image", "images"} & set(merged) or merged.get("inference")):
        raise InputError("--image", None, "a letter or a .npy file (or --images), on the command line or in --config")
    where = {key: f"{config}: " for key in from_file if key not in from_cli}
    options = validate(merged, where)
    with Progress(TextColumn("[bold]simulating"), BarColumn(), TextColumn("{task.fields[t]:>7.1f} / "
                  "{task.total:.1f} ms"), TimeElapsedColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task("sim", total=options.stop * 1e3, t=0.0)

        def progress(t: float) -> None:
            bar.update(task, completed=t * 1e3, t=t * 1e3)

        try:
            manifest = train(options, out, force=force, argv=sys.argv[1:], progress=progress, dry_run=dry_run)
        except Interrupted as exc:
            console.print(f"spinsnn: {exc}")
            raise typer.Exit(130) from None
    if manifest["status"] in ("dry-run", "written"):
        typer.echo(f"wrote {', '.join(manifest['files']) or 'the network description'} in {out}/")
        if "how_to_run" in manifest:
            typer.echo(manifest["how_to_run"])
        return
    typer.echo(describe(manifest["network"]["image_name"], manifest))
    typer.echo(f"results: {out / RESULTS_TXT}  {out / DATASET}")
    typer.echo(f"plots:   {out / PLOTS}/ (weight_history, membrane, weights_before_after; .pdf and .png)")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe(image: str, manifest: dict) -> str:
    """One line on a finished run: time, spikes, switchings (or energy per spike), distance per output."""
    s, p, e = manifest["summary"], manifest["parameters"], manifest["energy"]
    dist = ", ".join(f"{a:.2f} -> {b:.2f}" for a, b in zip(s["distance_initial"], s["distance_final"]))
    per_output = " per output" if len(s["distance_final"]) > 1 else ""
    if "closest_image" in s:  # a sequence: each output against the image its weights end closest to
        dist = ", ".join(f"{name} {a:.2f} -> {b:.2f}" for name, a, b in
                         zip(s["closest_image"], s["distance_initial"], s["distance_final"]))
        per_output = " (closest image per output)"
    what = f"inference on {image} with the network of {p['from_run']}" if p.get("inference") else f"trained {image}"
    per_spike = e["per_output_spike_J"]
    cost = f"{format_quantity(per_spike, 'J', 2)} per output spike, " if per_spike is not None else ""
    return (f"{what} ({p['cells']} cells/synapse, {p['stepping']} stepping) in "
            f"{manifest['wall_time_s']:.2f} s: {plural(s['output_spikes'], 'output spike')}, "
            f"{plural(s['switching_events'], 'MTJ switching')}, {cost}distance to image{per_output} {dist}")


def plot_command(run_dir: Annotated[Path, typer.Argument(help="A run folder written by spinsnn train.")]) -> None:
    """Re-draw the plots of a run from its saved results."""
    paths = plot_run(run_dir)
    typer.echo(f"wrote {len(paths)} files to {run_dir / PLOTS}/")
