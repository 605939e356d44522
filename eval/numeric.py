"""Score the numeric facts of `elig extract` output against LCT gold facts, per fact type.

Strict: same type, overlapping spans, same comparator and values (``between`` bounds as a set).
Relaxed: same type and overlapping spans. Matching is one-to-one, greedy by largest overlap.
Gold facts the contract cannot express (no comparator or no value, e.g. ``±3 weeks``) are left out
of the counts, and so is a prediction that overlaps one of them; both are counted as ``ignored``.

    python -m eval.numeric --gold ../shared/data/lct --pred out.jsonl [--json S.json] [--errors N]
"""
from __future__ import annotations

import argparse
import json
import math
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from eval.align import greedy
from eval.brat import GoldFact, Span, lct_numeric_facts, read_ann

TYPES = ("age", "lab", "performance_status")


@dataclass(frozen=True)
class PredFact:
    """A numeric fact as `elig extract` wrote it (criteria of field ``text`` only)."""

    type: str
    span: Span
    text: str
    comparator: str
    value: float
    value_high: Optional[float] = None
    unit: Optional[str] = None
    criterion_id: str = ""


Fact = GoldFact | PredFact


def load_predictions(jsonl_path: str | Path) -> dict[str, list[PredFact]]:
    """Numeric facts (with a comparator and a value) per trial id, from an output file."""
    preds: dict[str, list[PredFact]] = {}
    with open(jsonl_path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                trial = json.loads(line)
                facts = preds.setdefault(trial["trial_id"], [])
                for crit in trial.get("criteria") or []:
                    if crit.get("field") != "text":
                        continue
                    for f in crit.get("facts") or []:
                        if f.get("comparator") is None or f.get("value") is None:
                            continue
                        facts.append(PredFact(
                            f["type"], tuple(f["span"]), f["text"], f["comparator"], f["value"],
                            f.get("value_high"), f.get("unit"), crit.get("id", "")))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{jsonl_path} line {n}: {exc!r}") from exc
    return preds


def load_lct_gold(folder: str | Path) -> dict[str, tuple[str, list[GoldFact]]]:
    """(text, gold facts) per trial id (file stem) for every ``*.ann`` under ``folder``."""
    gold: dict[str, tuple[str, list[GoldFact]]] = {}
    for ann_path in sorted(Path(folder).rglob("*.ann")):
        txt_path = ann_path.with_suffix(".txt")
        if not txt_path.is_file():
            warnings.warn(f"{ann_path}: no .txt beside it, skipped")
            continue
        if ann_path.stem in gold:
            warnings.warn(f"{ann_path}: trial {ann_path.stem} read already, skipped")
            continue
        text = txt_path.read_text(encoding="utf-8")
        gold[ann_path.stem] = (text, lct_numeric_facts(read_ann(ann_path), text))
    return gold


# ---------------------------------------------------------------- matching

def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6)


def same_values(g: Fact, p: Fact) -> bool:
    """Same comparator and numbers; ``between`` bounds compared as a set."""
    if g.comparator != p.comparator:
        return False
    if _close(g.value, p.value) and _close(g.value_high, p.value_high):
        return True
    return g.comparator == "between" and _close(g.value, p.value_high) and _close(
        g.value_high, p.value)


def match(gold: Sequence[Fact], pred: Sequence[Fact], strict: bool) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs, greedy by largest overlap."""
    return greedy([g.span for g in gold], [p.span for p in pred],
                  lambda i, j, ov: ov if not strict or same_values(gold[i], pred[j]) else None)


# ---------------------------------------------------------------- report

@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Counts") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


@dataclass
class ErrorExample:
    """A strict error: ``missed`` (FN), ``spurious`` (FP), or ``mismatch`` (an FN and an FP whose
    spans overlap: the fact was found with another comparator or value)."""

    trial_id: str
    type: str
    kind: str
    gold: Optional[GoldFact]
    pred: Optional[PredFact]

    @property
    def span(self) -> Span:
        return (self.gold or self.pred).span

    @property
    def text(self) -> str:
        return (self.gold or self.pred).text


@dataclass
class TypeScore:
    strict: Counts = field(default_factory=Counts)
    relaxed: Counts = field(default_factory=Counts)
    ignored_gold: int = 0
    ignored_pred: int = 0
    errors: list[ErrorExample] = field(default_factory=list)

    @property
    def false_negatives(self) -> list[ErrorExample]:
        return [e for e in self.errors if e.kind in ("missed", "mismatch")]

    @property
    def false_positives(self) -> list[ErrorExample]:
        return [e for e in self.errors if e.kind in ("spurious", "mismatch")]


@dataclass
class ScoreReport:
    """Per-type scores over the gold trials; trials on one side only are listed, not dropped."""

    types: dict[str, TypeScore]
    trials: int
    missing_predictions: list[str]  # gold trials absent from the predictions (all gold are FN)
    unknown_predictions: list[str]  # predicted trials absent from the gold (not scored)

    @property
    def overall(self) -> TypeScore:
        total = TypeScore()
        for s in self.types.values():
            total.strict.add(s.strict)
            total.relaxed.add(s.relaxed)
        return total

    def to_dict(self) -> dict:
        def scores(s: TypeScore) -> dict:
            return {"strict": s.strict.to_dict(), "relaxed": s.relaxed.to_dict(),
                    "ignored_gold": s.ignored_gold, "ignored_pred": s.ignored_pred}
        return {
            "trials": self.trials,
            "missing_predictions": self.missing_predictions,
            "unknown_predictions": self.unknown_predictions,
            "types": {t: scores(s) for t, s in self.types.items()},
            "overall": scores(self.overall),
            "errors": {t: [{"trial_id": e.trial_id, "kind": e.kind, "span": e.span,
                            "text": e.text, "gold": e.gold and asdict(e.gold),
                            "pred": e.pred and asdict(e.pred)} for e in s.errors]
                       for t, s in self.types.items()},
        }


def _score_trial(tid: str, gold: list[GoldFact], pred: list[PredFact], out: TypeScore,
                 ftype: str) -> None:
    scorable = [g for g in gold if g.comparator is not None and g.value is not None]
    unscorable = [g for g in gold if g.comparator is None or g.value is None]
    # a prediction on a threshold the contract cannot express is neither right nor wrong,
    # unless it can be matched to a scorable one
    found = {j for _, j in match(scorable, pred, strict=False)}
    rest = [j for j in range(len(pred)) if j not in found]
    ignored = {rest[j] for _, j in match(unscorable, [pred[j] for j in rest], strict=False)}
    kept = [p for j, p in enumerate(pred) if j not in ignored]
    out.ignored_gold += len(unscorable)
    out.ignored_pred += len(ignored)
    pairs = match(scorable, kept, strict=True)
    relaxed_tp = len(match(scorable, kept, strict=False))
    for counts, tp in ((out.strict, len(pairs)), (out.relaxed, relaxed_tp)):
        counts.add(Counts(tp, len(kept) - tp, len(scorable) - tp))
    fn = _unpaired(scorable, pairs, 0)
    fp = _unpaired(kept, pairs, 1)
    near = match(fn, fp, strict=False)
    out.errors += [ErrorExample(tid, ftype, "mismatch", fn[i], fp[j]) for i, j in near]
    out.errors += [ErrorExample(tid, ftype, "missed", g, None) for g in _unpaired(fn, near, 0)]
    out.errors += [ErrorExample(tid, ftype, "spurious", None, p) for p in _unpaired(fp, near, 1)]


def _unpaired(facts: Sequence[Fact], pairs: list[tuple[int, int]], side: int) -> list:
    used = {pair[side] for pair in pairs}
    return [f for k, f in enumerate(facts) if k not in used]


def score(gold: dict[str, tuple[str, list[GoldFact]]], pred: dict[str, list[PredFact]],
          types: Sequence[str] = TYPES) -> ScoreReport:
    """Score ``pred`` against ``gold`` (as loaded by `load_lct_gold` / `load_predictions`)."""
    report = ScoreReport({t: TypeScore() for t in types}, len(gold),
                         sorted(set(gold) - set(pred)), sorted(set(pred) - set(gold)))
    for tid in sorted(gold):
        facts = gold[tid][1]
        for t in types:
            _score_trial(tid, [g for g in facts if g.type == t],
                         [p for p in pred.get(tid, []) if p.type == t], report.types[t], t)
    for s in report.types.values():
        s.errors.sort(key=lambda e: (e.trial_id, e.span))
    return report


# ---------------------------------------------------------------- command line

def _fields(f: Optional[Fact]) -> str:
    if f is None:
        return "—"
    high = f" {f.value_high:g}" if f.value_high is not None else ""
    return f"{f.comparator} {f.value:g}{high}" + (f" {f.unit}" if f.unit else "")


def print_report(report: ScoreReport, errors: int = 0, console=None) -> None:
    """A rich table of the scores, then up to ``errors`` error examples per type."""
    from rich.console import Console
    from rich.table import Table

    if console is None:
        console = Console()
        if not console.is_terminal:  # piped or captured: wide enough for the score table
            console = Console(width=max(console.width, 140))
    table = Table(title=f"Numeric facts, {report.trials} gold trials")
    for col in ("type", "strict P", "strict R", "strict F1", "relaxed P", "relaxed R",
                "relaxed F1", "gold", "pred", "strict TP/FP/FN", "ignored g/p"):
        table.add_column(col, justify="left" if col == "type" else "right", no_wrap=True)
    rows = list(report.types.items()) + [("all", report.overall)]
    for name, s in rows:
        st, rx = s.strict, s.relaxed
        table.add_row(name, *(f"{x:.3f}" for x in (st.precision, st.recall, st.f1, rx.precision,
                                                    rx.recall, rx.f1)),
                      str(st.tp + st.fn), str(st.tp + st.fp), f"{st.tp}/{st.fp}/{st.fn}",
                      f"{s.ignored_gold}/{s.ignored_pred}" if name != "all" else "",
                      end_section=name == rows[-2][0])
    console.print(table)
    for ids, what in ((report.missing_predictions,
                       "gold trials without a prediction (their gold facts count as FN)"),
                      (report.unknown_predictions, "predicted trials not in the gold (not scored)")):
        if ids:
            more = f" … and {len(ids) - 20} more (all in --json)" if len(ids) > 20 else ""
            console.print(f"[yellow]{len(ids)} {what}:[/] " + " ".join(ids[:20]) + more)
    for name, s in report.types.items():
        if errors <= 0 or not s.errors:
            continue
        t = Table(title=f"{name}: {len(s.errors)} strict errors (first {errors})")
        for col in ("trial", "kind", "span", "text", "gold", "pred", "pred text"):
            t.add_column(col, overflow="fold")
        for e in s.errors[:errors]:
            t.add_row(e.trial_id, e.kind, f"{e.span[0]}-{e.span[1]}", e.text, _fields(e.gold),
                      _fields(e.pred), e.pred.text if e.pred and e.gold else "")
        console.print(t)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.numeric", description=__doc__.split("\n")[0])
    ap.add_argument("--gold", required=True, help="folder with LCT .ann/.txt files (recursive)")
    ap.add_argument("--pred", required=True, help="JSON Lines written by `elig extract`")
    ap.add_argument("--json", help="write the scores and all error examples here")
    ap.add_argument("--errors", type=int, default=0, help="error examples to print per type")
    ap.add_argument("--types", default=",".join(TYPES), help="comma-separated fact types")
    args = ap.parse_args(argv)
    report = score(load_lct_gold(args.gold), load_predictions(args.pred),
                   [t for t in args.types.split(",") if t])
    print_report(report, args.errors)
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_dict(), indent=1, ensure_ascii=False),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
