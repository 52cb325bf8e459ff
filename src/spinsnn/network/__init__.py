"""The one network description every backend consumes."""

from spinsnn.network.description import (
    Coding,
    InputNeuron,
    LIFNeuron,
    Network,
    SimControl,
    build_network,
)
from spinsnn.network.storage import load_network, save_network

__all__ = [
    "Coding",
    "InputNeuron",
    "LIFNeuron",
    "Network",
    "SimControl",
    "build_network",
    "load_network",
    "save_network",
]
