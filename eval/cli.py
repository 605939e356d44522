"""`elig eval`: score `elig extract` output against gold, print the scores, write HTML and JSON.

    elig eval --gold annotations/test --pred out.jsonl [--format gold|brat] [--report r.html]
              [--json scores.json] [--bootstrap 1000] [--seed 0] [--floors eval/floors.json]

Exit status: 0 when scored (and every headline score is at or above its floor), 1 when a score
is below its floor, 2 when the gold, the predictions or the floors cannot be read.
Also runs as ``python -m eval.cli ...``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

FORMATS = ("gold", "brat")
SHOWN_IDS = 20


def _console(stderr: bool = False) -> Console:
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal:  # piped or captured: wide enough for the tables
        console = Console(stderr=stderr, highlight=False, width=max(console.width, 140))
    return console


def _f(x: Optional[float]) -> str:
    return "—" if x is None else f"{x:.3f}"


def _ci(ci) -> str:
    return "" if not ci else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def print_report(report, console: Console) -> None:
    """The headline and per-type fact scores as rich tables, then the trials on one side only."""
    floors = {f.metric: f for f in report.floors}
    t = Table(title=f"elig eval, {report.format} format: {report.gold_trials} gold trials, "
                    f"{report.scored_trials} with a prediction")
    for col in ("metric", "value", "95% CI") + (("floor", "") if floors else ()):
        t.add_column(col, justify="left" if col == "metric" else "right", no_wrap=True)
    for name, h in report.headline.items():
        row = [name, _f(h.value), _ci(h.ci)]
        if floors:
            f = floors.get(name)
            row += [_f(f.floor), "[red]below[/]" if f.status == "below" else f.status] if f else ["", ""]
        t.add_row(*row)
    console.print(t)
    if report.segmentation is not None:
        s = report.segmentation
        console.print(f"criteria: {s.gold} gold, {s.pred} predicted; exact TP/FP/FN "
                      f"{s.exact.tp}/{s.exact.fp}/{s.exact.fn}, overlap {s.overlap.tp}/{s.overlap.fp}/"
                      f"{s.overlap.fn}; split {s.split}, merged {s.merged}")
    ft = Table(title="Facts per type")
    for col in ("type", "gold", "pred", "strict P", "strict R", "strict F1", "relaxed F1", "TP/FP/FN strict"):
        ft.add_column(col, justify="left" if col == "type" else "right", no_wrap=True)
    rows = list(report.facts.items()) + [("all", report.facts_overall)]
    for name, s in rows:
        ft.add_row(name, str(s.gold), str(s.pred), _f(s.strict.precision), _f(s.strict.recall),
                   _f(s.strict.f1), _f(s.relaxed.f1), f"{s.strict.tp}/{s.strict.fp}/{s.strict.fn}",
                   end_section=name == rows[-2][0] if len(rows) > 1 else False)
    console.print(ft)
    for ids, what in ((report.missing, "gold trials without a prediction (their gold counts as FN)"),
                      (report.unknown, "predicted trials not in the gold (not scored)")):
        if ids:
            more = f" … and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else ""
            console.print(f"[yellow]{len(ids)} {what}:[/] " + " ".join(ids[:SHOWN_IDS]) + more)
    if report.warnings:
        console.print(f"[yellow]{len(report.warnings)} warnings[/] (first: {report.warnings[0]})")
    n_crit = len(report.criterion_errors)
    console.print(f"errors: {len(report.fact_errors)} fact" + (f", {n_crit} criterion" if report.segmentation else "")
                  + " (listed in --report / --json)")


def run(gold: Path, pred: Path, fmt: str = "gold", report: Optional[Path] = None,
        json_out: Optional[Path] = None, bootstrap: int = 1000, seed: int = 0,
        floors: Optional[Path] = None, console: Optional[Console] = None) -> int:
    """Score, print, write; the exit status (see the module doc)."""
    from eval.score import check_floors, evaluate, load_floors

    out, err = console or _console(), _console(stderr=True)
    if fmt not in FORMATS:
        err.print(f"elig eval: --format must be one of {', '.join(FORMATS)}", markup=False)
        return 2
    if bootstrap < 0:
        err.print("elig eval: --bootstrap must be >= 0", markup=False)
        return 2
    try:
        limits = load_floors(floors) if floors else {}
        result = evaluate(gold, pred, fmt, bootstrap, seed)
    except (OSError, ValueError) as exc:
        err.print(f"elig eval: error: {exc}", markup=False)
        return 2
    result.floors = check_floors(result, limits)
    print_report(result, out)
    if json_out:
        Path(json_out).write_text(result.to_json(), encoding="utf-8")
        out.print(f"scores written to {json_out}", markup=False)
    if report:
        from eval.report_html import write_report

        write_report(result, report)
        out.print(f"report written to {report}", markup=False)
    below = [f for f in result.floors if f.status == "below"]
    unchecked = [f.metric for f in result.floors if f.status == "not computed"]
    if unchecked:
        shown = ", ".join(unchecked[:6]) + (f", … ({len(unchecked) - 6} more)" if len(unchecked) > 6 else "")
        err.print(f"elig eval: note: {len(unchecked)} floors not checked (no such score for this gold): "
                  + shown, markup=False)
    for f in below:
        err.print(f"elig eval: {f.metric} = {f.value:.4f} is below its floor {f.floor:.4f}", markup=False)
    return 1 if below else 0


def command(
    gold: Path = typer.Option(..., "--gold", help="Gold folder or file: gold JSON files, or LCT BRAT .ann/.txt pairs."),
    pred: Path = typer.Option(..., "--pred", help="JSON Lines written by `elig extract`."),
    fmt: str = typer.Option("gold", "--format", help="Gold format: gold (annotations/ JSON) | brat (LCT numeric facts)."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write a self-contained HTML report here."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write every score and error as JSON here."),
    bootstrap: int = typer.Option(1000, "--bootstrap", help="Bootstrap resamples over trials for 95% CIs (0: none)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap resamples."),
    floors: Optional[Path] = typer.Option(None, "--floors", help="JSON {headline metric: minimum}; exit 1 when a score is below."),
):
    """Score predictions against gold: criteria, categories, facts, with bootstrap CIs."""
    raise typer.Exit(run(gold, pred, fmt, report, json_out, bootstrap, seed, floors))


def main() -> None:
    app = typer.Typer(add_completion=False)
    app.command()(command)
    app()


if __name__ == "__main__":
    main()
