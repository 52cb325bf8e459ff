"""Simulators that consume the network description and return the same Results.

Every backend module provides ``write_inputs(net, control, run_dir)`` (the files a run
needs, e.g. a netlist: this is all ``--dry-run`` does), ``how_to_run(run_dir)`` (None
when it can simulate here, else what the user should do with the written files),
``run_hint(run_dir)`` (the command that runs the written files by hand, if any) and
``simulate(net, control, run_dir, progress)``.
"""

from __future__ import annotations

from types import ModuleType

from spinsnn.backends import builtin, spectre, vacask

BACKENDS: dict[str, ModuleType] = {"builtin": builtin, "vacask": vacask, "spectre": spectre}
