"""Builtin engine: analytic limits, learning the letter O, stepping modes, seeds."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from spinsnn.analysis.distance import distance_to_image
from spinsnn.engine.simulate import simulate
from spinsnn.network import SimControl, build_network
from spinsnn.network.description import LIFNeuron

LIF = LIFNeuron()


def test_uniform_image_charges_like_an_rc_circuit():
    """All inputs equal: out follows the input, and V(cap) is the RC response to it.

    The first fire time is compared with scipy's integration of
    C dV/dt = (v_in(t) - V)/R_charge, which holds while v_in >= V.
    """
    net = build_network(np.full((3, 3), 255), "white", cells=2, switching="deterministic")
    res = simulate(net, SimControl(stop=150e-3))
    slope = 0.240 / 10e-3

    def rhs(t, v):
        return [(0.150 - slope * t - v[0]) / (LIF.R_charge * LIF.C)]

    def reach_vth(t, v):
        return v[0] - LIF.vth

    reach_vth.terminal = True
    ref = solve_ivp(rhs, (0, 10e-3), [0.0], events=reach_vth, rtol=1e-10, atol=1e-12)
    assert res.spike_time[0] == pytest.approx(ref.t_events[0][0], abs=1e-6)
    # before the fire, out follows the common input (the load of R_charge is ~1e-6 of the MTJs)
    early = res.sample_time < res.spike_time[0]
    np.testing.assert_allclose(res.vout[early, 0], 0.150 - slope * res.sample_time[early], atol=1e-6)


def test_fire_resets_capacitor_through_r_reset():
    net = build_network(np.full((3, 3), 255), "white", cells=2, switching="deterministic")
    control = SimControl(stop=10e-3, stepping="fixed", sample_interval=100e-9)
    res = simulate(net, control)
    t_fire = res.spike_time[0]
    after = np.searchsorted(res.sample_time, t_fire + 8.4e-6 - 1e-12)
    expected = LIF.vth * np.exp(-8.4e-6 / (LIF.R_reset * LIF.C))
    assert res.vcap[after, 0] == pytest.approx(expected, rel=0.05)
    # during the fire's potentiation plateau the output node sits at -100 mV
    mid = np.searchsorted(res.sample_time, t_fire + 3e-6)
    assert res.vout[mid, 0] == pytest.approx(-0.100, abs=1e-9)


@pytest.fixture(scope="module")
def trained_o():
    from tests.conftest import O_LETTER

    net = build_network(O_LETTER, "O", cells=4, switching="deterministic", seed=0)
    fixed = simulate(net, SimControl(stepping="fixed", step=100e-9))
    adaptive = simulate(net, SimControl(stepping="adaptive"))
    return net, fixed, adaptive


def test_letter_o_is_learned(trained_o):
    net, fixed, _ = trained_o
    w = fixed.sum_ix(4) / 4
    bright = net.pixels > 127
    assert np.all(w[-1, bright] >= 0.9)
    assert w[-1, bright].mean() - w[-1, ~bright].mean() >= 0.3
    d = distance_to_image(w[[0, -1]], net.pixels)[:, 0]
    assert d[1] < d[0]
    assert 1 <= fixed.spike_time.size <= 10  # MODEL_SPEC section 7: a handful of fires


def test_fixed_and_adaptive_agree(trained_o):
    _, fixed, adaptive = trained_o
    np.testing.assert_array_equal(fixed.final_state, adaptive.final_state)
    np.testing.assert_allclose(adaptive.spike_time, fixed.spike_time, atol=1e-6)
    assert adaptive.steps * 20 < fixed.steps
    np.testing.assert_allclose(adaptive.print_vcap, fixed.print_vcap, atol=20e-6)


def test_switching_events_replay_to_final_state(trained_o):
    net, fixed, _ = trained_o
    state = fixed.initial_state.copy()
    for m, s in zip(fixed.switch_mtj, fixed.switch_state):
        assert state[m] != s
        state[m] = s
    np.testing.assert_array_equal(state, fixed.final_state)


def test_same_seed_same_results_different_seed_differs(letter_o):
    control = SimControl(stop=40e-3)
    runs = [simulate(build_network(letter_o, "O", cells=2, seed=s), control) for s in (5, 5, 6)]
    a, b, c = runs
    for name in ("states", "print_vcap", "vcap", "vout", "spike_time", "switch_time", "switch_mtj"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.initial_state, c.initial_state)


def test_interrupt_keeps_partial_results(letter_o):
    net = build_network(letter_o, "O", cells=2)

    def stop_at_5ms(t):
        if t >= 5e-3:
            raise KeyboardInterrupt

    res = simulate(net, SimControl(stop=150e-3), progress=stop_at_5ms)
    assert res.simulated_until == pytest.approx(5e-3)
    assert res.print_time[-1] == pytest.approx(5e-3)
    assert res.states.shape[0] == 6
