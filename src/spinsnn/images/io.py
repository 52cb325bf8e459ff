"""Loading an input image (builtin letter or ``.npy`` file) and saving image sets."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import numpy as np

from spinsnn.errors import InputError
from spinsnn.images.glyphs import builtin_letters

PIXEL_MAX = 255


def check_image(array: object, field: str, value: str) -> np.ndarray:
    """Validate a 2-D numeric image with values in [0, 255].

    Returns uint8 if every value is a whole number, else float64 (values are never
    rescaled: an array in 0..1 stays in 0..1). ``field`` and ``value`` name it in errors.
    """
    if not isinstance(array, np.ndarray) or array.dtype.kind not in "iuf":
        kind = array.dtype if isinstance(array, np.ndarray) else type(array).__name__
        raise InputError(field, value, f"a numeric array (integer or float), not {kind}")
    if array.ndim != 2 or array.size == 0:
        raise InputError(field, value, f"a non-empty 2-D image, not shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise InputError(field, value, "finite pixel values (no NaN or inf)")
    low, high = array.min(), array.max()
    if low < 0 or high > PIXEL_MAX:
        raise InputError(field, value, f"pixel values in 0..{PIXEL_MAX}, not {low}..{high}")
    if np.array_equal(array, np.rint(array)):
        return array.astype(np.uint8)
    return array.astype(np.float64)


def load_image(spec: str, field: str = "--image") -> tuple[str, np.ndarray]:
    """A builtin letter (e.g. ``U``, any case) or a ``.npy`` file holding a 2-D image.

    Returns
    -------
    name : the letter in upper case, or the file stem
    image : uint8 array, or float64 if some pixel values are not whole numbers (0..255)

    Raises
    ------
    InputError
        for an unknown letter, a missing, corrupt or pickled file, a wrong number of
        dimensions or values outside 0..255.
    """
    letters = builtin_letters()
    if spec.strip().upper() in letters:
        name = spec.strip().upper()
        return name, letters[name]
    path = Path(spec)
    if path.suffix.lower() != ".npy":
        raise InputError(field, spec, f"a letter ({' '.join(letters)}) or a .npy file")
    if not path.is_file():
        raise InputError(field, spec, "an existing .npy file")
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        raise InputError(field, spec, "a .npy file written by numpy.save, holding numbers") from None
    return path.stem, check_image(array, field, spec)


def _prepare_folder(out_dir: Path, field: str) -> None:
    """Create ``out_dir`` (and parents) unless it is already a folder."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(field, str(out_dir), "a folder, but this is an existing file")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(field, str(out_dir), f"a folder that can be created ({exc})") from exc


def save_images(
    out_dir: Path | str, images: dict[str, np.ndarray], bundle: str = "images", field: str = "--out"
) -> list[Path]:
    """Write each image as ``out_dir/<name>.npy`` and all of them as ``out_dir/<bundle>.npz``.

    The npz keys are the image names. The folder is created if needed.

    Returns
    -------
    the written paths: one ``.npy`` per image, in order, then the ``.npz`` bundle.

    Raises
    ------
    InputError
        (``field``) if ``out_dir`` is an existing file or cannot be written.
    """
    out_dir = Path(out_dir)
    _prepare_folder(out_dir, field)
    paths = [out_dir / f"{name}.npy" for name in images]
    bundle_path = out_dir / f"{bundle}.npz"
    try:
        for path, image in zip(paths, images.values()):
            np.save(path, image, allow_pickle=False)
        # written member by member so that any image name is a valid key
        with zipfile.ZipFile(bundle_path, "w") as archive:
            for name, image in images.items():
                with archive.open(f"{name}.npy", "w") as member:
                    np.lib.format.write_array(member, np.asarray(image), allow_pickle=False)
    except OSError as exc:
        raise InputError(field, str(out_dir), f"a writable folder ({exc})") from exc
    return [*paths, bundle_path]


def save_labels(
    out_dir: Path | str, labels: dict[str, int], filename: str = "labels.csv", field: str = "--out"
) -> Path:
    """Write ``out_dir/<filename>`` as CSV with header ``name,label``, one row per image."""
    out_dir = Path(out_dir)
    _prepare_folder(out_dir, field)
    path = out_dir / filename
    try:
        with path.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["name", "label"])
            writer.writerows([name, int(label)] for name, label in labels.items())
    except OSError as exc:
        raise InputError(field, str(out_dir), f"a writable folder ({exc})") from exc
    return path
