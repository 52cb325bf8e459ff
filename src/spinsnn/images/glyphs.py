"""Glyphs drawn as text: ``[NAME]`` followed by rows of ``#`` (on, 255) and ``.`` (off, 0).

Blank lines and lines starting with ``;`` are ignored; all rows of a glyph must have the
same length, and names (letters, digits, ``_``, ``-``) are unique ignoring case.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import numpy as np

from spinsnn.errors import InputError

ON, OFF = "#", "."
_NAME = re.compile(r"[A-Za-z0-9_-]+")


def _finish(name: str, rows: list[str], where: str) -> np.ndarray:
    """Turn the text rows of one glyph into a uint8 array of 0/255."""
    if not rows:
        raise InputError(where, f"[{name}]", "a glyph needs at least one row of '#' and '.'")
    return np.array([[255 if ch == ON else 0 for ch in row] for row in rows], dtype=np.uint8)


def parse_glyphs(text: str, source: str) -> dict[str, np.ndarray]:
    """Parse glyph text into arrays.

    Parameters
    ----------
    text : the glyph file contents
    source : name used in error messages (e.g. the file path)

    Returns
    -------
    dict mapping glyph name (as written) to a 2-D uint8 array with values 0 and 255.

    Raises
    ------
    InputError
        naming ``source:line`` for ragged rows, bad characters, empty glyphs, bad or
        duplicate names, rows before the first ``[NAME]``, or a text without glyphs.
    """
    glyphs: dict[str, np.ndarray] = {}
    seen: set[str] = set()
    name, header_at, rows = "", "", []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"{source}:{number}"
        if not line or line.startswith(";"):
            continue
        if line.startswith("["):
            if name:
                glyphs[name] = _finish(name, rows, header_at)
            if not line.endswith("]") or not _NAME.fullmatch(line[1:-1].strip()):
                raise InputError(where, line, "a header [NAME] with letters, digits, '_' or '-'")
            name, header_at, rows = line[1:-1].strip(), where, []
            if name.upper() in seen:
                raise InputError(where, line, "glyph names must be unique (ignoring case)")
            seen.add(name.upper())
            continue
        if not name:
            raise InputError(where, line, "a [NAME] header before the first row")
        if set(line) - {ON, OFF}:
            raise InputError(where, line, f"rows may only contain '{ON}' (on) and '{OFF}' (off)")
        if rows and len(line) != len(rows[0]):
            raise InputError(
                where, line, f"all rows of [{name}] must have {len(rows[0])} characters"
            )
        rows.append(line)
    if not name:
        raise InputError(source, "", "at least one glyph: a [NAME] line followed by rows")
    glyphs[name] = _finish(name, rows, header_at)
    return glyphs


def read_glyph_file(path: Path | str, field: str = "--glyphs") -> dict[str, np.ndarray]:
    """Read a glyph text file (see :func:`parse_glyphs`); ``field`` names it in errors."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(field, str(path), f"a readable UTF-8 glyph text file ({exc})") from exc
    return parse_glyphs(text, str(path))


def builtin_letters() -> dict[str, np.ndarray]:
    """The 12 packaged 5x5 letters I O X C F H K L P T U Y (MODEL_SPEC section 6)."""
    text = (files("spinsnn.images") / "glyphs" / "letters.txt").read_text(encoding="utf-8")
    return parse_glyphs(text, "letters.txt")


def merge_glyphs(
    base: dict[str, np.ndarray], override: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Glyphs of ``base`` plus ``override``; an override replaces a base glyph of the same
    name ignoring case (so ``u`` replaces ``U`` and file names cannot clash)."""
    taken = {name.upper() for name in override}
    merged = {name: image for name, image in base.items() if name.upper() not in taken}
    merged.update(override)
    return merged


def letter(name: str, field: str = "letter") -> np.ndarray:
    """One builtin letter as a 5x5 uint8 array (0/255), looked up ignoring case."""
    letters = builtin_letters()
    key = name.strip().upper()
    if key not in letters:
        raise InputError(field, name, "one of " + " ".join(letters))
    return letters[key]
