"""Training-quality metric: distance between normalised synapse values and the image."""

from __future__ import annotations

import numpy as np


def weights(sum_ix: np.ndarray, cells: int) -> np.ndarray:
    """Normalised synapse values ``sum(ix)/cells`` in [0, 1]."""
    return np.asarray(sum_ix, dtype=float) / cells


def distance_to_image(weight: np.ndarray, pixels: np.ndarray) -> np.ndarray:
    """Euclidean distance ``|| w - pixels/255 ||`` per output (MODEL_SPEC section 5).

    ``weight`` has shape ``(..., n_out * n_in)`` in synapse order ``k = j*n_in + i``;
    the result has shape ``(..., n_out)``.
    """
    target = np.asarray(pixels, dtype=float).ravel() / 255.0
    w = np.asarray(weight, dtype=float)
    w = w.reshape(*w.shape[:-1], -1, target.size)
    return np.linalg.norm(w - target, axis=-1)


def closest_target(weight: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per output, the target image closest to the last row of weights, and the distance of
    every row to that same image.

    ``weight`` is ``(n_rows, n_out * n_in)``, ``targets`` ``(n_targets, n_in)`` pixels;
    returns distances ``(n_rows, n_out)`` and target indices ``(n_out,)``.
    """
    d = np.stack([distance_to_image(weight, t) for t in targets], axis=-1)  # (n_rows, n_out, n_targets)
    closest = d[-1].argmin(axis=-1)
    return d[:, np.arange(closest.size), closest], closest
