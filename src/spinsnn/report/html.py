"""A study as one self-contained HTML page: its file, run counts, figures and index."""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

import pandas as pd

from spinsnn import __version__
from spinsnn.analysis.robustness import read_index, swept_columns
from spinsnn.run.files import write_text_atomic

REPORT = "report.html"
STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; margin-top: 2em; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.8em; } td, th { border: 1px solid #ddd; padding: 2px 6px; }
th { background: #eee; position: sticky; top: 0; } tr.failed td { background: #fdd; }
figure { margin: 1em 0; } img { max-width: 100%; } figcaption { font-size: 0.85em; color: #555; }
"""
#: index columns shown in the report's table, besides the swept parameters
SHOWN = ("seed", "status", "output_spikes", "switching_events", "distance_initial", "distance_final",
         "synaptic_power_W", "energy_per_spike_J", "wall_time_s", "error")


def embedded_png(path: Path) -> str:
    """An ``<img>`` holding the PNG itself, so the page needs no other file."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def index_table(index: pd.DataFrame) -> str:
    """The index as an HTML table, failed runs highlighted."""
    columns = ["run", *swept_columns(index), *[c for c in SHOWN if c in index.columns]]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for _, row in index[columns].iterrows():
        cells = "".join(f"<td>{html.escape(format_cell(row[c]))}</td>" for c in columns)
        body.append(f'<tr class="{html.escape(str(row["status"]))}">{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def format_cell(value: object) -> str:
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:.4g}"
    return "" if value is None else str(value)


def write_report(study_dir: Path) -> Path:
    """Write ``report.html`` into the study folder: study file, counts, every figure, index."""
    study_dir = Path(study_dir)
    index = read_index(study_dir)
    counts = ", ".join(f"{n} {s}" for s, n in index["status"].value_counts().items())
    source = study_dir / "study.toml"
    parts = [f"<h1>spinsnn study {html.escape(study_dir.name)}</h1>",
             f"<p>{len(index)} runs: {html.escape(counts)}. Written {dt.date.today().isoformat()} by spinsnn "
             f"{__version__}.</p>"]
    if source.exists():
        parts += ["<h2>Study file</h2>", f"<pre>{html.escape(source.read_text())}</pre>"]
    figures = sorted(study_dir.glob("*.png"))
    if figures:
        parts.append("<h2>Figures</h2>")
        parts += [f"<figure>{embedded_png(p)}<figcaption>{html.escape(p.name)} (PDF beside it)</figcaption></figure>"
                  for p in figures]
    else:
        parts.append("<p>No figures yet: <code>spinsnn analyze robustness STUDY_DIR</code> draws them.</p>")
    parts += ["<h2>Runs</h2>", index_table(index)]
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>spinsnn study {html.escape(study_dir.name)}"
            f"</title><style>{STYLE}</style></head><body>{''.join(parts)}</body></html>\n")
    out = study_dir / REPORT
    write_text_atomic(out, page)
    return out
