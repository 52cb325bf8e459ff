"""Parsing of quantities written with SI prefixes, such as ``150ms`` or ``12mV``."""

from __future__ import annotations

from quantiphy import InvalidNumber, Quantity

from spinsnn.errors import InputError


def parse_quantity(text: str | float | int, unit: str, field: str) -> float:
    """Return ``text`` in SI base units, accepting ``150ms``, ``0.15``, ``1.5e-1 s``.

    A bare number is taken to be in ``unit`` already. A number with a different unit
    than ``unit`` is refused, naming ``field``.
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    raw = str(text).strip()
    try:
        q = Quantity(raw)
    except InvalidNumber:
        raise InputError(field, text, f"a number with an SI prefix, e.g. 10m{unit}") from None
    if q.units not in ("", unit):
        raise InputError(field, text, f"a quantity in {unit}")
    return float(q.real)


def format_quantity(value: float, unit: str) -> str:
    """Format ``value`` with an SI prefix, e.g. ``0.15, 's'`` -> ``150 ms``."""
    return Quantity(value, unit).render(prec=4)
