"""Classification accuracy of a trained network, from its inference responses.

Each output is labelled with the label whose images (of the labelling set) it answers
with the most spikes on average; an output that never fires gets no label. A test image
is predicted as the label whose outputs answer it with the most spikes on average (ties
go to the label that sorts first); an image no labelled output answers is predicted as
``none``, which is always wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from spinsnn.errors import InputError
from spinsnn.images.sets import ImageSet, load_image_set
from spinsnn.network.description import Network, SimControl
from spinsnn.network.storage import load_network
from spinsnn.run import folder
from spinsnn.run.files import write_atomic, write_json_atomic
from spinsnn.run.inference import presenting_time, responses, trained_parameters, trained_states

NONE = "none"
EVALUATION = "evaluation.json"


def assign_labels(counts: pd.DataFrame) -> dict[int, str | None]:
    """Label of every output from ``counts`` rows ``(label, output, spikes)``."""
    mean = counts.groupby(["output", "label"])["spikes"].mean().unstack("label").sort_index(axis=1)
    return {int(j): (str(row.idxmax()) if row.max() > 0 else None) for j, row in mean.iterrows()}


def predict(counts: pd.DataFrame, assignment: dict[int, str | None]) -> pd.DataFrame:
    """One row per image of ``counts`` (rows ``(image, label, output, spikes)``): its true and
    predicted label."""
    labelled = {j: lab for j, lab in assignment.items() if lab is not None}
    rows = []
    for image, group in counts.groupby("image", sort=False):
        spikes = group.set_index("output")["spikes"]
        scores = pd.Series({lab: spikes[[j for j, a in labelled.items() if a == lab]].mean()
                            for lab in sorted(set(labelled.values()))}, dtype=float)
        best = scores.idxmax() if not scores.empty and scores.max() > 0 else NONE
        rows.append({"image": image, "label": str(group["label"].iloc[0]), "predicted": best})
    return pd.DataFrame(rows)


def confusion(predictions: pd.DataFrame) -> pd.DataFrame:
    """Counts of (true label, predicted label), every true label and ``none`` as columns."""
    labels = sorted(predictions["label"].unique())
    columns = labels + sorted(set(predictions["predicted"]) - set(labels) - {NONE}) + [NONE]
    table = pd.crosstab(predictions["label"], predictions["predicted"]).reindex(index=labels, columns=columns,
                                                                             fill_value=0)
    table.index.name, table.columns.name = "label", "predicted"
    return table


def same_images(a: ImageSet, b: ImageSet) -> bool:
    """Whether two sets are the same images (then the test responses are the labelling ones)."""
    return a.names == b.names and a.labels == b.labels


def image_set_specs(params: dict, label_images: str | None, test_images: str | None) -> tuple[str, str]:
    """The labelling and test sets of a run: as given, else as its parameters name them
    (labelling defaults to the training images)."""
    label_spec = label_images or params.get("label_images") or params.get("images")
    test_spec = test_images or params.get("test_images")
    if not label_spec:
        raise InputError("--label-images", None, "an image set to label the outputs with; the run names none")
    if not test_spec:
        raise InputError("--test-images", None, "an image set to measure the accuracy on; the run names none")
    return label_spec, test_spec


def evaluate_run(run_dir: Path) -> dict:
    """Evaluate a run on the image sets its own parameters name (as a study does)."""
    label_spec, test_spec = image_set_specs(trained_parameters(run_dir), None, None)
    return evaluate(run_dir, load_image_set(label_spec, "label_images"), load_image_set(test_spec, "test_images"))


def inference_network(run_dir: Path, vth: float | None) -> tuple[Network, np.ndarray]:
    """The trained network of a run and its final states (threshold replaced if given)."""
    net = load_network(Path(run_dir) / folder.NETWORK)
    if vth is not None:
        net = replace(net, lif=replace(net.lif, vth=vth))
    return net, trained_states(Path(run_dir))


def evaluate(run_dir: Path, label_set: ImageSet, test_set: ImageSet, *, vth: float | None = None,
             present: float | None = None, progress: Callable[[int], None] | None = None) -> dict:
    """Label the outputs on ``label_set``, measure the accuracy on ``test_set``; write
    ``evaluation.json``, ``evaluation_responses.csv`` and ``confusion.csv`` into the run."""
    run_dir = Path(run_dir)
    params = trained_parameters(run_dir)
    net, states = inference_network(run_dir, vth)
    for images, field in ((label_set, "--label-images"), (test_set, "--test-images")):
        n_pixels = int(np.prod(images.shape(field)))
        if n_pixels != net.n_in:
            raise InputError(field, images.names[0], f"images of {net.n_in} pixels, as the trained network has "
                             f"(not {n_pixels})")
    control = SimControl(stop=present if present is not None else presenting_time(params))
    same = same_images(label_set, test_set)
    done = 0

    def step(_: int) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done)

    label_counts = responses(net, states, label_set, control, step)
    test_counts = label_counts if same else responses(net, states, test_set, control, step)
    assignment = assign_labels(label_counts)
    predictions = predict(test_counts, assignment)
    table = confusion(predictions)
    correct = predictions["label"] == predictions["predicted"]
    result = {
        "accuracy": float(correct.mean()),
        "test_images": int(len(predictions)),
        "correct": int(correct.sum()),
        "unanswered": int((predictions["predicted"] == NONE).sum()),
        "assignment": {str(j): lab for j, lab in assignment.items()},
        "per_label_accuracy": {str(k): float(v) for k, v in correct.groupby(predictions["label"]).mean().items()},
        "labelling_set_size": len(label_set),
        "presenting_time_s": control.stop,
        "vth_V": net.lif.vth,
        "inhibit_time_s": net.lif.t_inhibit,
    }
    both = pd.concat([label_counts.assign(set="label"), test_counts.assign(set="test")] if not same
                     else [label_counts.assign(set="label+test")], ignore_index=True)
    write_atomic(run_dir / "evaluation_responses.csv", lambda p: both.to_csv(p, index=False))
    write_atomic(run_dir / "confusion.csv", lambda p: table.to_csv(p))
    write_atomic(run_dir / "predictions.csv", lambda p: predictions.to_csv(p, index=False))
    write_json_atomic(run_dir / EVALUATION, result)
    return {**result, "confusion": table}
