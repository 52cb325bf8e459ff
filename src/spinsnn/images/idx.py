"""IDX files (the MNIST distribution format), plain or gzip-compressed (``.gz``).

Layout: two zero bytes, a dtype code (0x08 = unsigned byte), the number of dimensions,
one big-endian uint32 per dimension, then the values in row-major order.
"""

from __future__ import annotations

import gzip
import math
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from spinsnn.errors import InputError

UBYTE = 0x08
NDIMS = (1, 3)  # labels (magic 0x00000801) and images (magic 0x00000803)


def _read_bytes(path: Path, field: str) -> bytes:
    """All (decompressed) bytes of the file."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as stream:
                return stream.read()
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(field, str(path), "an existing IDX file") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(field, str(path), f"a readable IDX file ({exc})") from exc


def read_idx(path: Path | str, field: str = "--idx") -> np.ndarray:
    """Read an IDX file of unsigned bytes.

    Parameters
    ----------
    path : the file; a name ending in ``.gz`` is decompressed with gzip
    field : option name used in error messages

    Returns
    -------
    uint8 array: 3-D (count, rows, columns) for images (magic 0x00000803) or
    1-D (count,) for labels (magic 0x00000801).

    Raises
    ------
    InputError
        for a missing or unreadable file, a wrong magic number, dtype code or number of
        dimensions, or a size that does not match the header.
    """
    path = Path(path)
    data = _read_bytes(path, field)
    if len(data) < 4:
        raise InputError(field, str(path), f"an IDX file (only {len(data)} bytes, no header)")
    zeros, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zeros != 0:
        raise InputError(
            field, str(path), f"an IDX file (magic 0x{data[:4].hex()} does not start with 0000)"
        )
    if dtype_code != UBYTE:
        raise InputError(
            field, str(path), f"IDX dtype code 0x08 (unsigned byte), not 0x{dtype_code:02x}"
        )
    if ndim not in NDIMS:
        raise InputError(
            field, str(path), f"IDX images (3 dimensions) or labels (1 dimension), not {ndim}"
        )
    header = 4 + 4 * ndim
    if len(data) < header:
        raise InputError(field, str(path), "an IDX file (truncated inside the header)")
    dims = struct.unpack(f">{ndim}I", data[4:header])
    expected = header + math.prod(dims)
    if len(data) != expected:
        problem = "truncated" if len(data) < expected else "trailing data"
        raise InputError(
            field,
            str(path),
            f"{expected} bytes for dimensions {dims}; it has {len(data)} ({problem})",
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims).copy()


def select(images: np.ndarray, indices: Sequence[int], field: str = "--indices") -> np.ndarray:
    """The entries ``images[i]`` for ``i`` in ``indices``, in that order (a copy).

    Raises
    ------
    InputError
        if an index is outside ``0 .. len(images) - 1``.
    """
    count = len(images)
    for index in indices:
        if not 0 <= index < count:
            allowed = f"an index from 0 to {count - 1}" if count else "none: there are no entries"
            raise InputError(field, index, allowed)
    return images[list(indices)]
