"""Builtin engine against VACASK on the same run: the 25x1 letter network, 4 cells, 150 ms.

Both take at most 100 ns steps (builtin: fixed 100 ns; VACASK: maxstep 100 ns); the
script checks that they agree (same per-ms MTJ states, spike times within 1 us) and
prints the ratio of the simulation wall times. The builtin adaptive mode is timed too.
Run by hand: ``python benchmarks/bench_backends.py``.
"""

from __future__ import annotations

import platform
import tempfile
from pathlib import Path

import numpy as np

from spinsnn.backends import vacask
from spinsnn.engine.simulate import simulate
from spinsnn.images.glyphs import letter
from spinsnn.network import SimControl, build_network


def main() -> None:
    net = build_network(letter("U"), "U", cells=4, switching="deterministic", seed=0)
    fixed = SimControl(stop=150e-3, stepping="fixed", step=100e-9)
    simulate(net, SimControl(stop=1e-3, stepping="fixed"))  # JIT warm-up
    simulate(net, SimControl(stop=1e-3))
    builtin = simulate(net, fixed)
    adaptive = simulate(net, SimControl(stop=150e-3))
    with tempfile.TemporaryDirectory() as tmp:
        spice = vacask.simulate(net, fixed, Path(tmp))
    same = np.array_equal(spice.states, builtin.states) and np.allclose(spice.spike_time, builtin.spike_time,
                                                                        atol=1e-6)
    print(f"# machine: {platform.machine()}, python {platform.python_version()}; U, 4 cells, 150 ms")
    print("| engine | wall time (s) | steps | VACASK / engine |")
    print("|---|---|---|---|")
    print(f"| VACASK, maxstep 100 ns | {spice.wall_time_s:.2f} | {spice.steps} | 1 |")
    print(f"| builtin, fixed 100 ns | {builtin.wall_time_s:.3f} | {builtin.steps} | "
          f"{spice.wall_time_s / builtin.wall_time_s:.0f}x |")
    print(f"| builtin, adaptive | {adaptive.wall_time_s:.4f} | {adaptive.steps} | "
          f"{spice.wall_time_s / adaptive.wall_time_s:.0f}x |")
    print(f"results agree (per-ms MTJ states, spike times within 1 us): {same}")


if __name__ == "__main__":
    main()
