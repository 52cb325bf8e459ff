"""The builtin transient engine: a JIT-compiled circuit simulator of the network."""
