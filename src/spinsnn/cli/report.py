"""``spinsnn report``: a study as one offline HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spinsnn.analysis.robustness import default_curve, default_x, read_index, study_robustness
from spinsnn.plots.robustness import plot_robustness
from spinsnn.report.html import write_report


def report_command(study_dir: Annotated[Path, typer.Argument(help="A study folder (with index.csv).")]) -> None:
    """Write STUDY_DIR/report.html: study file, run counts, figures and index, in one offline file.

    The robustness figures are drawn first if the study has none yet.
    """
    index = read_index(study_dir)
    x = default_x(index)
    if x and not (study_dir / "robustness.png").exists() and (index["status"] == "done").any():
        curve = default_curve(index, x)
        plot_robustness(study_robustness(study_dir, x, curve), x, curve, study_dir)
    typer.echo(f"wrote {write_report(study_dir)}")
