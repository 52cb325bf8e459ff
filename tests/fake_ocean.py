"""A stand-in for Cadence's ``ocean`` in tests: it simulates ``netlist.scs`` with VACASK and
writes the files that ``netlist.ocn`` makes OCEAN write (waveforms.txt, spikes.txt), in
the same formats, so that the Spectre backend's reader can be tested without a licence."""

import json
import sys
from pathlib import Path

import numpy as np

from spinsnn.backends import spectre, vacask
from spinsnn.backends.convert import rising_crossings
from spinsnn.backends.netlist import circuit, circuit_title
from spinsnn.backends.rawfile import read_raw
from spinsnn.network import SimControl, load_network


def main() -> None:
    assert sys.argv[1:] == ["-nograph", "-restore", spectre.OCEAN], sys.argv
    run = Path.cwd()
    params = json.loads((run / "manifest.json").read_text())["parameters"]
    control = SimControl(stop=params["stop"], stepping=params["stepping"], step=params["step"] or 100e-9,
                         max_step=params["max_step"] or 20e-6)
    net = load_network(run / "network.npz")
    c = circuit(net, control)
    deck = run / "fake_ocean.sim"
    deck.write_text(vacask.format_deck(c, control, circuit_title(net), spectre.NETLIST))
    vacask.run_vacask(run, deck)
    sig = read_raw(run / vacask.RAW)
    t = control.sample_times()
    nodes = c.saved_nodes()
    table = np.column_stack([t] + [np.interp(t, sig["time"], sig[n]) for n in nodes])
    np.savetxt(run / spectre.WAVEFORMS, table, fmt="%.9e", header="time " + " ".join(nodes), comments="")
    rows = [(s, j) for j in range(net.n_out) for s in rising_crossings(sig["time"], sig[f"fire_{j}"], 0.5)]
    (run / spectre.SPIKES).write_text("time output\n" + "".join(f"{s:.9e} {j}\n" for s, j in rows))


if __name__ == "__main__":
    main()
