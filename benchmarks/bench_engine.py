"""Time one 150 ms training run of the 25x1 letter network on the builtin engine.

Cells 2, 4 and 8; fixed 100 ns step and adaptive stepping; after a JIT warm-up run.
Prints the minimum and median wall time of the simulation itself (``Results.wall_time_s``)
over ``--repeats`` runs. Run by hand: ``make bench`` or ``python benchmarks/bench_engine.py``.
"""

from __future__ import annotations

import argparse
import platform
import statistics

from spinsnn.engine.simulate import simulate
from spinsnn.images.glyphs import letter
from spinsnn.network import SimControl, build_network


def time_run(cells: int, stepping: str, repeats: int, dev: float) -> list[float]:
    net = build_network(letter("U"), "U", cells=cells, switching="exponential", dev=dev, seed=1)
    control = SimControl(stop=150e-3, step=100e-9, stepping=stepping)
    simulate(net, SimControl(stop=1e-3, stepping=stepping))  # JIT warm-up
    return [simulate(net, control).wall_time_s for _ in range(repeats)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--dev", type=float, default=0.0, help="device variability (0: identical cells)")
    args = parser.parse_args()
    print(f"# machine: {platform.processor() or platform.machine()}, python {platform.python_version()}, "
          f"dev {args.dev}")
    print("| cells | stepping | min (s) | median (s) | fixed/adaptive |")
    print("|---|---|---|---|---|")
    for cells in (2, 4, 8):
        fixed = time_run(cells, "fixed", args.repeats, args.dev)
        adaptive = time_run(cells, "adaptive", args.repeats, args.dev)
        ratio = statistics.median(fixed) / statistics.median(adaptive)
        print(f"| {cells} | fixed 100 ns | {min(fixed):.3f} | {statistics.median(fixed):.3f} | |")
        print(f"| {cells} | adaptive | {min(adaptive):.4f} | {statistics.median(adaptive):.4f} | {ratio:.0f}x |")


if __name__ == "__main__":
    main()
