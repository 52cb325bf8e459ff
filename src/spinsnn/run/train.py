"""Train one network and write its run folder; re-draw the plots of a saved run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from spinsnn.backends import BACKENDS
from spinsnn.errors import InputError
from spinsnn.network.description import Network, SimControl
from spinsnn.network.storage import load_network
from spinsnn.plots.training import plot_training
from spinsnn.run import folder
from spinsnn.run.options import RunOptions, build
from spinsnn.run.results import load_dataset


class Interrupted(Exception):
    """The run was interrupted; what was simulated is saved in the run folder."""


def train(options: RunOptions, out: Path, *, force: bool = False, argv: list[str] | None = None,
          progress: Callable[[float], None] | None = None, dry_run: bool = False, plots: bool = True) -> dict:
    """Simulate the run ``options`` describes and write everything into ``out``.

    The manifest says ``running`` until the end, then ``done``, ``interrupted``
    (Ctrl-C: partial results are kept) or ``failed`` (with the error). With
    ``dry_run`` only the backend's input files are written (status ``dry-run``); so
    they are when the backend cannot run here (status ``written``, with ``how_to_run``).
    ``plots=False`` skips the figures (``spinsnn plot`` draws them later).
    Returns the final manifest.
    """
    net, control = build(options)
    backend = BACKENDS[options.backend]
    out = folder.prepare_folder(out, force)
    manifest = folder.start_manifest(out, options.to_dict(), net, argv)
    try:
        return run_backend(backend, options, net, control, out, manifest, progress, dry_run, plots)
    except Interrupted:
        raise
    except KeyboardInterrupt:  # the builtin engine returns partial results instead; a simulator cannot
        folder.finish_manifest(out, manifest, "interrupted", None, net, error="interrupted before any result")
        raise Interrupted(f"interrupted; {options.backend} left no partial results (see {out})") from None
    except BaseException as exc:
        folder.finish_manifest(out, manifest, "failed", None, net, error=f"{type(exc).__name__}: {exc}")
        raise


def run_backend(backend: ModuleType, options: RunOptions, net: Network, control: SimControl, out: Path,
                manifest: dict, progress: Callable[[float], None] | None, dry_run: bool, plots: bool) -> dict:
    """The part of :func:`train` after the manifest exists: write inputs or simulate, then save."""
    reason = backend.how_to_run(out)
    if dry_run or reason:
        files = backend.write_inputs(net, control, out)
        manifest["files"] = [str(p.relative_to(out)) for p in files]
        hint = reason or backend.run_hint(out)
        if hint:
            manifest["how_to_run"] = hint
        return folder.finish_manifest(out, manifest, "dry-run" if dry_run else "written", None, net)
    results = backend.simulate(net, control, out, progress)
    complete = results.simulated_until >= control.stop * (1 - 1e-9)
    folder.write_results(out, results, net)
    if plots:
        plot_run(out)
    manifest = folder.finish_manifest(out, manifest, "done" if complete else "interrupted", results, net)
    if not complete:
        raise Interrupted(f"interrupted at {results.simulated_until * 1e3:.1f} ms; partial results are in {out}")
    return manifest


def plot_run(run_dir: Path) -> list[Path]:
    """Draw (or re-draw) the plots of a run folder from its saved results."""
    run_dir = Path(run_dir)
    manifest = folder.read_manifest(run_dir)
    if not (run_dir / folder.DATASET).exists():
        raise InputError("RUN_DIR", str(run_dir), f"a run with results (this one is '{manifest.get('status')}')")
    net = load_network(run_dir / folder.NETWORK)
    ds = load_dataset(run_dir / folder.DATASET)
    return plot_training(ds, net, run_dir / folder.PLOTS)
