"""spinsnn: circuit-level spiking neural networks with stochastic MTJ synapses."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("spinsnn")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
