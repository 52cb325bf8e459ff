"""Network description: sampling, seeds, and an exact save/load round trip."""

import numpy as np
import pytest

from spinsnn.devices.mtj import MTJParams
from spinsnn.errors import InputError
from spinsnn.network import build_network, load_network, save_network


def test_round_trip_is_exact(tmp_path, letter_o):
    net = build_network(letter_o, "O", n_out=2, cells=3, dev=0.1, variability="uniform", seed=7)
    save_network(net, tmp_path / "net.npz")
    back = load_network(tmp_path / "net.npz")
    for name in ("image", "tox", "tsl", "tmr", "initial_state", "switch_seed"):
        np.testing.assert_array_equal(getattr(back, name), getattr(net, name))
        assert getattr(back, name).dtype == getattr(net, name).dtype
    for name in ("image_name", "n_out", "cells", "coding", "input_neuron", "lif", "mtj", "switching",
                 "variability", "dev", "seed"):
        assert getattr(back, name) == getattr(net, name)


def test_shapes_and_synapse_order(letter_o):
    net = build_network(letter_o, "O", n_out=2, cells=4)
    assert net.n_in == 25 and net.n_syn == 50
    assert net.initial_state.shape == (2, 25, 4)
    g = net.conductance(np.zeros(net.initial_state.size))
    np.testing.assert_allclose(g, 4 / 6216.98, rtol=1e-5)  # four P cells in parallel


def test_synapse_order_follows_results_txt(letter_o):
    # MTJ of output j=1, input i=3, cell 2 in AP: synapse k = j*n_in + i = 28 (column 29 of results.txt)
    net = build_network(letter_o, "O", n_out=2, cells=4)
    states = np.zeros((2, 25, 4), dtype=np.int8)
    states[1, 3, 2] = 1
    g = net.conductance(states.ravel())
    low = np.flatnonzero(g < g.max())
    assert low.tolist() == [28]


def test_seeds(letter_o):
    a = build_network(letter_o, "O", cells=8, seed=3)
    b = build_network(letter_o, "O", cells=8, seed=3)
    c = build_network(letter_o, "O", cells=8, seed=4)
    np.testing.assert_array_equal(a.initial_state, b.initial_state)
    np.testing.assert_array_equal(a.switch_seed, b.switch_seed)
    assert not np.array_equal(a.initial_state, c.initial_state)
    # initial states are a fair coin: 200 MTJs, mean within 4 sigma of 0.5
    assert abs(a.initial_state.mean() - 0.5) < 4 * 0.5 / np.sqrt(200)


def test_variability_does_not_move_initial_states(letter_o):
    a = build_network(letter_o, "O", cells=8, seed=3, dev=0.0)
    b = build_network(letter_o, "O", cells=8, seed=3, dev=0.2)
    np.testing.assert_array_equal(a.initial_state, b.initial_state)


def test_variability_statistics():
    img = np.zeros((20, 25))
    nominal = MTJParams()
    net = build_network(img, "zeros", cells=20, dev=0.1, variability="normal", seed=1)
    assert np.all(net.tox > 0)
    assert net.tox.mean() == pytest.approx(nominal.tox, rel=0.01)
    assert net.tox.std() == pytest.approx(0.1 * nominal.tox, rel=0.05)
    uni = build_network(img, "zeros", cells=20, dev=0.2, variability="uniform", seed=1)
    assert uni.tmr.min() >= 0.7 * 0.8 and uni.tmr.max() <= 0.7 * 1.2
    assert uni.tmr.std() == pytest.approx(0.7 * 0.2 / np.sqrt(3), rel=0.05)
    still = build_network(img, "zeros", cells=2, dev=0.0, seed=1)
    assert np.all(still.tsl == nominal.tsl)


def test_bad_values(letter_o):
    with pytest.raises(InputError, match="--cells"):
        build_network(letter_o, "O", cells=0)
    with pytest.raises(InputError, match="--variability"):
        build_network(letter_o, "O", dev=0.1, variability="lognormal")
