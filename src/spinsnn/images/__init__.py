"""Input images: letter glyphs, IDX (MNIST) files, scikit-learn digits, rendering."""
