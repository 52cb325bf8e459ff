"""``spinsnn images``: write input image sets (letters, MNIST, digits) and render images."""

from pathlib import Path
from typing import Annotated

import typer

from spinsnn.errors import InputError
from spinsnn.images.digits import load_digits
from spinsnn.images.glyphs import builtin_letters, merge_glyphs, read_glyph_file
from spinsnn.images.idx import read_idx, select
from spinsnn.images.io import load_image, save_images, save_labels
from spinsnn.images.sets import parse_indices
from spinsnn.plots.image import show_image

app = typer.Typer(
    help="Create input images as .npy files (letters, MNIST, scikit-learn digits) and view them.",
    no_args_is_help=True,
)

OutDir = Annotated[Path, typer.Option("--out", help="Folder to write into (created if needed).")]
Indices = Annotated[
    str, typer.Option("--indices", help="Comma-separated indices and ranges, e.g. 0,10,20-29.")
]


def _report(paths: list[Path]) -> None:
    """Print where the images (all but the last path) and the bundle (last path) went."""
    *images, bundle = paths
    names = " ".join(path.stem for path in images)
    typer.echo(f"wrote {len(images)} images to {bundle.parent}/ as <name>.npy: {names}")
    typer.echo(f"bundle (all images, keyed by name): {bundle}")


@app.command()
def letters(
    out: OutDir,
    glyphs: Annotated[
        Path | None,
        typer.Option(
            "--glyphs",
            help="Extra glyph text file: '[NAME]' lines, then rows of '#' (255) and '.' (0); "
            "';' starts a comment. A glyph replaces the builtin letter of the same name.",
        ),
    ] = None,
) -> None:
    """Write the 12 builtin 5x5 letters (plus --glyphs) as OUT/<NAME>.npy and OUT/letters.npz."""
    images = builtin_letters()
    if glyphs is not None:
        images = merge_glyphs(images, read_glyph_file(glyphs, field="--glyphs"))
    _report(save_images(out, images, bundle="letters"))


@app.command()
def mnist(
    idx: Annotated[
        Path, typer.Option("--idx", help="IDX image file, e.g. train-images-idx3-ubyte[.gz].")
    ],
    indices: Indices,
    out: OutDir,
) -> None:
    """Write chosen images of an IDX file as OUT/mnist_<index>.npy and OUT/mnist.npz."""
    data = read_idx(idx, field="--idx")
    if data.ndim != 3:
        raise InputError("--idx", str(idx), "an IDX image file (3-D, magic 0x803), not labels")
    chosen = parse_indices(indices)
    images = select(data, chosen)
    _report(save_images(out, {f"mnist_{i}": im for i, im in zip(chosen, images)}, "mnist"))


@app.command()
def digits(indices: Indices, out: OutDir) -> None:
    """Write chosen scikit-learn 8x8 digits (0..1796), pixels scaled 0..16 -> 0..255.

    Files written:
    OUT/digit_<index>_label<digit>.npy, one per image;
    OUT/digits.npz, all images keyed by those names;
    OUT/labels.csv, columns name,label.
    """
    chosen = parse_indices(indices)
    images, labels = load_digits(chosen)
    names = [f"digit_{i}_label{d}" for i, d in zip(chosen, labels)]
    _report(save_images(out, dict(zip(names, images)), bundle="digits"))
    typer.echo(f"labels: {save_labels(out, dict(zip(names, labels)))}")


@app.command()
def show(
    image: Annotated[
        str, typer.Argument(help="A .npy file with a 2-D image (0..255) or a builtin letter.")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Output FILE.png; FILE.pdf is written as well.")
    ],
) -> None:
    """Render IMAGE in greyscale with a colour bar (pixel value 0-255), as PNG and PDF."""
    name, array = load_image(image, field="IMAGE")
    for path in show_image(array, out, title=name):
        typer.echo(f"wrote {path}")
