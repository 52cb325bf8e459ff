"""Simulation results shared by every backend, saved as NetCDF (``dataset.nc``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from spinsnn.network.description import Network


@dataclass
class Results:
    """What a transient run produced.

    ``print_*`` arrays are taken every print interval (1 ms by default: the rows of
    ``results.txt``); ``sample_*`` every sample interval (10 us by default).
    MTJ index ``m`` belongs to synapse ``m // cells``; state 0 = P, 1 = AP.
    """

    print_time: np.ndarray  #: (n_print,) s
    states: np.ndarray  #: (n_print, n_mtj) int8 MTJ states
    print_vcap: np.ndarray  #: (n_print, n_out) membrane (capacitor) voltage, V
    sample_time: np.ndarray  #: (n_sample,) s
    vcap: np.ndarray  #: (n_sample, n_out) membrane voltage, V
    vout: np.ndarray  #: (n_sample, n_out) output-node voltage, V
    spike_time: np.ndarray  #: (n_spikes,) fire start times, s
    spike_neuron: np.ndarray  #: (n_spikes,) output neuron of each fire
    switch_time: np.ndarray  #: (n_switch,) s
    switch_mtj: np.ndarray  #: (n_switch,) MTJ index
    switch_state: np.ndarray  #: (n_switch,) state after the switch
    initial_state: np.ndarray  #: (n_mtj,)
    final_state: np.ndarray  #: (n_mtj,)
    synapse_energy: np.ndarray  #: (n_out,) J dissipated in the MTJs of each output's synapses
    update_energy: np.ndarray  #: (n_out,) J of ``synapse_energy`` dissipated during that output's fires
    neuron_energy: np.ndarray  #: (n_out,) J dissipated in each output neuron's resistors
    simulated_until: float  #: s; less than the stop time if the run was interrupted
    steps: int  #: time points: accepted steps (builtin), simulator points (VACASK), samples (Spectre/OCEAN)
    wall_time_s: float
    backend: str = "builtin"

    def sum_ix(self, cells: int) -> np.ndarray:
        """AP cells per synapse, ``(n_print, n_syn)``: the published synapse value."""
        return self.states.reshape(self.states.shape[0], -1, cells).sum(axis=-1)

    def to_dataset(self, net: Network) -> xr.Dataset:
        """Label every array with dimensions, units and the synapse/MTJ coordinates."""
        cells = net.cells
        syn = np.arange(net.n_syn)
        sum_ix = self.sum_ix(cells)
        ds = xr.Dataset(
            {
                "mtj_state": (("time", "mtj"), self.states.astype(np.int8)),
                "sum_ix": (("time", "synapse"), sum_ix.astype(np.int16)),
                "weight": (("time", "synapse"), sum_ix / cells),
                "conductance": (("time", "synapse"), net.conductance(self.states)),
                "membrane_print": (("time", "output"), self.print_vcap),
                "membrane": (("sample_time", "output"), self.vcap),
                "v_out": (("sample_time", "output"), self.vout),
                "spike_time": (("spike",), self.spike_time),
                "spike_neuron": (("spike",), self.spike_neuron.astype(np.int32)),
                "switch_time": (("switch",), self.switch_time),
                "switch_mtj": (("switch",), self.switch_mtj.astype(np.int32)),
                "switch_state": (("switch",), self.switch_state.astype(np.int8)),
                "initial_state": (("mtj",), self.initial_state.astype(np.int8)),
                "final_state": (("mtj",), self.final_state.astype(np.int8)),
                "synapse_energy": (("output",), np.asarray(self.synapse_energy, float)),
                "update_energy": (("output",), np.asarray(self.update_energy, float)),
                "neuron_energy": (("output",), np.asarray(self.neuron_energy, float)),
                "synapse_input": (("synapse",), (syn % net.n_in).astype(np.int32)),
                "synapse_output": (("synapse",), (syn // net.n_in).astype(np.int32)),
                "pixel": (("input",), net.pixels),
            },
            coords={"time": self.print_time, "sample_time": self.sample_time},
        )
        units = {"time": "s", "sample_time": "s", "conductance": "S", "membrane_print": "V",
                 "membrane": "V", "v_out": "V", "spike_time": "s", "switch_time": "s", "synapse_energy": "J",
                 "update_energy": "J", "neuron_energy": "J"}
        if net.sequence is not None:
            seq = net.sequence
            ds["presentation_start"] = (("presentation",), seq.starts())
            ds["presentation_image"] = (("presentation",), seq.order.astype(np.int32))
            ds["image_name"] = (("image",), np.array(seq.names, dtype=str))
            ds["image_label"] = (("image",), np.array(seq.labels, dtype=str))
            ds["images"] = (("image", "row", "column"), np.asarray(seq.images, dtype=float))
            ds.attrs.update(present=seq.present, rest=seq.rest)
            units["presentation_start"] = "s"
        for name, unit in units.items():
            ds[name].attrs["units"] = unit
        ds["mtj_state"].attrs["description"] = "0 = parallel (low R), 1 = antiparallel (high R)"
        ds["weight"].attrs["description"] = "sum(ix)/cells, normalised synapse value"
        ds.attrs.update(
            backend=self.backend,
            cells=cells,
            n_in=net.n_in,
            n_out=net.n_out,
            simulated_until=self.simulated_until,
            steps=self.steps,
            wall_time_s=self.wall_time_s,
        )
        return ds


def save_dataset(results: Results, net: Network, path: Path) -> None:
    """Write the labelled results to NetCDF (scipy engine, no extra C library)."""
    ds = results.to_dataset(net)
    ds.attrs["image_shape"] = np.asarray(net.image.shape, dtype=np.int32)
    ds.to_netcdf(path, engine="scipy")


def load_dataset(path: Path) -> xr.Dataset:
    """Read ``dataset.nc`` fully into memory."""
    with xr.open_dataset(path, engine="scipy", mmap=False) as ds:
        return ds.load()
