"""Parsing of quantities written with SI prefixes, such as ``150ms`` or ``12mV``."""

from __future__ import annotations

import math

from quantiphy import InvalidNumber, Quantity

from spinsnn.errors import InputError


def parse_quantity(text: str | float | int, unit: str, field: str) -> float:
    """Return ``text`` in SI base units, accepting ``150ms``, ``12 mV``, ``1.5e-1s``.

    Text must carry its unit when ``unit`` is not empty (``--vth 12`` is refused rather
    than read as 12 V); Python numbers are taken as SI already. A different unit than
    ``unit`` is refused, naming ``field``.
    """
    if isinstance(text, bool):
        raise InputError(field, text, f"a number in {unit or 'plain units'}")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        value = parse_text(str(text).strip(), text, unit, field)
    if not math.isfinite(value):
        raise InputError(field, text, "a finite number")
    return value


def parse_text(raw: str, text: object, unit: str, field: str) -> float:
    """A quantity written as text, with its unit unless ``unit`` is empty."""
    try:
        q = Quantity(raw)
    except InvalidNumber:
        raise InputError(field, text, f"a number with an SI prefix, e.g. 10m{unit}") from None
    if unit and q.units != unit:
        raise InputError(field, text, f"a value with its unit in {unit}, e.g. 10m{unit}")
    if not unit and q.units:
        raise InputError(field, text, "a plain number")
    return float(q.real)


def format_quantity(value: float, unit: str, prec: int = 4) -> str:
    """Format ``value`` with an SI prefix, e.g. ``0.15, 's'`` -> ``150 ms`` (``prec``
    digits after the first)."""
    return Quantity(value, unit).render(prec=prec)
