"""``spinsnn analyze``: robustness of a study, selectivity of a trained run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from spinsnn.analysis.selectivity import SELECTIVITY, run_selectivity
from spinsnn.images.sets import load_image_set
from spinsnn.network.storage import load_network
from spinsnn.plots.selectivity import plot_selectivity
from spinsnn.run.folder import NETWORK
from spinsnn.units import parse_quantity
from spinsnn.analysis.robustness import ROBUSTNESS, default_curve, read_index, study_robustness
from spinsnn.plots.robustness import plot_robustness

app = typer.Typer(help="Analyses of saved results: robustness of a study, selectivity of a trained run.",
                  no_args_is_help=True)
console = Console(stderr=True)


@app.command("robustness")
def robustness_command(
    study_dir: Annotated[Path, typer.Argument(help="A study folder (with index.csv).")],
    x: Annotated[str, typer.Option(help="Swept parameter on the x axis (dev, vth, stuck_ap, ...).")] = "dev",
    curves: Annotated[str | None, typer.Option(help="Swept parameter with one curve per value "
                                                    "(default: cells, if swept).")] = None,
) -> None:
    """Final distance to the image against a swept parameter: robustness.csv and figures."""
    curve = curves or default_curve(read_index(study_dir), x)
    table = study_robustness(study_dir, x, curve)
    paths = plot_robustness(table, x, curve, study_dir)
    typer.echo(f"wrote {study_dir / ROBUSTNESS} ({len(table)} rows) and {', '.join(p.name for p in paths)} "
               f"in {study_dir}/")


@app.command("selectivity")
def selectivity_command(
    run_dir: Annotated[Path, typer.Argument(help="A trained run folder.")],
    images: Annotated[str, typer.Option(help="letters, letters:I,O,X, digits:0-9, a folder of .npy "
                                             "or a .npz bundle.")] = "letters",
    stop: Annotated[str | None, typer.Option(help="Presenting time per image (default: the run's).")] = None,
) -> None:
    """Present each image to the trained network (inference): spikes per image and output."""
    image_set = load_image_set(images)
    with Progress(TextColumn("[bold]images"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("images", total=len(image_set))
        table = run_selectivity(run_dir, image_set, parse_quantity(stop, "s", "--stop") if stop else None,
                                progress=lambda n: bar.update(task, completed=n))
    net = load_network(run_dir / NETWORK)
    paths = plot_selectivity(table, f"Inference responses of the network trained on {net.image_name} "
                             f"({net.cells} cells/synapse)", run_dir / "plots" / "selectivity")
    for j, rows in table.groupby("output"):
        ranked = rows.sort_values("spikes", ascending=False)
        typer.echo(f"output {j + 1}: " + "  ".join(f"{r.image} {r.spikes}" for r in ranked.itertuples()))
    typer.echo(f"wrote {run_dir / SELECTIVITY} and {', '.join(str(p) for p in paths)}")

