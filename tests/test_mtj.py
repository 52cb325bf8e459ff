"""MTJ compact model against the reference values of MODEL_SPEC section 4."""

import numpy as np
import pytest

from spinsnn.devices.mtj import (
    MTJParams,
    critical_current,
    neel_brown_time,
    resistance_ap,
    resistance_p,
    sun_coefficient,
    sun_switching_time,
    thermal_stability,
)

P = MTJParams()
S = P.area
R_P = resistance_p(P.tox, S, P)
IC = critical_current(P.TMR, P.tsl, S, P)
DELTA = thermal_stability(P.tsl, S, P)


def test_resistances():
    assert R_P == pytest.approx(6217, abs=0.5)
    assert resistance_ap(R_P, P.TMR, 0.0, P.Vh) == pytest.approx(10569, abs=0.5)
    assert resistance_ap(R_P, P.TMR, 0.25, P.Vh) == pytest.approx(9698.5, abs=0.05)
    # TMR halves at Vh, and the bias dependence is even in V
    assert resistance_ap(R_P, P.TMR, -P.Vh, P.Vh) == pytest.approx(R_P * (1 + P.TMR / 2))


def test_critical_current_and_stability():
    assert IC == pytest.approx(38.21e-6, abs=0.005e-6)
    assert IC * R_P == pytest.approx(0.2376, abs=5e-5)
    assert DELTA == pytest.approx(22.75, abs=0.005)


def test_switching_times():
    k = sun_coefficient(DELTA, P.tsl, S, P)
    assert sun_switching_time(IC + 10e-6, IC, k) == pytest.approx(12.76e-9, rel=1e-3)
    assert neel_brown_time(0.15 / R_P, IC, DELTA, P.tau0) == pytest.approx(3.81e-6, rel=2e-3)
    assert neel_brown_time(0.19 / R_P, IC, DELTA, P.tau0) == pytest.approx(82.7e-9, rel=2e-3)
    i_ap = 0.25 / resistance_ap(R_P, P.TMR, 0.25, P.Vh)
    assert neel_brown_time(i_ap, IC, DELTA, P.tau0) == pytest.approx(1.43e-6, rel=3e-3)
    # analytic limit: at the critical current the thermal time is the attempt time
    assert neel_brown_time(IC, IC, DELTA, P.tau0) == pytest.approx(P.tau0)


def test_functions_accept_arrays():
    v = np.array([0.0, 0.25])
    np.testing.assert_allclose(resistance_ap(R_P, P.TMR, v, P.Vh), [10568.87, 9698.49], atol=0.01)
