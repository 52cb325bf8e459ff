"""A run folder: manifest, network, results in published and labelled form, plots."""

from __future__ import annotations

import datetime as dt
import json
import platform
import shutil
from pathlib import Path

import numpy as np

from spinsnn import __version__
from spinsnn.analysis.distance import closest_target, weights
from spinsnn.analysis.energy import energy_report
from spinsnn.errors import InputError
from spinsnn.network.description import Network
from spinsnn.network.storage import network_metadata, save_network
from spinsnn.run.files import write_atomic, write_json_atomic, write_text_atomic
from spinsnn.run.results import Results, save_dataset
from spinsnn.run.results_txt import format_results_txt

MANIFEST = "manifest.json"
NETWORK = "network.npz"
DATASET = "dataset.nc"
RESULTS_TXT = "results.txt"
PLOTS = "plots"


def prepare_folder(out: Path, force: bool) -> Path:
    """Create ``out``; refuse a file, or a folder that holds a run unless ``force`` (which
    deletes that run folder first)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError("--out", str(out), "a folder, but this is a file")
    if (out / MANIFEST).exists():
        if not force:
            raise InputError("--out", str(out), "a folder without a run in it; add --force to overwrite the run there")
        shutil.rmtree(out)  # nothing of the old run may pass for part of the new one
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("--out", str(out), f"a folder that can be created: {exc.strerror}") from None
    return out


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def start_manifest(out: Path, options: dict, net: Network, argv: list[str] | None) -> dict:
    """Write the manifest with status ``running`` and the network description."""
    manifest = {
        "spinsnn_version": __version__,
        "status": "running",
        "started": now(),
        "host": {"python": platform.python_version(), "machine": platform.machine()},
        "command": argv,
        "backend": options.get("backend"),
        "parameters": options,
        "seeds": {
            "run": net.seed,
            "streams": "variability, initial states, switching seeds and defects are spawned from the run seed "
                       "(numpy SeedSequence.spawn(4), in that order)",
        },
        "network": network_metadata(net),
    }
    write_atomic(out / NETWORK, lambda p: save_network(net, p))
    write_json_atomic(out / MANIFEST, manifest)
    return manifest


def summary(results: Results, net: Network) -> dict:
    """Headline numbers of a run: spikes, switching events, distance to the image (with a
    sequence: per output, before and after, to the image its final weights are closest to,
    and which one)."""
    sum_ix = results.sum_ix(net.cells)
    dist, closest = closest_target(weights(sum_ix[[0, -1]], net.cells), net.targets())
    extra = {} if net.sequence is None else {
        "closest_image": [net.sequence.names[c] for c in closest],
        "spikes_per_output": np.bincount(results.spike_neuron, minlength=net.n_out).tolist()}
    return {
        "simulated_until_s": results.simulated_until,
        "steps": results.steps,
        "output_spikes": int(results.spike_time.size),
        "spike_times_s": [float(t) for t in results.spike_time],
        "switching_events": int(results.switch_time.size),
        "distance_initial": [float(d) for d in dist[0]],
        "distance_final": [float(d) for d in dist[-1]],
        **extra,
    }


def write_results(out: Path, results: Results, net: Network) -> None:
    """Write ``results.txt`` (published layout) and ``dataset.nc`` (everything, labelled)."""
    title = (f"spinsnn {__version__} backend={results.backend} image={net.image_name} "
             f"n_in={net.n_in} n_out={net.n_out} cells={net.cells} "
             f"simulated_until={results.simulated_until:.6g}s")
    text = format_results_txt(results.print_time, results.sum_ix(net.cells), results.print_vcap[:, 0], title)
    write_text_atomic(out / RESULTS_TXT, text)
    write_atomic(out / DATASET, lambda p: save_dataset(results, net, p))


def finish_manifest(out: Path, manifest: dict, status: str, results: Results | None, net: Network,
                    error: str | None = None) -> dict:
    """Record the outcome: status, wall time, summary, and the error if any."""
    manifest = dict(manifest, status=status, finished=now())
    if results is not None:
        manifest["wall_time_s"] = results.wall_time_s
        manifest["backend"] = results.backend
        manifest["summary"] = summary(results, net)
        manifest["energy"] = energy_report(results, net)
    if error:
        manifest["error"] = error
    write_json_atomic(out / MANIFEST, manifest)
    return manifest


def read_manifest(run_dir: Path) -> dict:
    """The manifest of a run folder; a clear error if there is none."""
    path = Path(run_dir) / MANIFEST
    try:
        return json.loads(path.read_text())
    except OSError:
        raise InputError("RUN_DIR", str(run_dir), f"a run folder with {MANIFEST}") from None
    except json.JSONDecodeError as exc:
        raise InputError("RUN_DIR", str(run_dir), f"a readable {MANIFEST} ({exc.msg})") from None
