"""Errors raised for bad user input; the CLI prints them as one line and exits with 2."""

from __future__ import annotations


class InputError(ValueError):
    """A user-supplied value is invalid.

    Parameters
    ----------
    field : name of the option, key or file the value came from
    value : the offending value, as the user gave it; None when it is missing
    allowed : what would have been accepted
    """

    def __init__(self, field: str, value: object, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: missing ({allowed})" if value is None else
                         f"{field}: {value!r} is not valid ({allowed})")


class SimulatorError(RuntimeError):
    """An external simulator is missing, failed or gave no results; ends the run (exit 1)."""

    def __init__(self, simulator: str, message: str) -> None:
        self.simulator = simulator
        super().__init__(f"{simulator}: {message}")
