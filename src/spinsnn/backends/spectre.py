"""Spectre backend: a Spectre netlist (``netlist.scs``) and an OCEAN script (``netlist.ocn``).

The netlist holds the circuit only (models, one subcircuit per compound synapse, one
instance per neuron and synapse); the OCEAN script adds the transient analysis, saves the
nodes spinsnn needs and prints ``results.txt`` in the published layout, ``waveforms.txt``
(probes and neuron voltages every sample interval) and ``spikes.txt``. When ``ocean`` is
on PATH the run happens here; otherwise the files are written, ready to run.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from spinsnn import __version__
from spinsnn.backends.convert import from_nodes
from spinsnn.backends.netlist import (
    MTJ_MODEL,
    PROBE_MODEL,
    Circuit,
    Instance,
    circuit,
    circuit_title,
    format_params,
    format_value,
)
from spinsnn.errors import SimulatorError
from spinsnn.network.description import Network, SimControl
from spinsnn.run.results import Results
from spinsnn.run.results_txt import format_header
from spinsnn.veriloga import MODELS, copy_models

NETLIST = "netlist.scs"
OCEAN = "netlist.ocn"
WAVEFORMS = "waveforms.txt"
SPIKES = "spikes.txt"
LOG = "ocean.log"
SYNAPSE = "spinsnn_synapse"
CELL_PARAMS = {"tox": "tox", "tsl": "tsl", "tmr0": "tmr", "ix0": "ix", "seed": "seed", "st_weight": "w",
               "defect": "defect", "frozen": "frozen"}


def synapse_params(cells: list[Instance]) -> dict[str, float | int]:
    """Subcircuit parameters of one compound synapse: each cell's values, suffixed ``_c``."""
    return {f"{CELL_PARAMS[name]}_{c}": value for c, cell in enumerate(cells) for name, value in cell.params.items()}


def format_scs(c: Circuit, title: str) -> str:
    """The Spectre netlist: circuit only (the OCEAN script adds analysis and saves)."""
    lines = [f"// {title}", f"// written by spinsnn {__version__}; run it with netlist.ocn (OCEAN)",
             "simulator lang=spectre", "global 0", ""]
    lines += [f'ahdl_include "veriloga/{name}"' for name in MODELS]
    lines.append("")
    lines += [f"model {m.name} {m.module} {format_params(m.params)}".rstrip()
              for m in c.models if m.name != PROBE_MODEL]
    cells = [f"cell_{k}" for k in range(c.cells)]
    first = [i for i in c.instances if i.model == MTJ_MODEL][: c.cells]
    lines += ["", f"subckt {SYNAPSE} (out in st)", f"parameters {format_params(synapse_params(first))}"]
    for k, name in enumerate(cells):
        args = " ".join(f"{p}={CELL_PARAMS[p]}_{k}" for p in CELL_PARAMS)
        lines.append(f"    {name} (out in st) {MTJ_MODEL} {args}")
    lines += [f"ends {SYNAPSE}", ""]
    mtjs = [i for i in c.instances if i.model == MTJ_MODEL]
    for i in c.instances:
        if i.model == MTJ_MODEL:
            continue
        model = "resistor" if i.model == PROBE_MODEL else i.model
        lines.append(f"{i.name} ({' '.join(i.nodes)}) {model} {format_params(i.params)}".rstrip())
    for k in range(len(mtjs) // c.cells):
        group = mtjs[k * c.cells:(k + 1) * c.cells]
        lines.append(f"syn_{k} ({' '.join(group[0].nodes)}) {SYNAPSE} {format_params(synapse_params(group))}")
    return "\n".join(lines) + "\n"


def format_ocean(c: Circuit, net: Network, control: SimControl, title: str) -> str:
    """The OCEAN script: transient as the run asks, saves, and the text outputs."""
    maxstep = format_value(control.step if control.stepping == "fixed" else control.max_step)
    n_print = control.print_times().size - 1
    n_sample = control.sample_times().size - 1
    synapses = " ".join(str(k) for k in range(net.n_syn))
    header = format_header(title, net.n_syn).replace("\\", "\\\\").replace('"', '\\"').splitlines()
    nodes = " ".join(f'"{n}"' for n in c.saved_nodes())
    return "\n".join([
        f"; {title}",
        f"; written by spinsnn {__version__}. Run in this folder:  ocean -nograph -restore {OCEAN}",
        "simulator( 'spectre )",
        f'design( "./{NETLIST}" )',
        'resultsDir( "./spectre" )',
        f'analysis( \'tran ?stop "{format_value(control.stop)}" ?step "{maxstep}" ?maxstep "{maxstep}" )',
        f"save( 'v {nodes} )",
        "run()",
        "selectResult( 'tran )",
        "",
        "; number of AP cells of a synapse from its probe code (binary digits = cell states)",
        "procedure( spinsnnPopcount( code )",
        "  let( ( ( n 0 ) )",
        "    while( code > 0",
        "      n = n + mod( code 2 )",
        "      code = code / 2 )",
        "    n ) )",
        "",
        'out = outfile( "results.txt" "w" )',
        *[f'fprintf( out "{line}\\n" )' for line in header],
        f"for( i 0 {n_print}",
        f"  tm = i * {format_value(control.print_interval)}",
        '  fprintf( out "%.6e" tm )',
        f"  foreach( k '( {synapses} )",
        '    fprintf( out "  %d" spinsnnPopcount( round( value( v( sprintf( nil "st_%d" k ) ) tm ) ) ) ) )',
        '  fprintf( out "  %.6e\\n" value( v( "mem_0" ) tm ) ) )',
        "close( out )",
        "",
        f'wav = outfile( "{WAVEFORMS}" "w" )',
        f'fprintf( wav "time {" ".join(c.saved_nodes())}\\n" )',
        f"for( i 0 {n_sample}",
        f"  tm = i * {format_value(control.sample_interval)}",
        '  fprintf( wav "%.9e" tm )',
        f"  foreach( node '( {nodes} )",
        '    fprintf( wav " %.9e" value( v( node ) tm ) ) )',
        '  fprintf( wav "\\n" ) )',
        "close( wav )",
        "",
        f'spk = outfile( "{SPIKES}" "w" )',
        'fprintf( spk "time output\\n" )',
        f"foreach( j '( {' '.join(str(j) for j in range(net.n_out))} )",
        "  n = 1",
        '  while( tc = cross( v( sprintf( nil "fire_%d" j ) ) 0.5 n \'rising )',
        '    fprintf( spk "%.9e %d\\n" tc j )',
        "    n = n + 1 ) )",
        "close( spk )",
        "exit()",
        "",
    ])


def write_inputs(net: Network, control: SimControl, run_dir: Path) -> list[Path]:
    """Write the netlist, the OCEAN script and our Verilog-A models into ``run_dir``."""
    run_dir = Path(run_dir)
    c = circuit(net, control)
    models = copy_models(run_dir / "veriloga")
    (run_dir / NETLIST).write_text(format_scs(c, circuit_title(net)))
    (run_dir / OCEAN).write_text(format_ocean(c, net, control, circuit_title(net)))
    return [run_dir / NETLIST, run_dir / OCEAN, *models]


def run_hint(run_dir: Path) -> str:
    """How to run the written files by hand."""
    return f"to simulate it: cd {run_dir} && ocean -nograph -restore {OCEAN}"


def how_to_run(run_dir: Path) -> str | None:
    """None when OCEAN can run here; otherwise how to run the written files elsewhere."""
    if shutil.which("ocean"):
        return None
    return f"ocean is not on PATH: run 'ocean -nograph -restore {OCEAN}' in {run_dir} on a machine with Spectre"


def simulate(net: Network, control: SimControl, run_dir: Path,
             progress: Callable[[float], None] | None = None) -> Results:
    """Run OCEAN/Spectre in ``run_dir`` and read back what the script printed."""
    run_dir = Path(run_dir)
    write_inputs(net, control, run_dir)
    reason = how_to_run(run_dir)
    if reason:
        raise SimulatorError("spectre", reason)
    for name in (WAVEFORMS, SPIKES, "results.txt"):
        (run_dir / name).unlink(missing_ok=True)
    t0 = time.perf_counter()
    with open(run_dir / LOG, "w") as fh:
        proc = subprocess.run(["ocean", "-nograph", "-restore", OCEAN], cwd=run_dir, stdout=fh,
                              stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    n_rows = control.sample_times().size
    try:
        if proc.returncode != 0:
            raise ValueError(f"exit code {proc.returncode}")
        wav = np.loadtxt(run_dir / WAVEFORMS, skiprows=1, ndmin=2)
        names = (run_dir / WAVEFORMS).read_text().split("\n", 1)[0].split()
        spikes = np.loadtxt(run_dir / SPIKES, skiprows=1, ndmin=2).reshape(-1, 2)
        if wav.shape[0] != n_rows:
            raise ValueError(f"{WAVEFORMS} has {wav.shape[0]} rows, not {n_rows}")
    except (OSError, ValueError) as exc:
        raise SimulatorError("spectre", f"no readable results ({exc}); log: {run_dir / LOG}") from None
    results = from_nodes(net, control, dict(zip(names, wav.T)), wall, "spectre",
                         [(float(s), int(j)) for s, j in spikes])
    if progress:
        progress(results.simulated_until)
    return results
