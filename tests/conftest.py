"""Shared fixtures: small images and a helper to run the ``spinsnn`` command."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

O_LETTER = np.array(
    [[0, 0, 0, 0, 0],
     [0, 1, 1, 1, 0],
     [0, 1, 0, 1, 0],
     [0, 1, 1, 1, 0],
     [0, 0, 0, 0, 0]], dtype=np.uint8) * 255


@pytest.fixture
def letter_o() -> np.ndarray:
    return O_LETTER.copy()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run ``spinsnn ARGS`` in a fresh interpreter, as a user would."""
    code = "from spinsnn.cli.main import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600)
