"""Image sequences, lateral inhibition, homeostasis, MTJ orientation and evaluation."""

import json

import numpy as np
import pandas as pd
import pytest

from spinsnn.analysis.evaluation import NONE, assign_labels, confusion, predict
from spinsnn.engine import kernel as k
from spinsnn.engine.simulate import parameters, simulate
from spinsnn.engine.waveforms import input_voltage
from spinsnn.images.glyphs import letter
from spinsnn.network import SimControl, build_network
from spinsnn.network.description import LIFNeuron, Sequence, shuffled_order
from spinsnn.run.results import load_dataset
from tests.conftest import O_LETTER, run_cli

PLUS = np.array([[0, 255, 0], [255, 0, 255], [0, 255, 0]])
CROSS = np.array([[255, 0, 255], [0, 255, 0], [255, 0, 255]])


def two_image_network(rest: float = 1e-3, **kwargs):
    seq = Sequence(np.stack([PLUS, CROSS]), ("plus", "cross"), ("plus", "cross"), np.array([0, 1, 1]), 10e-3, rest)
    return build_network(PLUS, "plus,cross", cells=2, sequence=seq, **kwargs)


def inputs(net, t):
    st = net.stimulus(net.sequence.stop)
    vin = np.zeros(net.n_in)
    k.inputs_at(t, st.windows, st.order, parameters(net, st), vin)
    return vin


def test_presentations_restart_the_input_windows_and_rest_at_zero():
    net = two_image_network()
    st = net.stimulus(net.sequence.stop)
    edge = net.input_neuron.edge
    np.testing.assert_allclose(inputs(net, 0.0), 0.150)  # every window starts at the peak
    np.testing.assert_allclose(inputs(net, 11e-3), 0.150)  # presentation 1 starts at 10 + 1 ms
    np.testing.assert_allclose(inputs(net, 10.5e-3), 0.0)  # the rest
    end = np.array([input_voltage(10e-3, w, 0.150, 24.0) for w in st.windows[0]])
    np.testing.assert_allclose(inputs(net, 10e-3 + edge / 2), end / 2)  # falling to 0 V
    np.testing.assert_allclose(inputs(net, 11e-3 - edge / 2), 0.075)  # rising back to the peak
    later = np.array([input_voltage(2e-3, w, 0.150, 24.0) for w in st.windows[1]])
    np.testing.assert_allclose(inputs(net, 13e-3), later)  # cross, 2 ms into its windows
    np.testing.assert_allclose(inputs(net, 24e-3), later)  # and again in presentation 2
    assert not np.allclose(later, [input_voltage(2e-3, w, 0.150, 24.0) for w in st.windows[0]])


def test_orders_are_seeded_permutations_per_epoch():
    order = shuffled_order(12, 3, seed=5)
    assert order.size == 36 and all(sorted(order[e * 12:(e + 1) * 12]) == list(range(12)) for e in range(3))
    np.testing.assert_array_equal(order, shuffled_order(12, 3, seed=5))
    assert not np.array_equal(order, shuffled_order(12, 3, seed=6))


def test_run_records_which_image_was_shown_when(tmp_path):
    proc = run_cli("train", "--images", "letters:I,O,X", "--epochs", "2", "--present", "20ms", "--rest", "2ms",
                   "--outputs", "2", "--out", str(tmp_path / "seq"))
    assert proc.returncode == 0, proc.stderr
    ds = load_dataset(tmp_path / "seq" / "dataset.nc")
    np.testing.assert_allclose(ds["presentation_start"], np.arange(6) * 22e-3)
    shown = ds["image_name"].values[ds["presentation_image"].values]
    assert sorted(shown[:3]) == sorted(shown[3:]) == ["I", "O", "X"]
    assert ds["time"].values[-1] == pytest.approx(6 * 22e-3)
    manifest = json.loads((tmp_path / "seq" / "manifest.json").read_text())
    assert manifest["parameters"]["stop"] == pytest.approx(0.132)
    assert set(manifest["summary"]["closest_image"]) <= {"I", "O", "X"}
    bad = run_cli("train", "--images", "letters:I,O", "--stop", "20ms", "--out", str(tmp_path / "bad"))
    assert bad.returncode == 2 and "--stop" in bad.stderr
    bad = run_cli("train", "--images", "letters:I,O", "--rest", "5ns", "--out", str(tmp_path / "bad"))
    assert bad.returncode == 2 and "--rest" in bad.stderr
    for args, field in [(("--images", "letters:I,O", "--backend", "vacask"), "--rest"),  # SPICE needs edges
                        (("--image", "O", "--test-images", "letters"), "--label-images"),
                        (("--images", "letters:I,O", "--test-images", "digits:0-3"), "--test-images"),
                        (("--images", "letters:I,O", "--inhibition", "wta", "--inhibit-time", "1us"), "--inhibit-time"),
                        (("--images", "letters:I,O", "--present", "200us"), "--present")]:
        bad = run_cli("train", *args, "--out", str(tmp_path / "bad"))
        assert bad.returncode == 2 and bad.stderr.startswith(f"spinsnn: error: {field}:"), (args, bad.stderr)
    shown = run_cli("train", "--inference", "--from", str(tmp_path / "seq"), "--images", "letters:X,I",
                    "--out", str(tmp_path / "shown"))
    assert shown.returncode == 0, shown.stderr
    params = json.loads((tmp_path / "shown" / "manifest.json").read_text())["parameters"]
    assert (params["present"], params["rest"], params["stop"]) == pytest.approx((20e-3, 2e-3, 2 * 22e-3))


def wta_run(t_inhibit: float, **lif):
    seq = Sequence(np.stack([letter(n) for n in "IOXT"]), tuple("IOXT"), tuple("IOXT"), shuffled_order(4, 2, 0),
                   50e-3, 0.0)
    net = build_network(letter("I"), "IOXT", n_out=4, cells=2, seed=3, sequence=seq,
                        lif=LIFNeuron(vth=8e-3, t_inhibit=t_inhibit, **lif))
    return simulate(net, SimControl(stop=seq.stop))


def fires_of_others_within(res, window: float) -> int:
    n = 0
    for t, j in zip(res.spike_time, res.spike_neuron):
        others = (res.spike_neuron != j) & (res.spike_time > t) & (res.spike_time <= t + window)
        n += int(others.sum())
    return n


def test_inhibition_holds_the_other_neurons():
    free = wta_run(0.0)
    assert fires_of_others_within(free, 3e-3) > 0  # without inhibition, outputs fire close together
    held = wta_run(3e-3, vth_step=3e-3, vth_tau=50e-3)
    assert len(set(held.spike_neuron)) >= 2  # homeostasis lets several outputs win
    assert fires_of_others_within(held, 3e-3) == 0
    # a held neuron's capacitor only discharges during the hold
    for t, j in zip(held.spike_time, held.spike_neuron):
        during = (held.sample_time > t + 1e-5) & (held.sample_time < t + 3e-3)
        for other in set(range(4)) - {j}:
            assert np.all(np.diff(held.vcap[during, other]) <= 1e-12)


def test_homeostasis_raises_the_threshold_with_each_fire():
    plain, adapting = wta_run(0.0), wta_run(0.0, vth_step=4e-3, vth_tau=1.0)
    assert 0 < adapting.spike_time.size < plain.spike_time.size


def test_orientation_decides_which_state_training_writes():
    """Published orientation: bright pixels of O end AP and dark ones P. Flipped, the fire's
    potentiation part (out at -100 mV) now drives P -> AP wherever the input is above
    0 V, which at fire times is nearly every input: everything ends AP."""
    final = {}
    for orientation in ("out-in", "in-out"):
        net = build_network(O_LETTER, "O", cells=4, switching="deterministic", orientation=orientation)
        res = simulate(net, SimControl(stop=150e-3))
        final[orientation] = res.sum_ix(4)[-1] / 4
    bright = O_LETTER.ravel() > 0
    assert np.all(final["out-in"][bright] == 1) and np.all(final["out-in"][~bright] == 0)
    assert np.all(final["in-out"] == 1)


def test_assignment_and_accuracy_by_hand():
    counts = pd.DataFrame({
        "image": ["a1", "a1", "b1", "b1", "a2", "a2", "b2", "b2"],
        "label": ["A", "A", "B", "B", "A", "A", "B", "B"],
        "output": [0, 1, 0, 1, 0, 1, 0, 1],
        "spikes": [5, 1, 2, 4, 3, 3, 0, 0],
    })
    # output 0: A 4.0 vs B 1.0 -> A; output 1: A 2.0 vs B 2.0 -> tie -> A (sorts first)
    assert assign_labels(counts) == {0: "A", 1: "A"}
    test = pd.DataFrame({"image": ["x", "x", "y", "y", "z", "z"], "label": ["A", "A", "B", "B", "B", "B"],
                         "output": [0, 1, 0, 1, 0, 1], "spikes": [3, 0, 0, 6, 0, 0]})
    assignment = {0: "A", 1: "B"}
    predictions = predict(test, assignment)
    assert list(predictions["predicted"]) == ["A", "B", NONE]  # z: nobody answers
    assert (predictions["label"] == predictions["predicted"]).mean() == pytest.approx(2 / 3)
    table = confusion(predictions)
    assert table.loc["B", NONE] == 1 and table.loc["A", "A"] == 1 and table.values.sum() == 3


def test_evaluation_of_hand_set_states(tmp_path):
    """Two outputs with hand-set states: output 1 conducts best from the top row, output 2
    from the bottom row. Labelled on 'top'/'bottom', the test images whose bright pixels
    lie mostly in one row are classified by that row; 'both' (labelled top) has equal
    overlap with the two outputs and is answered alike, so it goes to the first label,
    bottom: 2 of 3 right, as computed by hand."""
    proc = run_cli("train", "--image", str(save(tmp_path, "top", [[1, 1, 1], [0, 0, 0], [0, 0, 0]])),
                   "--outputs", "2", "--cells", "2", "--vth", "5mV", "--stop", "2ms", "--out", str(tmp_path / "run"))
    assert proc.returncode == 0, proc.stderr
    states = np.ones((2, 9, 2), np.int8)  # AP everywhere but P on output 1's top row and output 2's bottom row
    states[0, :3] = 0
    states[1, 6:] = 0
    set_final_states(tmp_path / "run", states.ravel())
    labels = tmp_path / "labelling"
    save(labels, "top", [[1, 1, 1], [0, 0, 0], [0, 0, 0]]), save(labels, "bottom", [[0, 0, 0], [0, 0, 0], [1, 1, 1]])
    tests = tmp_path / "tests"
    save(tests, "t1", [[1, 1, 0], [0, 0, 0], [0, 0, 0]]), save(tests, "b1", [[0, 0, 0], [0, 0, 0], [0, 1, 1]])
    save(tests, "both", [[1, 0, 0], [0, 0, 0], [1, 0, 0]])
    (labels / "labels.csv").write_text("name,label\ntop,top\nbottom,bottom\n")
    (tests / "labels.csv").write_text("name,label\nt1,top\nb1,bottom\nboth,top\n")
    proc = run_cli("evaluate", str(tmp_path / "run"), "--label-images", str(labels), "--test-images", str(tests),
                   "--present", "150ms")
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "run" / "evaluation.json").read_text())
    assert result["assignment"] == {"0": "top", "1": "bottom"}
    assert result["accuracy"] == pytest.approx(2 / 3)
    predictions = pd.read_csv(tmp_path / "run" / "predictions.csv").set_index("image")["predicted"]
    assert predictions.to_dict() == {"b1": "bottom", "both": "bottom", "t1": "top"}
    assert (tmp_path / "run" / "plots" / "confusion.png").exists()


def save(folder, name, rows):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.npy"
    np.save(path, np.array(rows, np.uint8) * 255)
    return path


def set_final_states(run_dir, states):
    """Overwrite a run's final MTJ states (what inference starts from)."""
    import xarray as xr

    ds = load_dataset(run_dir / "dataset.nc")
    ds["final_state"] = xr.DataArray(states.astype(np.int8), dims=("mtj",))
    ds.to_netcdf(run_dir / "dataset.nc", engine="scipy")
