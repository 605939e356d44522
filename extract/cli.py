"""The `elig` command line."""
from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

app = typer.Typer(help="Clinical-trial eligibility criteria as structured, span-exact facts.",
                  no_args_is_help=True, add_completion=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

FORMATS = ("auto", "ctgov-json", "ctgov-xml", "aact", "csv", "text")


@app.command()
def extract(
    inputs: List[Path] = typer.Argument(..., help="Files or folders of trial records."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="JSON Lines file to write (default: stdout)."),
    fmt: str = typer.Option("auto", "--format", help="Input format: " + "|".join(FORMATS)),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when any record had an error."),
    batch_size: int = typer.Option(64, "--batch-size", help="Texts per spaCy batch."),
    no_runon: bool = typer.Option(False, "--no-runon", help="Do not split run-on paragraphs."),
):
    """Read trial records and write one contract trial per line."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    from .pipeline import build_nlp, extract_records
    from .readers import read_paths
    from .record import ReadError
    from .writer import JsonlWriter

    from .learn.store import ModelError

    try:
        nlp = build_nlp(not no_runon)
    except ModelError as exc:
        err.print(f"elig: error: {exc}", markup=False)
        raise typer.Exit(2)
    stream = open(output, "w", encoding="utf-8") if output else sys.stdout
    writer = JsonlWriter(stream)
    failures = flagged = criteria = 0
    gc.freeze()  # the pipeline's lexicons and patterns live all run: keep them out of GC passes
    started = time.perf_counter()
    try:
        for result in extract_records(read_paths([str(p) for p in inputs], fmt), nlp, batch_size):
            if isinstance(result, ReadError):
                failures += 1
                err.print(f"elig: error: {result.where}: {result.message}", markup=False)
                continue
            for e in result.errors:
                err.print(f"elig: warning: {result.source.path} ({result.trial_id}) {e.field}: {e.message}", markup=False)
            flagged += bool(result.errors)
            criteria += len(result.criteria)
            writer.write(result)
    finally:
        if output:
            stream.close()
    seconds = time.perf_counter() - started
    err.print(f"elig: {writer.count} trials written ({criteria} criteria) in {seconds:.2f} s after start-up, "
              f"{failures} unreadable, {flagged} with errors", markup=False)
    if writer.count == 0 or (strict and (failures or flagged)):
        raise typer.Exit(1)


@app.command()
def schema():
    """Print the JSON Schema of one output line."""
    from .models import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


# `elig eval`: the evaluation harness's command, defined in eval/cli.py
from eval.cli import command as eval_command  # noqa: E402

app.command("eval")(eval_command)


@app.command()
def train(
    name: str = typer.Argument(..., help="category | boundary"),
    data: Optional[list[Path]] = typer.Option(None, "--data", help="Gold files to train on (a folder or file; "
                                              "repeat for more). Default: the model's own training data."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Model folder (default models/<name>)."),
    test: Optional[Path] = typer.Option(None, "--test", help="Held-out gold files for the model card's scores."),
):
    """Train a learned component from gold files and write it with its model card."""
    from .learn import train as training

    if name not in ("category", "boundary"):
        raise typer.BadParameter("name must be category or boundary")
    out = output or Path("models") / name
    data = data or training.DEFAULT_DATA[name]
    scores = (training.train_category if name == "category" else training.train_boundary)(data, out, test)
    err.print(f"elig: {name} model written to {out}; {scores}", markup=False)


if __name__ == "__main__":
    app()
