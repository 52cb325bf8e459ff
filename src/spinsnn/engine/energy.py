"""Energy from node waveforms, with the engine's device equations.

The builtin engine integrates power as it steps (``kernel.accumulate``). A SPICE backend
hands back node voltages at its own time points instead; :func:`waveform_energy`
integrates the same powers over them (trapezoidal rule), with the input voltages
recomputed from the network's waveforms and the MTJ states decoded from the probes.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from spinsnn.engine import kernel as k
from spinsnn.engine.simulate import mtj_constants, parameters, synapse_constants
from spinsnn.network.description import Network, SimControl


@njit(cache=True, error_model="numpy")
def integrate_power(t, states, vout, vcap, firing, held, windows, order, prm, mc, syn):
    """Synapse, synapse-during-fire and neuron energy per output, ``(3, n_out)``.

    The leak resistor latches on when the output node falls below the capacitor and off
    at the end of a fire, as in the LIF circuit; a firing or held neuron discharges its
    capacitor through the reset resistor.
    """
    n_out = vout.shape[1]
    energy = np.zeros((3, n_out))
    vin = np.zeros(windows.shape[1])
    last = np.zeros((2, n_out))
    leak = np.zeros(n_out)
    for n in range(t.size):
        k.inputs_at(t[n], windows, order, prm, vin)
        h = t[n] - t[n - 1] if n > 0 else 0.0
        for j in range(n_out):
            p_syn = k.synapse_sums(j, vout[n, j], vin, states[n], mc, syn, prm)[2]
            c, dv = vcap[n, j], vout[n, j] - vcap[n, j]
            if firing[n, j] or held[n, j]:
                p_neu = c * c / prm[k.R_RESET]
                leak[j] = 0.0
            else:
                if dv < 0:
                    leak[j] = 1.0
                p_neu = (prm[k.G_CHARGE] * dv * dv if dv >= 0 else 0.0) + leak[j] * prm[k.G_LEAK] * c * c
            e_syn = 0.5 * h * (last[0, j] + p_syn)
            energy[0, j] += e_syn
            if firing[n, j] and n > 0 and firing[n - 1, j]:
                energy[1, j] += e_syn
            energy[2, j] += 0.5 * h * (last[1, j] + p_neu)
            last[0, j], last[1, j] = p_syn, p_neu
    return energy


def waveform_energy(net: Network, control: SimControl, t: np.ndarray, states: np.ndarray, vout: np.ndarray,
                    vcap: np.ndarray, firing: np.ndarray, held: np.ndarray | None = None) -> np.ndarray:
    """Energies ``(synapse, synapse during fires, neuron)`` per output from waveforms.

    ``states`` is ``(n_points, n_mtj)``; ``vout``, ``vcap``, ``firing`` and ``held``
    (bool: held by lateral inhibition) are ``(n_points, n_out)``.
    """
    mc = mtj_constants(net)
    stim = net.stimulus(control.stop)
    firing = np.ascontiguousarray(firing, dtype=np.bool_)
    held = np.zeros_like(firing) if held is None else np.ascontiguousarray(held, dtype=np.bool_)
    return integrate_power(np.asarray(t, float), np.ascontiguousarray(states, dtype=np.int8),
                           np.ascontiguousarray(vout, float), np.ascontiguousarray(vcap, float), firing, held,
                           stim.windows, stim.order, parameters(net, stim), mc, synapse_constants(mc, net.cells))
