"""``results.txt`` in the published column layout (MODEL_SPEC section 5)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

HEADER_LINES = 4


def format_header(title: str, n_syn: int) -> str:
    """The four header lines (title, synapse order, column names, units)."""
    names = ["time"] + [f"sum_ix_{k}" for k in range(1, n_syn + 1)] + ["vcap_1"]
    units = ["s"] + ["cells"] * n_syn + ["V"]
    return "\n".join([
        f"# {title}",
        "# synapse k joins input i = (k-1) mod n_in + 1 to output j = (k-1) div n_in + 1; sum_ix = AP cells",
        "  ".join(names),
        "  ".join(units),
    ])


def format_results_txt(time: np.ndarray, sum_ix: np.ndarray, membrane: np.ndarray, title: str) -> str:
    """Four header lines, then ``time  sum(ix)_1 .. sum(ix)_K  V(cap) of output 1`` per row."""
    lines = format_header(title, sum_ix.shape[1]).split("\n")
    for t, row, v in zip(time, sum_ix, membrane):
        lines.append(f"{t:.6e}  " + "  ".join(str(int(x)) for x in row) + f"  {v:.6e}")
    return "\n".join(lines) + "\n"


def read_results_txt(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read back ``(time, sum_ix, membrane)`` from a results file of this layout."""
    data = np.loadtxt(path, skiprows=HEADER_LINES, ndmin=2)
    return data[:, 0], data[:, 1:-1].astype(int), data[:, -1]
