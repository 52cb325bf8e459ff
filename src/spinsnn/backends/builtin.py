"""Builtin backend: the numba transient engine (no external tools)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spinsnn.engine.simulate import simulate as simulate_engine
from spinsnn.network.description import Network, SimControl
from spinsnn.run.results import Results


def write_inputs(net: Network, control: SimControl, run_dir: Path) -> list[Path]:
    """Nothing beyond the network description is needed."""
    return []


def how_to_run(run_dir: Path) -> str | None:
    """Always runs here."""
    return None


def run_hint(run_dir: Path) -> str | None:
    """No files to run by hand."""
    return None


def simulate(net: Network, control: SimControl, run_dir: Path,
             progress: Callable[[float], None] | None = None) -> Results:
    return simulate_engine(net, control, progress)
