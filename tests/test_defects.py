"""Defects: drawing per MTJ, states and conductances, and that defective cells never switch."""

import numpy as np
import pytest

from spinsnn.devices import defects as codes
from spinsnn.devices.defects import Defects, sample_defects
from spinsnn.devices.mtj import MTJParams, resistance_ap, resistance_p
from spinsnn.engine.simulate import simulate
from spinsnn.errors import InputError
from spinsnn.network import SimControl, build_network
from tests.conftest import O_LETTER

MTJ = MTJParams()
R_P = float(resistance_p(MTJ.tox, MTJ.area, MTJ))
R_AP = float(resistance_ap(R_P, MTJ.TMR, 0.0, MTJ.Vh))


def train(defects: Defects, cells: int = 3):
    net = build_network(O_LETTER, "O", cells=cells, switching="deterministic", seed=2, defects=defects)
    return net, simulate(net, SimControl(stop=150e-3))


@pytest.mark.parametrize("kind, code, state, g_cell", [
    ("stuck_p", codes.STUCK_P, 0, 1 / R_P),
    ("stuck_ap", codes.STUCK_AP, 1, 1 / R_AP),
    ("open", codes.OPEN, None, 0.0),
    ("short", codes.SHORT, None, 1 / 250.0),
])
def test_rate_one_makes_every_cell_defective(kind, code, state, g_cell):
    net, res = train(Defects(**{kind: 1.0}, short_resistance=250.0))
    assert np.all(net.defect == code)
    if state is not None:  # stuck cells start in their stuck state
        assert np.all(net.initial_state == state)
    assert res.switch_time.size == 0
    np.testing.assert_array_equal(res.final_state, net.initial_state.ravel())
    np.testing.assert_allclose(net.conductance(res.final_state), 3 * g_cell, rtol=1e-12)
    assert R_P == pytest.approx(6217, abs=1) and R_AP == pytest.approx(10569, abs=1)


def test_without_defects_the_same_run_switches():
    net, res = train(Defects())
    assert np.all(net.defect == codes.NONE) and res.switch_time.size > 0


def test_rates_are_fractions_and_raising_one_only_adds_defects():
    rng = lambda: np.random.default_rng(5)  # noqa: E731
    low = sample_defects(Defects(stuck_ap=0.1), (200, 50), rng())
    high = sample_defects(Defects(stuck_ap=0.3), (200, 50), rng())
    assert np.mean(low == codes.STUCK_AP) == pytest.approx(0.1, abs=0.02)
    assert np.mean(high == codes.STUCK_AP) == pytest.approx(0.3, abs=0.02)
    assert np.all(high[low == codes.STUCK_AP] == codes.STUCK_AP)
    mixed = sample_defects(Defects(stuck_p=0.2, open=0.2, short=0.1), (200, 50), rng())
    for code, rate in ((codes.STUCK_P, 0.2), (codes.OPEN, 0.2), (codes.SHORT, 0.1), (codes.NONE, 0.5)):
        assert np.mean(mixed == code) == pytest.approx(rate, abs=0.02)


def test_defects_do_not_change_the_other_draws():
    plain = build_network(O_LETTER, "O", cells=2, dev=0.1, seed=4)
    faulty = build_network(O_LETTER, "O", cells=2, dev=0.1, seed=4, defects=Defects(open=0.5))
    np.testing.assert_array_equal(plain.tox, faulty.tox)
    np.testing.assert_array_equal(plain.initial_state, faulty.initial_state)
    np.testing.assert_array_equal(plain.switch_seed, faulty.switch_seed)


@pytest.mark.parametrize("kwargs, field", [({"open": 1.5}, "--open"), ({"stuck_p": -0.1}, "--stuck-p"),
                                           ({"stuck_p": 0.6, "short": 0.6}, "--stuck-p"),
                                           ({"short_resistance": 0.0}, "--short-resistance")])
def test_bad_rates_are_refused(kwargs, field):
    with pytest.raises(InputError) as err:
        Defects(**kwargs)
    assert err.value.field.startswith(field)
