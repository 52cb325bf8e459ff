"""Greyscale rendering of one input image with a colour bar, saved as PNG and PDF."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from spinsnn.errors import InputError
from spinsnn.plots.figures import new_figure, save_figure

SUFFIXES = ("", ".png", ".pdf")


def show_image(
    image: np.ndarray, out: Path | str, title: str | None = None, field: str = "--out"
) -> list[Path]:
    """Draw ``image`` (pixels 0..255, black = 0, white = 255) with a colour bar.

    Saved next to ``out`` as both ``.png`` and ``.pdf``
    (``foo.png`` -> ``foo.png`` and ``foo.pdf``).

    Returns
    -------
    the two written paths, PNG first.

    Raises
    ------
    InputError
        if ``image`` is not 2-D, ``out`` has a suffix other than .png/.pdf, or the
        folder cannot be written (``field`` names the output option).
    """
    image = np.asarray(image)
    if image.ndim != 2:
        raise InputError("image", f"shape {image.shape}", "a 2-D image")
    out = Path(out)
    if out.suffix.lower() not in SUFFIXES:
        raise InputError(field, str(out), "a .png or .pdf path (both files are written)")
    rows, cols = image.shape
    fig = new_figure(4.2, 3.6)
    ax = fig.add_subplot()
    shown = ax.imshow(image, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    fig.colorbar(shown, ax=ax, label="pixel value (0-255)")
    ax.set_xlabel("x (column)")
    ax.set_ylabel("y (row)")
    if max(rows, cols) <= 16:
        ax.set_xticks(range(cols))
        ax.set_yticks(range(rows))
    if title:
        ax.set_title(title)
    try:
        return save_figure(fig, out.with_suffix(""))
    except OSError as exc:
        raise InputError(field, str(out), f"a writable location ({exc})") from exc
