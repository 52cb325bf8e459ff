"""Sets of labelled images, named on the command line.

``letters`` (the 12 builtin letters) or ``letters:I,O,X``; ``digits:0-9`` (scikit-learn
digits by index, labelled with their digit); a folder of ``.npy`` files; a ``.npz``
bundle. A folder or bundle takes its labels from a ``labels.csv`` (``name,label``) in
the same folder, as ``spinsnn images digits`` writes it; otherwise each image is
labelled with its name.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spinsnn.errors import InputError
from spinsnn.images.glyphs import builtin_letters
from spinsnn.images.io import check_image, load_image

_INDEX_ITEM = re.compile(r"(\d+)(?:\s*-\s*(\d+))?")
LABELS = "labels.csv"


@dataclass(frozen=True)
class ImageSet:
    """Images in order, with their names and labels (text)."""

    names: list[str]
    images: list[np.ndarray]
    labels: list[str]

    def __len__(self) -> int:
        return len(self.names)

    def shape(self, field: str) -> tuple[int, ...]:
        """The common shape of the images; refused if they differ."""
        shapes = {im.shape for im in self.images}
        if len(shapes) != 1:
            raise InputError(field, sorted(shapes), "images of one size")
        return shapes.pop()


def parse_indices(text: str, field: str = "--indices") -> list[int]:
    """Parse ``"0,10,20-29"`` into indices (ranges inclusive; repeats dropped, order kept).

    Raises
    ------
    InputError
        for empty items, non-numbers, negative numbers or a range whose end is below its start.
    """
    indices: list[int] = []
    for item in text.split(","):
        match = _INDEX_ITEM.fullmatch(item.strip())
        if match is None:
            raise InputError(field, text, "comma-separated indices or ranges, e.g. 0,10,20-29")
        first = int(match[1])
        last = int(match[2]) if match[2] else first
        if last < first:
            raise InputError(field, item.strip(), "a range start-end with start <= end")
        indices.extend(range(first, last + 1))
    return list(dict.fromkeys(indices))


def read_labels(folder: Path, names: list[str], field: str) -> list[str]:
    """Labels of ``names`` from ``folder/labels.csv`` if there is one, else the names."""
    path = folder / LABELS
    if not path.is_file():
        return list(names)
    with path.open(newline="", encoding="utf-8") as fh:
        table = {row["name"]: row["label"] for row in csv.DictReader(fh) if "name" in row and "label" in row}
    missing = [n for n in names if n not in table]
    if missing:
        raise InputError(field, str(path), f"a label for every image (none for {', '.join(missing[:3])})")
    return [table[n] for n in names]


def letter_set(spec: str, field: str) -> ImageSet:
    letters = builtin_letters()
    names = list(letters) if spec == "letters" else [n.strip().upper() for n in spec.split(":", 1)[1].split(",")]
    for name in names:
        if name not in letters:
            raise InputError(field, spec, f"letters among {' '.join(letters)}")
    return ImageSet(names, [letters[n] for n in names], names)


def digit_set(spec: str, field: str) -> ImageSet:
    from spinsnn.images.digits import load_digits  # scikit-learn costs ~1 s to import

    indices = parse_indices(spec.split(":", 1)[1], field)
    images, labels = load_digits(indices, field)
    return ImageSet([f"digit_{i}" for i in indices], list(images), [str(d) for d in labels])


def folder_set(path: Path, field: str) -> ImageSet:
    files = sorted(path.glob("*.npy"))
    if not files:
        raise InputError(field, str(path), "a folder with .npy images")
    names, images = zip(*(load_image(str(f), field) for f in files))
    return ImageSet(list(names), list(images), read_labels(path, list(names), field))


def bundle_set(path: Path, field: str) -> ImageSet:
    try:
        with np.load(path, allow_pickle=False) as data:
            names = list(data.files)
            images = [check_image(data[n], field, f"{path}:{n}") for n in names]
    except (OSError, ValueError, EOFError):
        raise InputError(field, str(path), "a .npz bundle of images written by numpy") from None
    if not names:
        raise InputError(field, str(path), "a bundle with at least one image")
    return ImageSet(names, images, read_labels(path.parent, names, field))


def load_image_set(spec: str, field: str = "--images") -> ImageSet:
    """The image set named by ``spec`` (see the module docstring)."""
    spec = spec.strip()
    if spec == "letters" or spec.startswith("letters:"):
        return letter_set(spec, field)
    if spec.startswith("digits:"):
        return digit_set(spec, field)
    path = Path(spec)
    if path.is_dir():
        return folder_set(path, field)
    if path.suffix.lower() == ".npz" and path.is_file():
        return bundle_set(path, field)
    raise InputError(field, spec, "letters, letters:I,O,X, digits:0-9, a folder of .npy images or a .npz bundle")
