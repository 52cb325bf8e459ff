"""Energy: V^2 t / R of a known pulse, the engine's fire energy against an integral, the report."""

import numpy as np
import pytest
from scipy.integrate import quad

from spinsnn.analysis.energy import energy_report
from spinsnn.devices.defects import Defects
from spinsnn.devices.mtj import MTJParams, resistance_ap, resistance_p
from spinsnn.engine.energy import waveform_energy
from spinsnn.engine.simulate import simulate
from spinsnn.engine.waveforms import FIRE_DURATION, fire_voltage
from spinsnn.network import SimControl, build_network
from spinsnn.network.description import LIFNeuron


def test_pulse_across_a_fixed_resistor():
    """A 1-pixel network whose one MTJ is shorted by 1 kOhm: a rectangular pulse of V on
    the output node while the (black) input sits at 0 V dissipates V^2 t / R."""
    r, v, width = 1e3, 0.2, 2e-6
    net = build_network(np.zeros((1, 1)), "dot", cells=1, defects=Defects(short=1.0, short_resistance=r))
    control = SimControl(stop=150e-3)  # 3 windows of 50 ms: the input is at 0 V from 10.01 to 49.99 ms
    t0, edge = 20e-3, 1e-12
    t = np.array([15e-3, t0, t0 + edge, t0 + edge + width, t0 + 2 * edge + width, 30e-3])
    vout = np.array([0, 0, v, v, 0, 0.0])[:, None]
    vcap = np.zeros_like(vout)
    e_syn, e_upd, e_neu = waveform_energy(net, control, t, np.zeros((t.size, 1), np.int8), vout, vcap,
                                          np.zeros_like(vout, bool))
    assert e_syn[0] == pytest.approx(v**2 * width / r, rel=1e-5)
    assert e_upd[0] == 0.0  # no fire
    assert e_neu[0] == pytest.approx(v**2 * width / LIFNeuron().R_charge, rel=1e-5)  # the charge path


def test_engine_fire_energy_matches_the_integral_of_the_fire_waveform():
    """White image, every MTJ stuck in P: the output node follows the common input except
    during fires, when the fire waveform drives n_syn*cells resistors R_P against it."""
    mtj = MTJParams()
    r_p = float(resistance_p(mtj.tox, mtj.area, mtj))
    net = build_network(np.full((3, 3), 255), "white", cells=2, defects=Defects(stuck_p=1.0))
    res = simulate(net, SimControl(stop=30e-3))
    assert res.spike_time.size >= 2
    g = net.n_syn * net.cells / r_p
    windows = net.input_windows(30e-3)

    def vin(t):  # the common input: a 10 ms ramp from 150 mV to -90 mV each window (no fire here ends one)
        tau = t % windows[0, 0]
        return 0.150 - 24.0 * tau

    expected = 0.0
    corners = [0, 10e-9, 0.5e-6, 0.51e-6, 6.5e-6, 7.0e-6, 7.2e-6, 8.2e-6, FIRE_DURATION]
    for t_f in res.spike_time:
        v_start = vin(t_f)
        for a, b in zip(corners[:-1], corners[1:]):
            expected += quad(lambda s: g * (fire_voltage(s, v_start, 10e-9) - vin(t_f + s)) ** 2, a, b)[0]
    assert res.update_energy[0] == pytest.approx(expected, rel=1e-4)
    # outside fires the node follows the inputs: almost nothing else is dissipated in the synapses
    assert res.synapse_energy[0] == pytest.approx(expected, rel=1e-3)
    assert float(resistance_ap(r_p, mtj.TMR, 0.0, mtj.Vh)) > r_p


def test_energy_report_definitions():
    net = build_network(np.full((3, 3), 255), "white", cells=2)
    res = simulate(net, SimControl(stop=30e-3))
    e = energy_report(res, net)
    total = res.synapse_energy.sum() + res.neuron_energy.sum()
    assert e["total_J"] == pytest.approx(total)
    assert e["per_output_spike_J"] == pytest.approx(total / res.spike_time.size)
    assert e["synaptic_power_per_synapse_W"] == pytest.approx(res.synapse_energy.sum() / 30e-3 / 9)
    assert e["per_switching_event_J"] == pytest.approx(res.update_energy.sum() / res.switch_time.size)
