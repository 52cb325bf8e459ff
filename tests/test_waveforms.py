"""Input sawtooth and fire waveforms at chosen times (MODEL_SPEC sections 2, 3 and 8)."""

import numpy as np
import pytest

from spinsnn.engine.waveforms import fire_breakpoints, fire_voltage, input_breakpoints, input_voltage
from spinsnn.network.description import Coding, InputNeuron, input_windows

NEURON = InputNeuron()
SLOPE = (NEURON.peak - NEURON.trough) / NEURON.spike_duration
EDGE = NEURON.edge


def voltage(t, n_spikes, stop=0.150):
    win = input_windows(np.array([n_spikes]), stop, NEURON)[0]
    return input_voltage(t, win, NEURON.peak, SLOPE)


def test_rate_coding():
    np.testing.assert_allclose(Coding().n_spikes([0, 255, 127.5]), [3, 13, 8])


@pytest.mark.parametrize(
    "t, expected",
    [(0.0, 0.150), (5e-3, 0.030), (10e-3, -0.090), (10e-3 + EDGE / 2, -0.045), (10e-3 + EDGE, 0.0),
     (30e-3, 0.0), (50e-3 - EDGE / 2, 0.075), (50e-3, 0.150), (52.5e-3, 0.090), (60e-3, -0.090)],
)
def test_dark_pixel_sawtooth(t, expected):
    # 3 spikes in 150 ms: windows of 50 ms, ramp 150 -> -90 mV over 10 ms, then 0 V
    assert voltage(t, 3) == pytest.approx(expected, abs=1e-9)


def test_bright_pixel_windows():
    tw = 0.150 / 13
    assert voltage(tw, 13) == pytest.approx(0.150, abs=1e-9)
    assert voltage(tw + 2.5e-3, 13) == pytest.approx(0.090, abs=1e-9)
    assert voltage(tw - 1e-3, 13) == 0.0


def test_window_shorter_than_spike_is_cut():
    # 20 ms, 13 spikes: windows of 1.54 ms, the ramp never reaches -90 mV
    tw = 0.020 / 13
    assert voltage(1e-3, 13, stop=0.020) == pytest.approx(0.150 - SLOPE * 1e-3, abs=1e-9)
    assert voltage(tw, 13, stop=0.020) == pytest.approx(0.150, abs=1e-9)


@pytest.mark.parametrize(
    "s, expected",
    [(0.25e-6, 0.100), (0.5e-6, 0.050), (0.5e-6 + EDGE, -0.100), (3e-6, -0.100), (6.5e-6, -0.100),
     (6.75e-6, -0.050), (7.0e-6, 0.0), (7.1e-6, 0.050), (7.2e-6, 0.100), (8.2e-6, 0.100), (8.3e-6, 0.050),
     (8.4e-6, 0.0)],
)
def test_fire_waveform_corners(s, expected):
    assert fire_voltage(s, 0.02, EDGE) == pytest.approx(expected, abs=1e-9)


def test_fire_starts_from_node_voltage():
    assert fire_voltage(0.0, 0.033, EDGE) == pytest.approx(0.033)
    assert fire_voltage(EDGE, 0.033, EDGE) == pytest.approx(0.150 - 0.1 * EDGE / 0.5e-6)


def test_breakpoints():
    np.testing.assert_allclose(fire_breakpoints(EDGE), [EDGE, 0.5e-6, 0.5e-6 + EDGE, 6.5e-6, 7e-6, 7.2e-6,
                                                        8.2e-6, 8.4e-6])
    bps = input_breakpoints(input_windows(np.array([3.0]), 0.150, NEURON), 0.150)
    for corner in (10e-3, 10e-3 + EDGE, 50e-3 - EDGE, 50e-3, 60e-3):
        assert np.min(np.abs(bps - corner)) < 1e-15
    assert bps[0] == 0.0 and bps[-1] == 0.150
