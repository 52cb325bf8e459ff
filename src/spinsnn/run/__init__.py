"""One training run: results object, run folder, manifest and published text output."""
