"""``spinsnn evaluate``: classification accuracy of a trained run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from spinsnn.analysis.evaluation import EVALUATION, evaluate, image_set_specs, same_images
from spinsnn.errors import InputError
from spinsnn.images.sets import load_image_set
from spinsnn.plots.confusion import plot_confusion
from spinsnn.run.folder import PLOTS
from spinsnn.run.inference import trained_parameters
from spinsnn.units import parse_quantity

console = Console(stderr=True)


def positive(text: str, unit: str, field: str) -> float:
    """A quantity that must be above 0."""
    value = parse_quantity(text, unit, field)
    if not value > 0:
        raise InputError(field, text, "a value > 0")
    return value


def evaluate_command(
    run_dir: Annotated[Path, typer.Argument(help="A trained run folder.")],
    label_images: Annotated[str | None, typer.Option(help="Image set that labels the outputs "
                                                          "(default: the run's label_images, else its images).")] = None,
    test_images: Annotated[str | None, typer.Option(help="Image set the accuracy is measured on "
                                                         "(default: the run's test_images).")] = None,
    vth: Annotated[str | None, typer.Option(help="Threshold in inference (default: the trained one).")] = None,
    present: Annotated[str | None, typer.Option(help="Presenting time per image (default: the run's).")] = None,
) -> None:
    """Freeze the trained states, label each output on a labelling set, report accuracy on a test set."""
    label_spec, test_spec = image_set_specs(trained_parameters(run_dir), label_images, test_images)
    label_set, test_set = load_image_set(label_spec, "--label-images"), load_image_set(test_spec, "--test-images")
    total = len(label_set) + (0 if same_images(label_set, test_set) else len(test_set))
    with Progress(TextColumn("[bold]inference"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("inference", total=total)
        result = evaluate(run_dir, label_set, test_set,
                          vth=positive(vth, "V", "--vth") if vth else None,
                          present=positive(present, "s", "--present") if present else None,
                          progress=lambda n: bar.update(task, completed=n))
    labels = ", ".join(f"{int(j) + 1}:{lab or '-'}" for j, lab in result["assignment"].items())
    paths = plot_confusion(result["confusion"], f"accuracy {result['accuracy']:.0%} on {test_spec} "
                           f"({result['test_images']} images)", run_dir / PLOTS / "confusion")
    typer.echo(f"accuracy {result['accuracy']:.1%} ({result['correct']}/{result['test_images']} test images of "
               f"{test_spec}, {result['unanswered']} unanswered); outputs labelled on {label_spec}: {labels}")
    typer.echo(f"wrote {run_dir / EVALUATION} (with confusion.csv, predictions.csv, evaluation_responses.csv) "
               f"and {', '.join(str(p) for p in paths)}")
