"""Simulators that consume the network description and return the same Results.

Every backend module provides ``write_inputs(net, control, run_dir)`` (the files a run
needs, e.g. a netlist: this is all ``--dry-run`` does) and
``simulate(net, control, run_dir, progress)``.
"""

from __future__ import annotations

from types import ModuleType

from spinsnn.backends import builtin, vacask

BACKENDS: dict[str, ModuleType] = {"builtin": builtin, "vacask": vacask}
