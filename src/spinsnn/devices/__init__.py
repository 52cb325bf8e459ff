"""Device physics: the MTJ compact model and its process variability."""
