"""Figures (PNG and PDF) of images and simulation results."""
