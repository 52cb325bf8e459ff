"""Handwritten 8x8 digits shipped with scikit-learn (no download needed)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spinsnn.images.idx import select

SKLEARN_MAX = 16  # scikit-learn digit pixels range over 0..16


def load_digits(indices: Sequence[int], field: str = "--indices") -> tuple[np.ndarray, np.ndarray]:
    """Chosen digits of ``sklearn.datasets.load_digits`` (1797 images).

    Returns
    -------
    images : uint8 array (len(indices), 8, 8), pixels scaled from 0..16 to 0..255 and rounded
    labels : int array (len(indices),), the digit each image shows

    Raises
    ------
    InputError
        if an index is outside 0 .. 1796.
    """
    from sklearn import datasets  # imported here: it costs ~1 s and only this command needs it

    bunch = datasets.load_digits()
    images = np.rint(bunch.images * (255 / SKLEARN_MAX)).astype(np.uint8)
    return select(images, indices, field), select(bunch.target, indices, field)
