"""The builtin transient engine: a JIT-compiled circuit simulator of the network."""

from spinsnn.engine.jit_cache import refresh

refresh()
