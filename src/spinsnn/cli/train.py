"""``spinsnn train`` and ``spinsnn plot``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from spinsnn.run.folder import DATASET, PLOTS, RESULTS_TXT
from spinsnn.run.options import make_options
from spinsnn.run.train import Interrupted, plot_run, train

console = Console(stderr=True)


def train_command(
    image: Annotated[str, typer.Option(help="Letter (I O X C F H K L P T U Y) or a .npy image file.")],
    out: Annotated[Path, typer.Option(help="Run folder to write.")],
    cells: Annotated[int, typer.Option(help="MTJs in parallel per synapse.")] = 4,
    outputs: Annotated[int, typer.Option(help="Output neurons.")] = 1,
    dev: Annotated[str, typer.Option(help="Relative spread of tox, tsl and TMR (0 = none).")] = "0",
    variability: Annotated[str, typer.Option(help="normal | uniform")] = "normal",
    switching: Annotated[str, typer.Option(help="exponential | gaussian | deterministic")] = "exponential",
    vth: Annotated[str, typer.Option(help="Firing threshold of the output neurons, e.g. 12mV.")] = "12mV",
    stop: Annotated[str, typer.Option(help="Presenting (= simulated) time, e.g. 150ms.")] = "150ms",
    step: Annotated[str | None, typer.Option(help="Fixed time step, e.g. 100ns (selects fixed stepping).")] = None,
    spike_duration: Annotated[str, typer.Option(help="Ramp duration of an input spike, e.g. 10ms.")] = "10ms",
    coding: Annotated[str, typer.Option(help="BASE,MAX: a pixel p gives BASE + MAX*p/255 spikes.")] = "3,10",
    stepping: Annotated[str | None, typer.Option(help="fixed | adaptive (default: adaptive).")] = None,
    max_step: Annotated[str | None, typer.Option(help="Largest adaptive step (default 20us).")] = None,
    seed: Annotated[int, typer.Option(help="Run seed: variability, initial states, switching draws.")] = 0,
    backend: Annotated[str, typer.Option(help="Simulator: builtin | vacask | spectre.")] = "builtin",
    dry_run: Annotated[bool, typer.Option(help="Only write the simulator's input files (netlist).")] = False,
    allow_coarse_step: Annotated[bool, typer.Option(help="Accept a fixed step above 100 ns.")] = False,
    force: Annotated[bool, typer.Option(help="Overwrite a run already in --out.")] = False,
) -> None:
    """Train the MTJ-synapse network on one image and write a run folder."""
    options = make_options(
        image=image, cells=cells, outputs=outputs, dev=dev, variability=variability, switching=switching,
        vth=vth, stop=stop, step=step, spike_duration=spike_duration, coding=coding, stepping=stepping,
        max_step=max_step, seed=seed, backend=backend, allow_coarse_step=allow_coarse_step,
    )
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
    typer.echo(describe(options.image, manifest))
    typer.echo(f"results: {out / RESULTS_TXT}  {out / DATASET}")
    typer.echo(f"plots:   {out / PLOTS}/ (weight_history, membrane, weights_before_after; .pdf and .png)")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe(image: str, manifest: dict) -> str:
    """One line on a finished run: time, spikes, switchings, distance per output."""
    s, p = manifest["summary"], manifest["parameters"]
    dist = ", ".join(f"{a:.2f} -> {b:.2f}" for a, b in zip(s["distance_initial"], s["distance_final"]))
    per_output = " per output" if len(s["distance_final"]) > 1 else ""
    return (f"trained {image} ({p['cells']} cells/synapse, {p['stepping']} stepping) in "
            f"{manifest['wall_time_s']:.2f} s: {plural(s['output_spikes'], 'output spike')}, "
            f"{plural(s['switching_events'], 'MTJ switching')}, distance to image{per_output} {dist}")


def plot_command(run_dir: Annotated[Path, typer.Argument(help="A run folder written by spinsnn train.")]) -> None:
    """Re-draw the plots of a run from its saved results."""
    paths = plot_run(run_dir)
    typer.echo(f"wrote {len(paths)} files to {run_dir / PLOTS}/")
