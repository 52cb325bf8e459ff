"""Switching: the portable generator, thresholds, and the rate function of the engine."""

import numpy as np
import pytest

from spinsnn.devices.switching import DETERMINISTIC, EXPONENTIAL, GAUSSIAN, draw_threshold, next_state
from spinsnn.engine import kernel as k
from spinsnn.engine.simulate import mtj_constants, parameters
from spinsnn.network.description import build_network


def test_park_miller_reference_value():
    # Park & Miller (1988): from seed 1, the 10000th state is 1043618065
    x = 1
    for _ in range(10000):
        x = next_state(x)
    assert x == 1043618065


def test_thresholds():
    assert draw_threshold(12345, DETERMINISTIC, 1.0) == (1.0, 12345)
    draws, x = [], 42
    for _ in range(20000):
        thr, x = draw_threshold(x, EXPONENTIAL, 1.0)
        draws.append(thr)
    draws = np.array(draws)
    # Exp(1): mean 1, P(E > 1) = 1/e; 20000 draws -> standard errors ~0.007 and ~0.0034
    assert draws.mean() == pytest.approx(1.0, abs=0.03)
    assert (draws > 1).mean() == pytest.approx(np.exp(-1), abs=0.015)
    seeds = np.random.default_rng(0).integers(1, 2**31 - 1, size=5000)  # as build_network draws them
    g = [draw_threshold(int(s), GAUSSIAN, 0.1)[0] for s in seeds]
    assert np.mean(g) == pytest.approx(1.0, abs=0.01)
    assert np.std(g) == pytest.approx(0.1, abs=0.01)


@pytest.fixture(scope="module")
def one_mtj():
    net = build_network(np.array([[255]]), "px", cells=1)
    return mtj_constants(net), parameters(net, net.stimulus(150e-3))


def rate(ix, vb, one_mtj):
    mc, prm = one_mtj
    return k.switching_rate(ix, vb, 0, mc, prm)


def test_rates_match_reference_times(one_mtj):
    assert 1 / rate(0, 0.15, one_mtj) == pytest.approx(3.81e-6, rel=2e-3)
    assert 1 / rate(0, 0.19, one_mtj) == pytest.approx(82.7e-9, rel=2e-3)
    assert 1 / rate(1, -0.25, one_mtj) == pytest.approx(1.43e-6, rel=3e-3)
    ic, r0 = one_mtj[0][k.IC, 0], one_mtj[0][k.R0, 0]
    assert 1 / rate(0, (ic + 10e-6) * r0, one_mtj) == pytest.approx(12.76e-9, rel=1e-3)


def test_rate_windows(one_mtj):
    assert rate(0, 0.099, one_mtj) == 0.0  # below thr_P2AP
    assert rate(0, 0.21, one_mtj) == 0.0  # gap between 0.8 Ic R_P and Ic R_P
    assert rate(0, -0.3, one_mtj) == 0.0  # P cannot go further towards P
    assert rate(1, -0.14, one_mtj) == 0.0  # below thr_AP2P
    assert rate(1, 0.3, one_mtj) == 0.0  # AP cannot go further towards AP
