"""Entry point of the ``spinsnn`` command: sub-commands and one-line error reporting."""

from __future__ import annotations

import sys

import typer
from typer.exceptions import Abort, TyperException

from spinsnn.cli import analyze, images, report, study
from spinsnn.cli.evaluate import evaluate_command
from spinsnn.cli.train import plot_command, train_command
from spinsnn.errors import InputError, SimulatorError

app = typer.Typer(
    help="Spiking neural networks with stochastic MTJ synapses, simulated at circuit level.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(images.app, name="images")
app.add_typer(study.app, name="study")
app.add_typer(analyze.app, name="analyze")
app.command("report")(report.report_command)
app.command("evaluate")(evaluate_command)
app.command("train")(train_command)
app.command("plot")(plot_command)


def main() -> None:
    """Run the CLI; bad input ends with one line on stderr and exit code 2."""
    try:
        code = app(standalone_mode=False)
    except InputError as exc:
        print(f"spinsnn: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except SimulatorError as exc:
        print(f"spinsnn: error: {exc}", file=sys.stderr)
        sys.exit(1)
    except Abort:
        print("spinsnn: interrupted", file=sys.stderr)
        sys.exit(130)
    except TyperException as exc:
        print(f"spinsnn: error: {exc.format_message()}", file=sys.stderr)
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
