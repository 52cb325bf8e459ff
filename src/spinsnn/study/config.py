"""Study and run configuration files (TOML).

A study file has ``out`` (the study folder), a ``[base]`` table of ``spinsnn train``
options, a ``[grid]`` table of lists whose every combination is one run, and optionally
``repeats = N`` (seeds base..base+N-1) or ``seeds = [...]``, and ``plots = false`` to
skip each run's figures. A run file holds the same
option keys, at the top level or in ``[base]``. Keys are the long option names, with
``-`` or ``_`` (``spike-duration`` = ``spike_duration``); values take SI prefixes
(``"150ms"``). Every point is validated before anything runs.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from spinsnn.errors import InputError
from spinsnn.images.io import load_image
from spinsnn.run.inference import with_trained_network
from spinsnn.run.options import RunOptions, make_options

OPTION_KEYS = tuple(f.name for f in fields(RunOptions))
STUDY_KEYS = ("out", "base", "grid", "repeats", "seeds", "plots")


@dataclass(frozen=True)
class Point:
    """One run of a study: its folder name and its validated options."""

    name: str
    swept: dict
    options: RunOptions


@dataclass(frozen=True)
class Study:
    source: Path
    out: Path
    base: dict
    grid: dict
    seeds: list[int]
    points: list[Point]
    plots: bool = True


def read_toml(path: Path, field: str) -> dict:
    """Parse a TOML file; a missing or malformed file is a one-line error naming ``field``."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(field, str(path), "an existing TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(field, str(path), f"valid TOML: {exc}") from None


def option_table(table: dict, where: str) -> dict:
    """Normalise option keys (``-`` -> ``_``) and refuse unknown ones, naming them."""
    if not isinstance(table, dict):
        raise InputError(where, table, "a table of spinsnn train options")
    out = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in OPTION_KEYS:
            raise InputError(f"{where}.{key}", value, f"one of {', '.join(OPTION_KEYS)}")
        out[name] = value
    return out


UNITS = {"vth": "V", "stop": "s", "step": "s", "spike_duration": "s", "max_step": "s", "short_resistance": "Ohm",
         "present": "s", "rest": "s", "inhibit_time": "s", "vth_step": "V", "vth_tau": "s"}


def validate(values: dict, where: dict[str, str]) -> RunOptions:
    """``make_options`` on option values; errors name where the bad value came from.

    ``where`` maps a key to the prefix of its name in errors (``"study.toml: grid."``);
    keys not in it came from the command line and are named ``--key``. Voltages and
    times from files must be text with their unit, as on the command line: a bare
    ``vth = 12`` would otherwise mean 12 V.
    """
    def name(key: str) -> str:
        return where[key] + key if key in where else "--" + key.replace("_", "-")

    for key, unit in UNITS.items():
        value = values.get(key)
        if key in where and value is not None and not isinstance(value, str):
            raise InputError(name(key), value, f'text with its unit, e.g. "10m{unit}"')
    try:
        options = make_options(**values)
    except InputError as exc:
        raise InputError(name(exc.field.lstrip("-").replace("-", "_")), exc.value, exc.allowed) from None
    return with_trained_network(options, set(values), name) if options.inference else options


def load_run_config(path: Path) -> dict:
    """Option values of a single-run file (top-level keys and ``[base]``), not yet validated."""
    data = read_toml(Path(path), "--config")
    if "grid" in data:
        raise InputError(f"{path}: grid", "...", "no grid in a single-run file; run a study with 'spinsnn study run'")
    base = option_table(data.pop("base", {}), f"{path}: base")
    data.pop("out", None)
    return {**option_table(data, f"{path}: "), **base}


def run_name(swept: dict, seed: int) -> str:
    """Readable folder name from the swept values and the seed, e.g. ``image-U_dev-0.15_cells-8_seed-3``."""
    parts = [f"{key}-{label(value)}" for key, value in swept.items()] + [f"seed-{seed}"]
    return "_".join(parts)


def label(value: object) -> str:
    """A value as a path-safe label (an image path becomes its stem)."""
    text = Path(value).stem if isinstance(value, str) and value.endswith(".npy") else str(value)
    return re.sub(r"[^A-Za-z0-9.+-]", "-", text)


def study_seeds(data: dict, base: dict, path: Path) -> list[int]:
    """The seeds every grid point is run with."""
    if "seeds" in data and "repeats" in data:
        raise InputError(f"{path}: seeds", data["seeds"], "either seeds or repeats, not both")
    if "seeds" in data:
        seeds = data["seeds"]
        if not isinstance(seeds, list) or not seeds or not all(isinstance(s, int) and s >= 0 for s in seeds):
            raise InputError(f"{path}: seeds", seeds, "a non-empty list of integers >= 0")
        return seeds
    repeats = data.get("repeats", 1)
    if not isinstance(repeats, int) or isinstance(repeats, bool) or repeats < 1:
        raise InputError(f"{path}: repeats", repeats, "an integer >= 1")
    first = base.get("seed", 0)
    if not isinstance(first, int) or isinstance(first, bool) or first < 0:
        raise InputError(f"{path}: base.seed", first, "an integer >= 0")
    return list(range(first, first + repeats))


def load_study(path: Path, out: Path | None = None) -> Study:
    """Read, validate and expand a study file (``out`` overrides the file's)."""
    path = Path(path)
    data = read_toml(path, "STUDY_FILE")
    for key in data:
        if key not in STUDY_KEYS:
            raise InputError(f"{path}: {key}", data[key], f"one of {', '.join(STUDY_KEYS)}")
    base = option_table(data.get("base", {}), f"{path}: base")
    grid = option_table(data.get("grid", {}), f"{path}: grid")
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise InputError(f"{path}: grid.{key}", values, "a non-empty list of values")
    if "seed" in grid:
        raise InputError(f"{path}: grid.seed", grid["seed"], "seeds set with 'seeds' or 'repeats'")
    study_out = out or data.get("out")
    if not study_out:
        raise InputError(f"{path}: out", None, "the study folder, e.g. out = \"studies/mine\"")
    if not {"image", "images"} & (set(base) | set(grid)) and not base.get("inference"):
        raise InputError(f"{path}: base.image", None, "an image (a letter or a .npy file) or images in base or grid")
    seeds = study_seeds(data, base, path)
    points, names = [], set()
    where = {**{k: f"{path}: base." for k in base}, **{k: f"{path}: grid." for k in grid}, "seed": f"{path}: seed "}
    for image in {str(i) for i in grid.get("image", [])} | ({str(base["image"])} if "image" in base else set()):
        try:
            load_image(image)
        except InputError as exc:
            raise InputError(f"{where['image']}image", exc.value, exc.allowed) from None
    for combo in itertools.product(*grid.values()):
        swept = dict(zip(grid, combo))
        for seed in seeds:
            options = validate({**base, **swept, "seed": seed}, where)
            name = run_name(swept, seed)
            if name in names:
                raise InputError(f"{path}: grid", name, "values that give distinct run names")
            names.add(name)
            points.append(Point(name, swept, options))
    plots = data.get("plots", True)
    if not isinstance(plots, bool):
        raise InputError(f"{path}: plots", plots, "true or false")
    return Study(path, Path(study_out), base, grid, seeds, points, plots)
