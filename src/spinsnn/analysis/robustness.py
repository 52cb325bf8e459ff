"""Robustness of training: final distance to the image against a swept parameter.

Distances are recomputed from every finished run's ``dataset.nc`` (MODEL_SPEC section 5:
``|| sum(ix)/cells - pixel/255 ||`` at the last print time; with several outputs, their
mean). They are grouped by image, curve parameter (cell count by default) and the x
parameter; the spread is over seeds. The rows with ``image = "all"`` average over
images first (per curve, x and seed), then over seeds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from spinsnn.analysis.distance import distance_to_image
from spinsnn.errors import InputError
from spinsnn.run.files import write_atomic
from spinsnn.run.folder import DATASET
from spinsnn.run.results import load_dataset
from spinsnn.study.index import INDEX, INDEX_FIELDS

ALL_IMAGES = "all"
ROBUSTNESS = "robustness.csv"


def read_index(study_dir: Path) -> pd.DataFrame:
    """The study's ``index.csv``; a one-line error if there is none."""
    try:
        return pd.read_csv(Path(study_dir) / INDEX, keep_default_na=False, na_values=[""])
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError):
        raise InputError("STUDY_DIR", str(study_dir), f"a study folder with {INDEX}") from None


def swept_columns(index: pd.DataFrame) -> list[str]:
    """The parameters a study sweeps: the index columns that are not run bookkeeping."""
    return [c for c in index.columns if c not in INDEX_FIELDS]


def run_distances(study_dir: Path, index: pd.DataFrame) -> pd.DataFrame:
    """Initial and final distance of every finished run, from its dataset."""
    done = index[index["status"] == "done"].copy()
    initial, final = [], []
    for folder in done["folder"]:
        ds = load_dataset(Path(study_dir) / folder / DATASET)
        d = distance_to_image(ds["weight"].values[[0, -1]], ds["pixel"].values)
        initial.append(float(d[0].mean()))
        final.append(float(d[1].mean()))
    done["distance_initial"] = initial
    done["distance_final"] = final
    return done


def robustness_table(runs: pd.DataFrame, x: str, curve: str | None) -> pd.DataFrame:
    """Mean, spread over seeds and count of the final distance per (image, curve, x)."""
    if x not in runs.columns:
        raise InputError("--x", x, f"a swept parameter of this study ({', '.join(swept_columns(runs)) or 'none'})")
    if curve is not None and curve not in runs.columns:
        raise InputError("--curves", curve, f"a swept parameter of this study ({', '.join(swept_columns(runs))})")
    runs = runs.copy()
    if "image" not in runs.columns:
        runs["image"] = ALL_IMAGES
    keys = [k for k in ("image", curve, x) if k is not None]
    per_image = summarise(runs, keys)
    if runs["image"].nunique() > 1:
        over_images = runs.groupby([k for k in keys if k != "image"] + ["seed"], as_index=False)[
            ["distance_initial", "distance_final"]].mean()
        over_images["image"] = ALL_IMAGES
        per_image = pd.concat([per_image, summarise(over_images, keys)], ignore_index=True)
    return per_image


def summarise(runs: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Statistics of the final distance over the seeds of each group."""
    g = runs.groupby(keys, sort=True)
    table = g["distance_final"].agg(["mean", "std", "min", "max", "count"]).reset_index()
    table = table.rename(columns={"mean": "distance_mean", "std": "distance_std", "min": "distance_min",
                                  "max": "distance_max", "count": "runs"})
    table["distance_initial_mean"] = g["distance_initial"].mean().values
    table["distance_std"] = table["distance_std"].fillna(0.0)
    return table


def x_positions(values: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    """Numeric x values as they are; other values (text) as categories 0, 1, ... with labels."""
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().all():
        return numeric.to_numpy(dtype=float), None
    labels = sorted(values.astype(str).unique())
    return np.array([labels.index(v) for v in values.astype(str)], dtype=float), labels


def default_x(runs: pd.DataFrame) -> str | None:
    """The x axis of a study's robustness figure: ``dev`` if swept, else its first numeric
    swept parameter other than the image and the cell count."""
    numeric = [c for c in swept_columns(runs) if c not in ("image", "cells")
               and pd.to_numeric(runs[c], errors="coerce").notna().all()]
    return "dev" if "dev" in numeric else (numeric[0] if numeric else None)


def default_curve(runs: pd.DataFrame, x: str) -> str | None:
    """Curves per cell count when the study sweeps it (and it is not the x axis)."""
    return "cells" if "cells" in runs.columns and x != "cells" else None


def study_robustness(study_dir: Path, x: str, curve: str | None) -> pd.DataFrame:
    """The robustness table of a study, written to ``robustness.csv`` in its folder."""
    runs = run_distances(study_dir, read_index(study_dir))
    if runs.empty:
        raise InputError("STUDY_DIR", str(study_dir), "a study with finished runs")
    table = robustness_table(runs, x, curve)
    write_atomic(Path(study_dir) / ROBUSTNESS, lambda p: table.to_csv(p, index=False))
    return table
