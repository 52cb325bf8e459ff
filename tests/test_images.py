"""Input images: glyph text, IDX files, scikit-learn digits, saving, rendering and the CLI."""

from __future__ import annotations

import gzip
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn import datasets
from typer.testing import CliRunner

from spinsnn.images.sets import parse_indices
from spinsnn.cli.main import app
from spinsnn.errors import InputError
from spinsnn.images.digits import load_digits
from spinsnn.images.glyphs import (
    builtin_letters,
    letter,
    merge_glyphs,
    parse_glyphs,
    read_glyph_file,
)
from spinsnn.images.idx import read_idx, select
from spinsnn.images.io import load_image, save_images, save_labels
from spinsnn.plots.image import show_image

SRC = Path(__file__).resolve().parents[1] / "src"

# --- glyphs ------------------------------------------------------------------------------


def test_letter_o_matches_model_spec() -> None:
    expected = np.array(
        [
            [0, 0, 0, 0, 0],
            [0, 255, 255, 255, 0],
            [0, 255, 0, 255, 0],
            [0, 255, 255, 255, 0],
            [0, 0, 0, 0, 0],
        ],
        dtype=np.uint8,
    )
    np.testing.assert_array_equal(letter("O"), expected)
    np.testing.assert_array_equal(letter("o"), expected)


def test_letter_k_matches_model_spec() -> None:
    on = 255
    expected = np.zeros((5, 5), dtype=np.uint8)
    expected[1, 1] = expected[1, 3] = on
    expected[2, 1] = expected[2, 2] = on
    expected[3, 1] = expected[3, 3] = on
    np.testing.assert_array_equal(letter("K"), expected)


def test_all_twelve_letters_are_5x5_uint8_binary() -> None:
    letters = builtin_letters()
    assert list(letters) == list("IOXCFHKLPTUY")
    for image in letters.values():
        assert image.dtype == np.uint8
        assert image.shape == (5, 5)
        assert set(np.unique(image)) <= {0, 255}
        assert image.any()
    # the letters are pairwise distinct
    flat = {image.tobytes() for image in letters.values()}
    assert len(flat) == 12


def test_unknown_letter_lists_the_available_ones() -> None:
    with pytest.raises(InputError) as info:
        letter("Z")
    assert "I O X C F H K L P T U Y" in str(info.value)


def test_user_glyph_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("; my glyphs\n\n[arrow]\n.#..\n####\n.#..\n\n[dot]\n#\n", encoding="utf-8")
    glyphs = read_glyph_file(path)
    assert list(glyphs) == ["arrow", "dot"]
    np.testing.assert_array_equal(
        glyphs["arrow"],
        np.array([[0, 255, 0, 0], [255, 255, 255, 255], [0, 255, 0, 0]], dtype=np.uint8),
    )
    assert glyphs["arrow"].dtype == np.uint8
    np.testing.assert_array_equal(glyphs["dot"], np.array([[255]], dtype=np.uint8))


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("[A]\n...\n..\n", 3, "3 characters"),  # ragged
        ("[A]\n.x.\n", 2, "only contain"),  # bad character
        ("[A]\n\n[B]\n#\n", 1, "at least one row"),  # empty glyph
        ("[A]\n#\n[a]\n#\n", 3, "unique"),  # duplicate name (ignoring case)
        ("#.#\n", 1, "header"),  # row before any header
        ("[a b]\n#\n", 1, "header"),  # bad name
    ],
)
def test_bad_glyph_text_names_source_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(InputError) as info:
        parse_glyphs(text, "g.txt")
    assert info.value.field == f"g.txt:{line}"
    assert words in str(info.value)


def test_glyph_text_without_glyphs_is_rejected() -> None:
    with pytest.raises(InputError):
        parse_glyphs("; only a comment\n\n", "g.txt")


def test_missing_glyph_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_glyph_file(tmp_path / "none.txt")
    assert info.value.field == "--glyphs"


def test_merge_glyphs_overrides_ignoring_case() -> None:
    base = {"U": np.zeros((1, 1), np.uint8), "O": np.zeros((1, 1), np.uint8)}
    merged = merge_glyphs(base, {"u": np.full((1, 1), 255, np.uint8)})
    assert list(merged) == ["O", "u"]
    assert merged["u"][0, 0] == 255


# --- IDX ---------------------------------------------------------------------------------


def _idx_bytes(array: np.ndarray, dtype_code: int = 0x08) -> bytes:
    header = struct.pack(">HBB", 0, dtype_code, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.fixture
def idx_images() -> np.ndarray:
    return np.arange(4 * 3 * 2, dtype=np.uint8).reshape(4, 3, 2) * 10


def test_idx_images_read_back_exactly(tmp_path: Path, idx_images: np.ndarray) -> None:
    path = tmp_path / "images-idx3-ubyte"
    path.write_bytes(_idx_bytes(idx_images))
    assert path.read_bytes()[:4] == b"\x00\x00\x08\x03"
    data = read_idx(path)
    assert data.dtype == np.uint8
    np.testing.assert_array_equal(data, idx_images)


def test_idx_gzip_and_labels(tmp_path: Path, idx_images: np.ndarray) -> None:
    path = tmp_path / "images-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(_idx_bytes(idx_images)))
    np.testing.assert_array_equal(read_idx(path), idx_images)

    labels = np.array([7, 2, 1, 0], dtype=np.uint8)
    label_path = tmp_path / "labels-idx1-ubyte"
    label_path.write_bytes(_idx_bytes(labels))
    np.testing.assert_array_equal(read_idx(label_path), labels)


def test_idx_wrong_magic(tmp_path: Path, idx_images: np.ndarray) -> None:
    path = tmp_path / "bad"
    path.write_bytes(b"\x01\x02" + _idx_bytes(idx_images)[2:])
    with pytest.raises(InputError, match="magic"):
        read_idx(path)
    path.write_bytes(_idx_bytes(idx_images, dtype_code=0x0D))
    with pytest.raises(InputError, match="dtype code"):
        read_idx(path)
    path.write_bytes(_idx_bytes(idx_images[0]))  # 2-D
    with pytest.raises(InputError, match="dimension"):
        read_idx(path)


def test_idx_size_must_match_header(tmp_path: Path, idx_images: np.ndarray) -> None:
    path = tmp_path / "short"
    path.write_bytes(_idx_bytes(idx_images)[:-1])
    with pytest.raises(InputError, match="truncated"):
        read_idx(path)
    path.write_bytes(_idx_bytes(idx_images) + b"\x00")
    with pytest.raises(InputError, match="trailing"):
        read_idx(path)
    path.write_bytes(b"\x00\x00\x08\x03\x00\x00")
    with pytest.raises(InputError, match="header"):
        read_idx(path)


def test_idx_missing_and_corrupt_gzip(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="existing"):
        read_idx(tmp_path / "none.idx")
    path = tmp_path / "x.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(InputError):
        read_idx(path)


def test_select(idx_images: np.ndarray) -> None:
    np.testing.assert_array_equal(select(idx_images, [3, 0]), idx_images[[3, 0]])
    for bad in (4, -1):
        with pytest.raises(InputError, match="0 to 3"):
            select(idx_images, [0, bad])


# --- scikit-learn digits -----------------------------------------------------------------


def test_digits_scaled_and_labelled() -> None:
    reference = datasets.load_digits()
    images, labels = load_digits([0, 5, 1796])
    assert images.shape == (3, 8, 8)
    assert images.dtype == np.uint8
    assert images.max() == 255
    np.testing.assert_array_equal(labels, reference.target[[0, 5, 1796]])
    np.testing.assert_array_equal(
        images[0], np.rint(reference.images[0] * 255 / 16).astype(np.uint8)
    )
    # 16 -> 255, 8 -> 128 (127.5 rounded to even), 1 -> 16 (15.9), 0 -> 0
    raw = reference.images[[0, 5, 1796]]
    for value, pixel in ((16, 255), (8, 128), (1, 16), (0, 0)):
        assert (raw == value).any()
        assert set(np.unique(images[raw == value])) == {pixel}


def test_digits_out_of_range() -> None:
    with pytest.raises(InputError, match="1796"):
        load_digits([1797])


# --- loading and saving ------------------------------------------------------------------


def test_save_images_round_trip(tmp_path: Path) -> None:
    images = {"a": letter("U"), "file": np.arange(6, dtype=np.uint8).reshape(2, 3)}
    out = tmp_path / "new" / "dir"
    paths = save_images(out, images, bundle="set")
    assert paths == [out / "a.npy", out / "file.npy", out / "set.npz"]
    for name, image in images.items():
        np.testing.assert_array_equal(np.load(out / f"{name}.npy", allow_pickle=False), image)
    with np.load(out / "set.npz", allow_pickle=False) as bundle:
        assert sorted(bundle.files) == ["a", "file"]
        for name, image in images.items():
            np.testing.assert_array_equal(bundle[name], image)
            assert bundle[name].dtype == np.uint8


def test_save_images_out_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(InputError) as info:
        save_images(target, {"a": letter("I")})
    assert info.value.field == "--out"


def test_save_labels(tmp_path: Path) -> None:
    path = save_labels(tmp_path, {"digit_0_label0": 0, "digit_1_label1": np.int64(1)})
    assert path.read_text().splitlines() == ["name,label", "digit_0_label0,0", "digit_1_label1,1"]


def test_load_image_letter_and_files(tmp_path: Path) -> None:
    name, image = load_image("u")
    assert name == "U"
    np.testing.assert_array_equal(image, letter("U"))

    whole = tmp_path / "whole.npy"
    np.save(whole, np.array([[0.0, 255.0], [17.0, 3.0]]))
    name, image = load_image(str(whole))
    assert name == "whole"
    assert image.dtype == np.uint8
    np.testing.assert_array_equal(image, [[0, 255], [17, 3]])

    fraction = tmp_path / "fraction.npy"
    np.save(fraction, np.array([[0.0, 0.5], [1.0, 0.25]]))
    _, image = load_image(str(fraction))
    assert image.dtype == np.float64
    np.testing.assert_array_equal(image, [[0.0, 0.5], [1.0, 0.25]])  # not rescaled


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (np.zeros((2, 2, 2)), "2-D"),
        (np.array([[0, 256]]), "0..255"),
        (np.array([[-1.0, 3.0]]), "0..255"),
        (np.array([[np.nan, 3.0]]), "finite"),
        (np.array([["a", "b"]]), "numeric"),
    ],
)
def test_load_image_rejects_bad_arrays(tmp_path: Path, content: np.ndarray, words: str) -> None:
    path = tmp_path / "bad.npy"
    np.save(path, content)
    with pytest.raises(InputError) as info:
        load_image(str(path))
    assert info.value.field == "--image"
    assert words in str(info.value)


def test_load_image_rejects_missing_corrupt_and_pickled(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.npy"
    corrupt.write_bytes(b"\x93NUMPY garbage")
    pickled = tmp_path / "pickled.npy"
    np.save(pickled, np.array([[{"a": 1}]], dtype=object), allow_pickle=True)
    for spec in ("Z", str(tmp_path / "missing.npy"), str(corrupt), str(pickled)):
        with pytest.raises(InputError) as info:
            load_image(spec)
        assert info.value.field == "--image"


def test_show_image_writes_png_and_pdf(tmp_path: Path) -> None:
    paths = show_image(letter("T"), tmp_path / "plots" / "t.png", title="T")
    assert paths == [tmp_path / "plots" / "t.png", tmp_path / "plots" / "t.pdf"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert paths[1].read_bytes()[:5] == b"%PDF-"
    with pytest.raises(InputError):
        show_image(letter("T"), tmp_path / "t.jpg")


# --- CLI ---------------------------------------------------------------------------------


def test_parse_indices() -> None:
    assert parse_indices("0,10, 100") == [0, 10, 100]
    assert parse_indices("3-5,1,4") == [3, 4, 5, 1]
    for bad in ("", "1,,2", "a", "-1", "5-3", "1.5"):
        with pytest.raises(InputError):
            parse_indices(bad, "--indices")


def test_cli_letters(tmp_path: Path) -> None:
    glyphs = tmp_path / "extra.txt"
    glyphs.write_text("[U]\n###\n[smile]\n#.#\n...\n###\n", encoding="utf-8")
    out = tmp_path / "letters"
    result = CliRunner().invoke(app, ["images", "letters", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{c}.npy" for c in "IOXCFHKLPTUY"] + ["letters.npz"]
    )
    np.testing.assert_array_equal(np.load(out / "O.npy"), letter("O"))

    out2 = tmp_path / "with_extra"
    result = CliRunner().invoke(
        app, ["images", "letters", "--out", str(out2), "--glyphs", str(glyphs)]
    )
    assert result.exit_code == 0, result.output
    np.testing.assert_array_equal(np.load(out2 / "U.npy"), [[255, 255, 255]])
    with np.load(out2 / "letters.npz") as bundle:
        assert len(bundle.files) == 13
        np.testing.assert_array_equal(bundle["smile"][2], [255, 255, 255])


def test_cli_mnist_digits_and_show(tmp_path: Path, idx_images: np.ndarray) -> None:
    runner = CliRunner()
    idx = tmp_path / "t10k-images-idx3-ubyte.gz"
    idx.write_bytes(gzip.compress(_idx_bytes(idx_images)))
    result = runner.invoke(
        app, ["images", "mnist", "--idx", str(idx), "--indices", "0,2-3", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    np.testing.assert_array_equal(np.load(tmp_path / "mnist_2.npy"), idx_images[2])
    with np.load(tmp_path / "mnist.npz") as bundle:
        assert sorted(bundle.files) == ["mnist_0", "mnist_2", "mnist_3"]

    result = runner.invoke(app, ["images", "digits", "--indices", "0,1", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "labels.csv").read_text().splitlines() == [
        "name,label",
        "digit_0_label0,0",
        "digit_1_label1,1",
    ]
    assert np.load(tmp_path / "digit_1_label1.npy").shape == (8, 8)

    result = runner.invoke(
        app, ["images", "show", str(tmp_path / "mnist_2.npy"), "--out", str(tmp_path / "m.png")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.png").is_file() and (tmp_path / "m.pdf").is_file()


def test_cli_bad_input_is_one_line_with_exit_code_2(tmp_path: Path) -> None:
    python_path = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from spinsnn.cli.main import main; main()",
            "images",
            "show",
            "missing.npy",
            "--out",
            "x.png",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": python_path},
        timeout=120,
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "missing.npy" in lines[0]
    assert not (tmp_path / "x.png").exists()
