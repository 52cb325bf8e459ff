"""Reader for SPICE raw files as VACASK writes them (ASCII header, binary float64 data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class RawFileError(ValueError):
    """The file is not a readable real-valued binary raw file."""


def read_raw(path: Path) -> dict[str, np.ndarray]:
    """Signal name -> values over time (``"time"`` included), memory-mapped from ``path``."""
    path = Path(path)
    with open(path, "rb") as fh:
        header = b""
        while not header.endswith(b"Binary:\n"):
            line = fh.readline()
            if not line:
                raise RawFileError(f"{path}: no 'Binary:' section")
            header += line
        offset = fh.tell()
    lines = header.decode("ascii", errors="replace").splitlines()
    fields = {k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in lines) if _}
    if "complex" in fields.get("Flags", ""):
        raise RawFileError(f"{path}: complex data is not supported")
    n_vars, n_points = int(fields["No. Variables"]), int(fields["No. Points"])
    first = lines.index("Variables:") + 1
    names = [lines[first + k].split()[1] for k in range(n_vars)]
    expected = offset + 8 * n_vars * n_points
    if path.stat().st_size < expected:
        raise RawFileError(f"{path}: {path.stat().st_size} bytes, header promises {expected}")
    data = np.memmap(path, dtype="<f8", mode="r", offset=offset, shape=(n_points, n_vars))
    return {name: data[:, k] for k, name in enumerate(names)}
