"""Command-line interface (``spinsnn``)."""
