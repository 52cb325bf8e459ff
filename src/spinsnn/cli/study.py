"""``spinsnn study run`` and ``spinsnn study status``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from spinsnn.errors import InputError
from spinsnn.study.config import load_study
from spinsnn.study.index import INDEX
from spinsnn.study.runner import run_study

app = typer.Typer(help="Parameter studies: grids of runs from a TOML file, resumable, one index.",
                  no_args_is_help=True)
console = Console(stderr=True)


@app.command("run")
def run_command(
    study_file: Annotated[Path, typer.Argument(metavar="STUDY_FILE", help="Study file (TOML): out, base and grid "
                                                                          "tables, repeats or seeds.")],
    workers: Annotated[int | None, typer.Option(help="Local worker processes (default: CPU count).")] = None,
    dask: Annotated[str | None, typer.Option(help="Dask scheduler address, or local:N for a local cluster.")] = None,
    out: Annotated[Path | None, typer.Option(help="Study folder (overrides the file's 'out').")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Resume: finished runs are always skipped, so this "
                                                          "is what running a study again does anyway.")] = False,
    retry_failed: Annotated[bool, typer.Option(help="Run failed runs again.")] = False,
) -> None:
    """Run every point of a study that has not finished yet."""
    if workers is not None and workers < 1:
        raise InputError("--workers", workers, "an integer >= 1")
    study = load_study(study_file, out)
    with Progress(TextColumn("[bold]runs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("runs", total=None)
        try:
            summary = run_study(study, workers=workers, dask=dask, retry_failed=retry_failed,
                                on_start=lambda n: bar.update(task, total=n),
                                on_result=lambda m: bar.advance(task))
        except KeyboardInterrupt:
            console.print(f"spinsnn: study interrupted; run it again to resume (index: {study.out / INDEX})")
            raise typer.Exit(130) from None
    typer.echo(f"study {study.out}: {summary.done} done, {summary.failed} failed, {summary.skipped} skipped "
               f"(already finished) in {summary.wall_time_s:.1f} s; index: {study.out / INDEX}")
    if summary.failed:
        typer.echo(f"see failed runs with: spinsnn study status {study.out}")


@app.command("status")
def status_command(study_dir: Annotated[Path, typer.Argument(help="A study folder.")]) -> None:
    """Counts of runs by status, and the failed runs with their errors."""
    try:
        table = pd.read_csv(study_dir / INDEX, keep_default_na=False)
    except (OSError, pd.errors.ParserError):
        raise InputError("STUDY_DIR", str(study_dir), f"a study folder with {INDEX}") from None
    counts = table["status"].value_counts()
    typer.echo(f"{study_dir}: {len(table)} runs: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    for _, row in table[table["status"] == "failed"].iterrows():
        typer.echo(f"failed: {row['run']}: {row['error']}")
