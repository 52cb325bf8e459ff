"""Energy figures of a run, from the energies its backend integrated.

Definitions (all dissipation, in J or W):

- ``synapse_J``: in the MTJs of every synapse, over the whole run;
- ``synapse_during_fires_J``: the part of it dissipated while an output neuron fired
  (the fire waveform is what writes the MTJs);
- ``neuron_J``: in the output neurons' charge, leak and reset resistors;
- ``per_switching_event_J``: ``synapse_during_fires_J`` over the MTJ switching events;
- ``synaptic_power_W``: ``synapse_J`` over the simulated time, and per synapse;
- ``per_output_spike_J``: everything (synapses and neurons) over the output spikes.

A ratio whose denominator is 0 is ``None``.
"""

from __future__ import annotations

from spinsnn.network.description import Network
from spinsnn.run.results import Results


def ratio(num: float, den: float) -> float | None:
    return float(num / den) if den > 0 else None


def energy_report(results: Results, net: Network) -> dict:
    """The ``energy`` section of a run's manifest."""
    syn = float(results.synapse_energy.sum())
    upd = float(results.update_energy.sum())
    neu = float(results.neuron_energy.sum())
    t = results.simulated_until
    n_switch, n_spikes = int(results.switch_time.size), int(results.spike_time.size)
    return {
        "synapse_J": syn,
        "synapse_during_fires_J": upd,
        "neuron_J": neu,
        "total_J": syn + neu,
        "synapse_J_per_output": [float(e) for e in results.synapse_energy],
        "per_switching_event_J": ratio(upd, n_switch),
        "synaptic_power_W": ratio(syn, t),
        "synaptic_power_per_synapse_W": ratio(syn, t * net.n_syn),
        "per_output_spike_J": ratio(syn + neu, n_spikes),
    }
