"""The study index: one row per run, rebuilt from the run folders' manifests."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from spinsnn.run.files import write_atomic
from spinsnn.study.config import Study

RUNS = "runs"
INDEX = "index.csv"
#: the columns of every index besides the swept parameters
INDEX_FIELDS = ("run", "seed", "status", "wall_time_s", "backend", "output_spikes", "switching_events",
                "distance_initial", "distance_final", "synaptic_power_W", "energy_per_spike_J", "accuracy", "error",
                "folder")


def read_status(run_dir: Path) -> dict:
    """The manifest of a run folder, or ``{"status": "pending"}`` if it has none yet."""
    try:
        return json.loads((run_dir / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError):
        return {"status": "pending"}


def read_accuracy(run_dir: Path) -> float | None:
    """The accuracy of an evaluated run (``evaluation.json``), else None."""
    try:
        return json.loads((run_dir / "evaluation.json").read_text())["accuracy"]
    except (OSError, json.JSONDecodeError, KeyError):
        return None


def index_rows(study: Study) -> list[dict]:
    """One row per point: swept values, then the :data:`INDEX_FIELDS`."""
    rows = []
    for point in study.points:
        folder = study.out / RUNS / point.name
        m = read_status(folder)
        s, e = m.get("summary", {}), m.get("energy", {})
        rows.append({
            "run": point.name,
            **{key: value for key, value in point.swept.items()},
            "seed": point.options.seed,
            "status": m["status"],
            "wall_time_s": m.get("wall_time_s"),
            "backend": point.options.backend,
            "output_spikes": s.get("output_spikes"),
            "switching_events": s.get("switching_events"),
            "distance_initial": (s.get("distance_initial") or [None])[0],
            "distance_final": (s.get("distance_final") or [None])[0],
            "synaptic_power_W": e.get("synaptic_power_W"),
            "energy_per_spike_J": e.get("per_output_spike_J"),
            "accuracy": read_accuracy(folder) if m["status"] == "done" else None,
            "error": m.get("error", ""),
            "folder": str(Path(RUNS) / point.name),
        })
    return rows


def write_index(study: Study) -> pd.DataFrame:
    """Rebuild ``index.csv`` atomically; return it as a table."""
    table = pd.DataFrame(index_rows(study)).astype({"output_spikes": "Int64", "switching_events": "Int64"})
    write_atomic(study.out / INDEX, lambda p: table.to_csv(p, index=False))
    return table
