"""Studies: parameter grids from a TOML file, run in parallel (locally or on Dask), one index."""
