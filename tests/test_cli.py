"""The ``spinsnn train`` / ``plot`` commands as a user runs them, and their bad-input errors."""

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from spinsnn.network import load_network
from spinsnn.run.results import load_dataset
from spinsnn.run.results_txt import HEADER_LINES, read_results_txt
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "O-20ms"
    proc = run_cli("train", "--image", "O", "--cells", "2", "--stop", "20ms", "--switching", "deterministic",
                   "--seed", "3", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "results:" in proc.stdout
    return out


def test_run_folder_contents(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "done"
    assert manifest["parameters"]["stop"] == pytest.approx(0.020)
    assert manifest["parameters"]["cells"] == 2
    assert manifest["seeds"]["run"] == 3
    assert manifest["wall_time_s"] > 0
    assert manifest["spinsnn_version"]
    for stem in ("weight_history", "membrane", "weights_before_after"):
        for ext in (".pdf", ".png"):
            assert (run_dir / "plots" / f"{stem}{ext}").stat().st_size > 1000


def test_results_txt_layout_matches_dataset(run_dir):
    lines = (run_dir / "results.txt").read_text().splitlines()
    assert len(lines) == HEADER_LINES + 21  # 0..20 ms, one row per ms
    time, sum_ix, vcap = read_results_txt(run_dir / "results.txt")
    assert sum_ix.shape == (21, 25)
    np.testing.assert_allclose(time, np.arange(21) * 1e-3, atol=1e-12)
    ds = load_dataset(run_dir / "dataset.nc")
    np.testing.assert_array_equal(sum_ix, ds["sum_ix"].values)
    np.testing.assert_allclose(vcap, ds["membrane_print"].values[:, 0], rtol=1e-6, atol=1e-12)
    # the per-MTJ states sum to the synapse values, and the last row is the final state
    states = ds["mtj_state"].values
    np.testing.assert_array_equal(states.reshape(21, 25, 2).sum(-1), sum_ix)
    np.testing.assert_array_equal(states[-1], ds["final_state"].values)
    net = load_network(run_dir / "network.npz")
    np.testing.assert_array_equal(states[0], net.initial_state.ravel())
    np.testing.assert_allclose(ds["conductance"].values, net.conductance(states))
    assert ds["spike_time"].size == json.loads((run_dir / "manifest.json").read_text())["summary"]["output_spikes"]


def test_plot_of_a_file_is_one_line(tmp_path):
    not_a_run = tmp_path / "notes.txt"
    not_a_run.write_text("x")
    proc = run_cli("plot", str(not_a_run))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_plot_redraws(run_dir):
    for f in (run_dir / "plots").iterdir():
        f.unlink()
    proc = run_cli("plot", str(run_dir))
    assert proc.returncode == 0, proc.stderr
    assert len(list((run_dir / "plots").iterdir())) == 6


def test_refuses_to_overwrite_a_run(run_dir):
    proc = run_cli("train", "--image", "O", "--stop", "1ms", "--out", str(run_dir))
    assert proc.returncode == 2
    assert "--force" in proc.stderr


@pytest.mark.parametrize(
    "args, field",
    [
        (["--image", "Q"], "--image"),
        (["--image", "missing.npy"], "--image"),
        (["--cells", "0"], "--cells"),
        (["--cells", "four"], "--cells"),
        (["--step", "0"], "--step"),
        (["--stop", "-5ms"], "--stop"),
        (["--step", "1us"], "--step"),
        (["--vth", "12 parsecs"], "--vth"),
        (["--stop", "150mV"], "--stop"),
        (["--switching", "quantum"], "--switching"),
        (["--coding", "3"], "--coding"),
        (["--vth", "12"], "--vth"),
        (["--stop", "500us"], "--stop"),
        (["--stepping", "adaptive", "--step", "100ns"], "--step"),
        (["--stepping", "fixed", "--max-step", "5us"], "--max-step"),
        (["--dev", "nan"], "--dev"),
        (["--coding", "3,inf"], "--coding"),
        (["--stop", "1.00005ms", "--step", "100ns"], "--stop"),
        (["--cells", "25", "--backend", "vacask", "--dry-run"], "--cells"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path, args, field):
    proc = run_cli("train", "--out", str(tmp_path / "r"), *(["--image", "O"] if "--image" not in args else []),
                   *args)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert field in lines[0]
    assert "Traceback" not in proc.stderr


def test_corrupt_image_and_file_as_out(tmp_path):
    bad = tmp_path / "bad.npy"
    bad.write_bytes(b"not a numpy file")
    proc = run_cli("train", "--image", str(bad), "--out", str(tmp_path / "r"))
    assert proc.returncode == 2 and "--image" in proc.stderr
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    proc = run_cli("train", "--image", "O", "--stop", "1ms", "--out", str(a_file))
    assert proc.returncode == 2 and "--out" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_coarse_step_can_be_forced(tmp_path):
    proc = run_cli("train", "--image", "I", "--cells", "1", "--stop", "2ms", "--step", "1us",
                   "--allow-coarse-step", "--out", str(tmp_path / "coarse"))
    assert proc.returncode == 0, proc.stderr


def test_image_from_npy_of_any_size(tmp_path):
    img = np.zeros((3, 4), dtype=np.uint8)
    img[1, 1:3] = 255
    np.save(tmp_path / "bar.npy", img)
    out = tmp_path / "bar"
    proc = run_cli("train", "--image", str(tmp_path / "bar.npy"), "--cells", "2", "--stop", "5ms", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    ds = load_dataset(out / "dataset.nc")
    assert ds.attrs["n_in"] == 12
    assert ds["sum_ix"].shape[1] == 12


def default_sigint() -> None:
    """Let the child take Ctrl-C even when the tests run as a background job (SIGINT ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_keeps_partial_results(tmp_path):
    out = tmp_path / "long"
    code = "from spinsnn.cli.main import main; main()"
    proc = subprocess.Popen([sys.executable, "-c", code, "train", "--image", "O", "--stop", "30s", "--step", "100ns",
                             "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_sigint)
    deadline = time.time() + 120
    while not (out / "manifest.json").exists() and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(3.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    until = manifest["summary"]["simulated_until_s"]
    assert 0 < until < 30.0
    time_col, _, _ = read_results_txt(out / "results.txt")
    assert time_col[-1] <= until + 1e-12 < time_col[-1] + 1e-3


def test_force_replaces_the_whole_run(tmp_path):
    out = tmp_path / "r"
    assert run_cli("train", "--image", "O", "--cells", "2", "--stop", "2ms", "--out", str(out)).returncode == 0
    proc = run_cli("train", "--image", "O", "--backend", "vacask", "--dry-run", "--force", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert not (out / "results.txt").exists() and not (out / "dataset.nc").exists()
    plot = run_cli("plot", str(out))  # a dry run has nothing to plot
    assert plot.returncode == 2 and "dry-run" in plot.stderr and len(plot.stderr.strip().splitlines()) == 1
