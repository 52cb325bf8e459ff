"""Robustness tables and figures of a study, and the HTML report."""

import base64
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from spinsnn.analysis.distance import distance_to_image
from spinsnn.analysis.robustness import ALL_IMAGES, robustness_table
from tests.conftest import run_cli


def test_distance_by_hand():
    # 2x2 image, 2 outputs: (1 - 1)^2 + (0.5 - 0)^2 + (0 - 1)^2 + 0 = 1.25; second output all 0.5
    pixels = np.array([255, 0, 255, 0])
    weight = np.array([1.0, 0.5, 0.0, 0.0, 0.5, 0.5, 0.5, 0.5])
    np.testing.assert_allclose(distance_to_image(weight, pixels), [np.sqrt(1.25), 1.0])


def test_robustness_table_by_hand():
    runs = pd.DataFrame({
        "image": ["O", "O", "U", "U", "O", "O", "U", "U"],
        "cells": [2] * 8,
        "dev": [0.0] * 4 + [0.1] * 4,
        "seed": [0, 1, 0, 1] * 2,
        "distance_initial": [3.0] * 8,
        "distance_final": [1.0, 3.0, 0.0, 2.0, 2.0, 2.0, 4.0, 0.0],
    })
    table = robustness_table(runs, "dev", "cells").set_index(["image", "dev"])
    assert table.loc[("O", 0.0), "distance_mean"] == 2.0
    assert table.loc[("O", 0.0), "distance_std"] == pytest.approx(np.sqrt(2.0))  # sample std of 1, 3
    assert table.loc[("U", 0.1), "runs"] == 2
    # all images: per seed the mean over images (0.5, 2.5 at dev 0; 3, 1 at dev 0.1), then over seeds
    assert table.loc[(ALL_IMAGES, 0.0), "distance_mean"] == 1.5
    assert table.loc[(ALL_IMAGES, 0.0), "distance_std"] == pytest.approx(np.sqrt(2.0))
    assert table.loc[(ALL_IMAGES, 0.1), "distance_mean"] == 2.0


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources, self.rows = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs)["src"])
        if tag == "tr":
            self.rows += 1


def test_robustness_and_report_of_a_study(tmp_path):
    study = tmp_path / "s.toml"
    study.write_text(f'out = "{tmp_path / "st"}"\nplots = false\nrepeats = 2\n[base]\nstop = "20ms"\n'
                     '[grid]\nimage = ["O", "T"]\ndev = [0, 0.2]\ncells = [2, 4]\n')
    assert run_cli("study", "run", str(study), "--workers", "2").returncode == 0
    proc = run_cli("analyze", "robustness", str(tmp_path / "st"))
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(tmp_path / "st" / "robustness.csv")
    assert len(table) == 3 * 2 * 2  # (O, T, all) x 2 dev x 2 cells
    assert (table["runs"] == 2).all()
    index = pd.read_csv(tmp_path / "st" / "index.csv")
    o = index[(index["image"] == "O") & (index["dev"] == 0.2) & (index["cells"] == 4)]["distance_final"]
    row = table[(table["image"] == "O") & (table["dev"] == 0.2) & (table["cells"] == 4)].iloc[0]
    assert row["distance_mean"] == pytest.approx(o.mean()) and row["distance_std"] == pytest.approx(o.std())
    for name in ("robustness", "robustness_by_image"):
        for suffix in (".png", ".pdf"):
            assert (tmp_path / "st" / f"{name}{suffix}").stat().st_size > 1000
    defects = run_cli("analyze", "robustness", str(tmp_path / "st"), "--x", "stuck_ap")
    assert defects.returncode == 2 and "--x" in defects.stderr and "dev" in defects.stderr

    proc = run_cli("report", str(tmp_path / "st"))
    assert proc.returncode == 0, proc.stderr
    page = Images()
    page.feed((tmp_path / "st" / "report.html").read_text())
    assert len(page.sources) == 2 and all(s.startswith("data:image/png;base64,") for s in page.sources)
    assert base64.b64decode(page.sources[0].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.rows == 1 + 16  # header and one row per run
    assert not re.search(r'(src|href)="(?!data:)', (tmp_path / "st" / "report.html").read_text())
