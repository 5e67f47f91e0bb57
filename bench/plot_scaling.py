"""Draw bench/scaling.png: build time by stage at 1x, 10x and 100x, before and after, side by side.

Usage: .venv/bin/python bench/plot_scaling.py --before bench/scaling-before.json
       --after bench/scaling-after.json [--out bench/scaling.png]

Both files are the ``--json`` output of bench/build_scaling.py (one object per
factor, with per-stage seconds from the build's reports/timings.tsv).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

REPO = Path(__file__).resolve().parents[1]
#: one colour per stage, the same in both panels
STAGES = ("load", "identifiers", "releases", "reason", "qc", "edges", "export", "site")
COLOURS = dict(zip(STAGES, plt.get_cmap("tab10").colors, strict=False))


def _panel(ax: object, rows: list[dict], title: str) -> None:
    finished = [r for r in rows if r.get("finished")]
    triples = [r["triples"] for r in finished]
    for stage in STAGES:
        values = [max(r["stages"].get(stage, 0.0), 1e-3) for r in finished]
        if max(values) >= 0.5:
            ax.plot(
                triples,
                values,
                marker="o",
                label=stage,  # type: ignore[attr-defined]
                color=COLOURS[stage],
            )
    ax.plot(
        triples,
        [r["stages"]["total"] for r in finished],
        marker="s",  # type: ignore
        color="black",
        linewidth=2,
        label="total (stages)",
    )
    base = finished[0]
    ax.plot(
        triples,
        [base["stages"]["total"] * t / base["triples"] for t in triples],  # type: ignore
        linestyle="--",
        color="grey",
        label="linear from 1x",
    )
    ax.axhline(60, color="red", linewidth=0.8, linestyle=":", label="100x target (60 s)")  # type: ignore
    ax.set_xscale("log")  # type: ignore[attr-defined]
    ax.set_yscale("log")  # type: ignore[attr-defined]
    ax.set_xlabel("triples in the release")  # type: ignore[attr-defined]
    ax.set_title(title, fontsize=9)  # type: ignore[attr-defined]
    ax.legend(fontsize=6, ncol=2)  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, default=REPO / "bench" / "scaling-before.json")
    parser.add_argument("--after", type=Path, default=REPO / "bench" / "scaling-after.json")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "scaling.png")
    args = parser.parse_args()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), dpi=110, sharey=True)
    _panel(
        axes[0],
        json.loads(args.before.read_text()),
        "before: QC on pyshacl, site per-term graph queries",
    )
    _panel(
        axes[1],
        json.loads(args.after.read_text()),
        "after: QC compiled to SPARQL, own writers, pages in forked children, HermiT\n"
        "beside the canonical form, no cyclic GC in the build (idle; CIMO 2.8x larger)",
    )
    axes[0].set_ylabel("seconds (stage timings)")
    fig.tight_layout()
    fig.savefig(args.out, metadata={"Software": None})
    plt.close(fig)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
