"""Analyses of saved results."""
