"""Running a study: every pending point in its own folder, on a process pool or on Dask.

Finished runs (manifest status ``done``, with the point's parameters) are skipped, so
re-running a study resumes it; failed runs are skipped too unless ``retry_failed``. A
run whose parameters changed in the study file is run again. A run whose manifest does not say
``done`` is never taken for complete: a run killed half-way is simply run again.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from spinsnn.analysis.evaluation import EVALUATION, evaluate_run
from spinsnn.run.files import write_json_atomic
from spinsnn.run.folder import MANIFEST
from spinsnn.run.options import RunOptions
from spinsnn.run.train import train
from spinsnn.study.config import Point, Study
from spinsnn.study.index import RUNS, read_status, write_index


@dataclass
class Summary:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    wall_time_s: float = 0.0


def run_point(options: dict, run_dir: str, plots: bool) -> dict:
    """Train one point (in a worker) and, if it names test images, evaluate it; never
    raises: failures are in the returned manifest."""
    options = RunOptions(**{**options, "coding": tuple(options["coding"])})
    try:
        manifest = train(options, Path(run_dir), force=True, plots=plots)
    except Exception as exc:  # recorded for the index; the other runs go on
        manifest = read_status(Path(run_dir))
        if manifest.get("status") != "failed":  # it failed before train() could record it
            manifest = {"status": "failed", "parameters": options.to_dict(), "error": f"{type(exc).__name__}: {exc}"}
            Path(run_dir).mkdir(parents=True, exist_ok=True)
            write_json_atomic(Path(run_dir) / MANIFEST, manifest)
        return manifest
    if options.test_images and manifest.get("status") == "done":
        try:
            evaluate_run(Path(run_dir))  # the index shows its accuracy
        except Exception as exc:  # the training stays done; the index shows why there is no accuracy
            manifest["error"] = f"evaluation: {type(exc).__name__}: {exc}"
            write_json_atomic(Path(run_dir) / MANIFEST, manifest)
    return manifest


def to_run(study: Study, retry_failed: bool) -> tuple[list[Point], int]:
    """Points still to run, and how many are skipped as finished."""
    todo, skipped = [], 0
    for point in study.points:
        manifest = read_status(study.out / RUNS / point.name)
        status = manifest["status"]
        same = manifest.get("parameters") == json.loads(json.dumps(point.options.to_dict()))
        evaluated = not point.options.test_images or (study.out / RUNS / point.name / EVALUATION).exists()
        if same and ((status == "done" and evaluated) or (status == "failed" and not retry_failed)):
            skipped += 1
        else:  # not finished (or not evaluated), or finished with other parameters (the study file changed)
            todo.append(point)
    return todo, skipped


def local_results(todo: list[Point], study: Study, workers: int) -> Iterator[dict]:
    """Run on a local process pool (fresh worker processes from a fork server)."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))
    try:
        futures = [pool.submit(run_point, asdict(p.options), str(study.out / RUNS / p.name), study.plots) for p in todo]
        for future in as_completed(futures):
            yield future.result()
    finally:  # on Ctrl-C: start nothing more; the runs under way stop with their workers
        pool.shutdown(wait=True, cancel_futures=True)


def dask_results(todo: list[Point], study: Study, address: str) -> Iterator[dict]:
    """Run on a Dask cluster: a scheduler address, or ``local:N`` for a LocalCluster of N processes."""
    from dask.distributed import Client, LocalCluster  # only this path needs distributed
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if address.startswith("local:"):
        cluster = LocalCluster(n_workers=int(address.split(":", 1)[1]), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        address = cluster.scheduler_address
    try:
        with Client(address) as client:
            futures = [client.submit(run_point, asdict(p.options), str((study.out / RUNS / p.name).resolve()),
                                     study.plots, key=f"spinsnn-{p.name}-{time.time_ns()}", pure=False) for p in todo]
            for future in dask_completed(futures):
                yield future.result()
    finally:
        if cluster is not None:
            cluster.close()


def prepare(study: Study) -> None:
    """Create the study folder and keep a copy of the study file in it."""
    (study.out / RUNS).mkdir(parents=True, exist_ok=True)
    if study.source.resolve() != (study.out / "study.toml").resolve():
        shutil.copyfile(study.source, study.out / "study.toml")


def run_study(study: Study, *, workers: int | None = None, dask: str | None = None, retry_failed: bool = False,
              on_start: Callable[[int], None] | None = None,
              on_result: Callable[[dict], None] | None = None) -> Summary:
    """Run every pending point of ``study``; the index is rewritten after each run."""
    prepare(study)
    todo, skipped = to_run(study, retry_failed)
    summary = Summary(skipped=skipped)
    write_index(study)
    if on_start:
        on_start(len(todo))
    t0 = time.perf_counter()
    try:
        if todo:
            results = (dask_results(todo, study, dask) if dask
                       else local_results(todo, study, workers or os.cpu_count() or 1))
            for manifest in results:
                if manifest.get("status") == "done":
                    summary.done += 1
                else:
                    summary.failed += 1
                write_index(study)
                if on_result:
                    on_result(manifest)
    finally:
        write_index(study)
    summary.wall_time_s = time.perf_counter() - t0
    return summary
