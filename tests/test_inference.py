"""Inference: trained states frozen, options kept from the trained run, selectivity."""

import json

import numpy as np
import pandas as pd
import pytest

from spinsnn.images.sets import ImageSet, load_image_set
from spinsnn.network import SimControl, build_network
from spinsnn.network.description import LIFNeuron
from spinsnn.run.inference import responses
from spinsnn.run.results import load_dataset
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "O"
    proc = run_cli("train", "--image", "O", "--cells", "2", "--stop", "30ms", "--seed", "3", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_inference_changes_no_mtj_state(trained, tmp_path):
    proc = run_cli("train", "--inference", "--from", str(trained), "--image", "X", "--out", str(tmp_path / "inf"))
    assert proc.returncode == 0, proc.stderr
    assert "inference on X" in proc.stdout
    before = load_dataset(trained / "dataset.nc")
    after = load_dataset(tmp_path / "inf" / "dataset.nc")
    assert after["switch_time"].size == 0
    np.testing.assert_array_equal(after["initial_state"], before["final_state"])
    np.testing.assert_array_equal(after["mtj_state"].values, np.broadcast_to(before["final_state"].values,
                                                                             after["mtj_state"].shape))
    manifest = json.loads((tmp_path / "inf" / "manifest.json").read_text())
    p = manifest["parameters"]
    assert p["inference"] and p["cells"] == 2 and p["seed"] == 3 and p["image"] == "X"
    assert manifest["energy"]["per_output_spike_J"] > 0


def test_inference_keeps_the_trained_network(trained, tmp_path):
    proc = run_cli("train", "--inference", "--from", str(trained), "--cells", "4", "--out", str(tmp_path / "a"))
    assert proc.returncode == 2 and "--cells" in proc.stderr and "as trained" in proc.stderr
    np.save(tmp_path / "big.npy", np.zeros((3, 3), np.uint8))
    proc = run_cli("train", "--inference", "--from", str(trained), "--image", str(tmp_path / "big.npy"),
                   "--out", str(tmp_path / "b"))
    assert proc.returncode == 2 and "25 pixels" in proc.stderr
    proc = run_cli("train", "--inference", "--image", "O", "--out", str(tmp_path / "c"))
    assert proc.returncode == 2 and "--from" in proc.stderr
    proc = run_cli("train", "--inference", "--from", str(tmp_path), "--out", str(tmp_path / "d"))
    assert proc.returncode == 2 and "manifest.json" in proc.stderr


def test_selectivity_follows_the_conductance_overlap():
    """Hand-set states: P (high conductance) on the top row, AP elsewhere. The output node
    is near the conductance-weighted mean of the inputs, and bright inputs spend more time
    high, so spike counts rank the images as sum(g * pixel) / sum(g) does."""
    net = build_network(np.zeros((3, 3)), "blank", cells=2, lif=LIFNeuron(vth=5e-3))
    states = np.ones((1, 9, 2), np.int8)
    states[0, :3] = 0
    shown = {"top": [[1, 1, 1], [0, 0, 0], [0, 0, 0]], "top-middle": [[1, 0, 0], [1, 1, 1], [0, 0, 0]],
             "bottom": [[0, 0, 0], [0, 0, 0], [1, 1, 1]], "corner": [[1, 0, 0], [0, 0, 0], [0, 0, 0]],
             "dark": [[0, 0, 0]] * 3}
    images = ImageSet(list(shown), [np.array(v, np.uint8) * 255 for v in shown.values()], list(shown))
    table = responses(net, states.ravel(), images, SimControl(stop=150e-3))
    by_overlap = table.sort_values("overlap")
    assert list(by_overlap["image"]) == ["dark", "corner", "bottom", "top-middle", "top"]
    assert by_overlap["spikes"].is_monotonic_increasing and by_overlap["spikes"].nunique() == 5
    g_p, g_ap = 1 / 6217.4, 1 / 10569.6
    assert table.set_index("image").loc["top", "overlap"] == pytest.approx(3 * g_p / (3 * g_p + 6 * g_ap), rel=1e-3)


def test_selectivity_command(trained):
    proc = run_cli("analyze", "selectivity", str(trained), "--images", "letters:O,X,I")
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(trained / "selectivity.csv")
    assert list(table["image"]) == ["O", "X", "I"] and list(table["trained"]) == [True, False, False]
    assert (table["spikes"] >= 0).all() and table["rank"].min() == 1
    assert (trained / "plots" / "selectivity.png").exists() and (trained / "plots" / "selectivity.pdf").exists()
    bad = run_cli("analyze", "selectivity", str(trained), "--images", "digits:0")
    assert bad.returncode == 2 and "25 pixels" in bad.stderr


def test_image_sets(tmp_path):
    assert load_image_set("letters").names[:3] == ["I", "O", "X"]
    digits = load_image_set("digits:0-2,10")
    assert digits.labels == ["0", "1", "2", "0"] and digits.images[0].shape == (8, 8)
    proc = run_cli("images", "digits", "--indices", "3-5", "--out", str(tmp_path / "d"))
    assert proc.returncode == 0, proc.stderr
    folder = load_image_set(str(tmp_path / "d"))
    bundle = load_image_set(str(tmp_path / "d" / "digits.npz"))
    assert folder.labels == bundle.labels == ["3", "4", "5"]
    np.testing.assert_array_equal(folder.images[1], bundle.images[1])
