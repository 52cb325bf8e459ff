"""Run the shipped published sweep (220 runs of 150 ms) on the builtin backend with 2 workers.

Prints the total wall time and the study summary. Run by hand from the repository root:
``python benchmarks/bench_study.py [--plots]`` (it writes into a temporary folder).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from spinsnn.study.config import load_study
from spinsnn.study.runner import run_study

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "published-sweep.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plots", action="store_true", help="also draw every run's figures")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        study = replace(load_study(EXAMPLE, out=Path(tmp) / "sweep"), plots=args.plots)
        t0 = time.perf_counter()
        summary = run_study(study, workers=args.workers)
        total = time.perf_counter() - t0
    print(f"{len(study.points)} runs, {args.workers} workers, plots={args.plots}: {total:.1f} s total "
          f"({summary.done} done, {summary.failed} failed)")


if __name__ == "__main__":
    main()
