"""Studies: config validation, grid expansion, local pool, Dask, kill-and-resume, index."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from spinsnn.errors import InputError
from spinsnn.run.results import load_dataset
from spinsnn.study.config import load_study
from spinsnn.study.runner import run_study
from tests.conftest import run_cli

SMALL = """
out = "{out}"
plots = false
[base]
stop = "20ms"
[grid]
image = ["O", "U"]
dev = [0, 0.1]
cells = [2, 4]
"""


def write(path, text):
    path.write_text(text)
    return path


def test_expansion_names_and_seeds(tmp_path):
    study = load_study(write(tmp_path / "s.toml", SMALL.format(out=tmp_path / "st")))
    assert len(study.points) == 8
    assert study.points[0].name == "image-O_dev-0_cells-2_seed-0"
    assert study.points[-1].options.stop == pytest.approx(0.020)
    repeated = load_study(write(tmp_path / "r.toml", "repeats = 3\n" + SMALL.format(out=tmp_path / "st")))
    assert len(repeated.points) == 24
    assert {p.options.seed for p in repeated.points} == {0, 1, 2}


@pytest.mark.parametrize(
    "text, key",
    [
        ('out = "x"\n[base]\nimage = "O"\nstopp = "20ms"\n', "base.stopp"),
        ('out = "x"\n[base]\nimage = "O"\n[grid]\ndev = [0, -0.1]\n', "grid.dev"),
        ('out = "x"\n[base]\nimage = "O"\n[grid]\ncells = 2\n', "grid.cells"),
        ('out = "x"\nrepeat = 2\n', "repeat"),
        ('out = "x"\n[base]\nimage = "O"\nvth = "12"\n', "base.vth"),
        ('out = "x"\n[base]\nimage = "O"\nvth = 12\n', "base.vth"),
        ('[base]\nimage = "O"\nstop = "20ms"\n', "out"),
        ('out = "x"\n[base]\nimage = "O"\n[grid]\ncells = [2, 2.5]\n', "grid.cells"),
        ('out = "x"\n[base]\nimage = 5\n', "base.image"),
        ('out = "x"\n[grid]\nimage = ["O", "Q"]\n', "grid.image"),
        ('out = "x"\n[base]\nimage = "O"\nseed = true\n', "base.seed"),
        ('out = "x"\n[base]\nstop = "20ms"\n', "base.image"),
    ],
)
def test_bad_study_files_name_the_key(tmp_path, text, key):
    with pytest.raises(InputError) as err:
        load_study(write(tmp_path / "bad.toml", text))
    assert key in str(err.value)


def test_study_cli_error_is_one_line(tmp_path):
    proc = run_cli("study", "run", str(write(tmp_path / "bad.toml",
                                              'out = "x"\n[base]\nimage = "O"\n[grid]\nswitching = ["magic"]\n')))
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "grid.switching" in proc.stderr


def test_train_config_with_override(tmp_path):
    cfg = write(tmp_path / "run.toml", 'image = "O"\ncells = 2\nstop = "5ms"\nseed = 4\n')
    proc = run_cli("train", "--config", str(cfg), "--cells", "3", "--out", str(tmp_path / "r"))
    assert proc.returncode == 0, proc.stderr
    params = json.loads((tmp_path / "r" / "manifest.json").read_text())["parameters"]
    assert params["cells"] == 3 and params["seed"] == 4 and params["stop"] == pytest.approx(0.005)


def check_complete(study_dir, n=8):
    index = pd.read_csv(study_dir / "index.csv")
    assert len(index) == n and index["run"].is_unique
    assert (index["status"] == "done").all()
    for folder in index["folder"]:
        run = study_dir / folder
        assert json.loads((run / "manifest.json").read_text())["status"] == "done"
        assert (run / "results.txt").exists() and (run / "dataset.nc").exists()
    return index


@pytest.fixture(scope="module")
def local_study(tmp_path_factory):
    root = tmp_path_factory.mktemp("local")
    study = load_study(write(root / "s.toml", SMALL.format(out=root / "study")))
    summary = run_study(study, workers=2)
    assert summary.done == 8 and summary.failed == 0
    return study


def test_local_pool(local_study):
    index = check_complete(local_study.out)
    assert index["distance_final"].notna().all() and (index["backend"] == "builtin").all()
    again = run_study(local_study, workers=2)
    assert (again.done, again.skipped) == (0, 8)


def test_dask_local_cluster_gives_the_same_runs(local_study, tmp_path):
    pytest.importorskip("distributed")
    study = load_study(local_study.source, out=tmp_path / "dask")
    summary = run_study(study, dask="local:2")
    assert summary.done == 8
    check_complete(study.out)
    for point in study.points:
        a = load_dataset(local_study.out / "runs" / point.name / "dataset.nc")
        b = load_dataset(study.out / "runs" / point.name / "dataset.nc")
        for name in ("mtj_state", "membrane", "spike_time", "switch_time"):
            np.testing.assert_array_equal(a[name].values, b[name].values)


def test_killed_study_resumes(tmp_path):
    cfg = write(tmp_path / "s.toml", SMALL.format(out=tmp_path / "study").replace("plots = false", "plots = true"))
    code = "from spinsnn.cli.main import main; main()"
    proc = subprocess.Popen([sys.executable, "-c", code, "study", "run", str(cfg), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 240
    done = 0
    while time.time() < deadline and done < 2:
        time.sleep(0.5)
        try:
            done = (pd.read_csv(tmp_path / "study" / "index.csv")["status"] == "done").sum()
        except (OSError, pd.errors.EmptyDataError, KeyError):
            pass
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its workers die mid-study
    proc.wait()
    assert 2 <= done < 8
    resumed = run_cli("study", "run", str(cfg), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "skipped" in resumed.stdout
    check_complete(tmp_path / "study")
    status = run_cli("study", "status", str(tmp_path / "study"))
    assert "8 done" in status.stdout


def test_a_run_that_fails_is_recorded_and_the_others_finish(tmp_path):
    img = tmp_path / "bar.npy"
    np.save(img, np.full((2, 2), 255, dtype=np.uint8))
    cfg = write(tmp_path / "s.toml", f'out = "{tmp_path / "st"}"\nplots = false\n[base]\nstop = "2ms"\n'
                                     f'[grid]\nimage = ["O", "{img}"]\n')
    study = load_study(cfg)
    img.unlink()  # valid when the study was read, gone when its run starts
    summary = run_study(study, workers=1)
    assert (summary.done, summary.failed) == (1, 1)
    index = pd.read_csv(tmp_path / "st" / "index.csv", keep_default_na=False)
    failed = index[index["status"] == "failed"]
    assert len(failed) == 1 and "bar.npy" in failed["error"].iloc[0]
    again = run_study(study, workers=1)
    assert (again.done, again.failed, again.skipped) == (0, 0, 2)  # failed runs wait for --retry-failed
    status = run_cli("study", "status", str(tmp_path / "st"))
    assert "1 failed" in status.stdout and "failed: image-bar_seed-0" in status.stdout


def test_changed_parameters_are_run_again(tmp_path):
    text = 'out = "{out}"\nplots = false\n[base]\nimage = "O"\nstop = "{stop}"\n[grid]\ncells = [2]\n'
    first = load_study(write(tmp_path / "s.toml", text.format(out=tmp_path / "st", stop="2ms")))
    assert run_study(first, workers=1).done == 1
    changed = load_study(write(tmp_path / "s.toml", text.format(out=tmp_path / "st", stop="3ms")))
    summary = run_study(changed, workers=1)
    assert (summary.done, summary.skipped) == (1, 0)
    manifest = json.loads((tmp_path / "st" / "runs" / "cells-2_seed-0" / "manifest.json").read_text())
    assert manifest["parameters"]["stop"] == pytest.approx(0.003)


def test_a_classification_study_records_each_runs_accuracy(tmp_path):
    text = f"""
out = "{tmp_path / 'cls'}"
plots = false
[base]
images = "letters:I,O,X"
test_images = "letters:I,O,X"
present = "20ms"
outputs = 3
inhibition = "wta"
inhibit_time = "2ms"
[grid]
vth = ["8mV", "12mV"]
"""
    summary = run_study(load_study(write(tmp_path / "c.toml", text)), workers=1)
    assert summary.done == 2 and summary.failed == 0
    index = pd.read_csv(tmp_path / "cls" / "index.csv")
    for _, row in index.iterrows():
        evaluation = json.loads((tmp_path / "cls" / row["folder"] / "evaluation.json").read_text())
        assert row["accuracy"] == pytest.approx(evaluation["accuracy"])
        assert evaluation["test_images"] == 3 and evaluation["correct"] == round(3 * row["accuracy"])
