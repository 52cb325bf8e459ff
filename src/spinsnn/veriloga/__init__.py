"""Verilog-A models of spinsnn (package data): MTJ, input neuron, LIF output neuron.

They compile with OpenVAF-reloaded (VACASK) and use only standard Verilog-A (Spectre).
"""

from importlib.resources import files
from pathlib import Path

MODELS = ("spinsnn_mtj.va", "spinsnn_input.va", "spinsnn_lif.va")


def model_sources() -> dict[str, str]:
    """File name -> Verilog-A source of every model."""
    root = files(__name__)
    return {name: (root / name).read_text() for name in MODELS}


def copy_models(dest: Path) -> list[Path]:
    """Write the models into ``dest`` (created); return their paths."""
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in model_sources().items():
        path = dest / name
        path.write_text(text)
        paths.append(path)
    return paths
