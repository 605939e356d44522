"""A self-contained HTML page of an evaluation `Report`: tables, matplotlib plots embedded as
base64 PNG, and the error lists (capped per kind, with the total). No external CSS, JS or images."""
from __future__ import annotations

import base64
import io
import json
from html import escape
from pathlib import Path
from typing import Any, Iterable, Optional

from eval.score import Report

MAX_ERRORS = 50  # error examples shown per kind; the JSON has them all
HIDDEN_KEYS = ("type", "text", "span", "event_id", "criterion_id")

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1200px;
color:#222;padding:0 16px;line-height:1.4}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ccc;padding-bottom:4px}h3{margin-top:1.4em}
table{border-collapse:collapse;margin:8px 0;font-size:.9em}
th,td{border:1px solid #ddd;padding:3px 8px;vertical-align:top;text-align:left}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.warn{background:#fff6e0;border:1px solid #f0c36d;padding:8px 12px;margin:8px 0}
.bad{color:#b00020;font-weight:bold}.ok{color:#1b7f3b}.muted{color:#777}
mark{background:#ffe58a}.diff{color:#b00020;font-weight:bold}
.fact{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;white-space:pre-wrap}
td.crit{max-width:420px}img{max-width:100%}details{margin:6px 0}summary{cursor:pointer}
"""


def _f(x: Optional[float], digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _ci(ci) -> str:
    return "—" if not ci else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def _table(headers: Iterable[str], rows: Iterable[Iterable[Any]], numeric_from: int = 1) -> str:
    """Cells are HTML already (escape text before); columns from ``numeric_from`` align right."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(f'<td class="n">{c}</td>' if k >= numeric_from else f"<td>{c}</td>"
                        for k, c in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _pyplot():
    """matplotlib's pyplot on the file-only Agg backend (imported late: only reports with plots need it)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return f'<img alt="plot" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode("ascii")}">'


# ---------------------------------------------------------------- plots


def fact_f1_plot(report: Report) -> Optional[str]:
    """Strict F1 per fact type with its bootstrap CI as error bars; relaxed F1 as a marker."""
    if not report.facts:
        return None
    plt = _pyplot()

    names = list(report.facts) + ["all"]
    scores = list(report.facts.values()) + [report.facts_overall]
    f1 = [s.strict.f1 for s in scores]
    low = [s.strict.f1 - s.strict.ci[0] if s.strict.ci else 0 for s in scores]
    high = [s.strict.ci[1] - s.strict.f1 if s.strict.ci else 0 for s in scores]
    fig, ax = plt.subplots(figsize=(7.5, 0.34 * len(names) + 1.2))
    y = list(range(len(names)))[::-1]
    ax.barh(y, f1, xerr=[[max(v, 0) for v in low], [max(v, 0) for v in high]], color="#4c78a8",
            ecolor="#333", capsize=3, label="strict F1 (95% CI)")
    ax.plot([s.relaxed.f1 for s in scores], y, "D", color="#f58518", markersize=5, label="relaxed F1")
    ax.set_yticks(y)
    ax.set_yticklabels([f"{n} ({s.gold})" for n, s in zip(names, scores)])
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("F1 (gold facts in brackets)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=.3)
    return _png(fig)


def confusion_plot(report: Report) -> Optional[str]:
    """Heat map of gold label × predicted label over matched criteria."""
    cats = report.categories
    if cats is None or not cats.confusion:
        return None
    plt = _pyplot()
    import numpy as np

    order = [lb for lb in cats.labels]
    extra = sorted({g for g in cats.confusion} | {p for row in cats.confusion.values() for p in row})
    order += [lb for lb in extra if lb not in order and lb != "—"] + ["—"]
    index = {lb: k for k, lb in enumerate(order)}
    m = np.zeros((len(order), len(order)), dtype=int)
    for g, row in cats.confusion.items():
        for p, n in row.items():
            m[index[g], index[p]] = n
    keep = [k for k in range(len(order)) if m[k].any() or m[:, k].any()]  # same labels on both axes
    m = m[np.ix_(keep, keep)]
    size = 0.42 * len(keep) + 2
    fig, ax = plt.subplots(figsize=(size + 1, size))
    shown = np.log1p(m)
    ax.imshow(shown, cmap="Blues", aspect="auto")
    for r in range(m.shape[0]):
        for c in range(m.shape[1]):
            if m[r, c]:
                ax.text(c, r, str(m[r, c]), ha="center", va="center", fontsize=7,
                        color="white" if shown[r, c] > shown.max() * 0.6 else "black")
    ax.set_xticks(range(len(keep)))
    ax.set_xticklabels([order[k] for k in keep], rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(keep)))
    ax.set_yticklabels([order[k] for k in keep], fontsize=8)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("gold label")
    ax.set_title("Categories over matched criteria (— = no label on that side)", fontsize=9)
    return _png(fig)


def label_bars_plot(report: Report) -> Optional[str]:
    """Precision and recall per category label."""
    cats = report.categories
    if cats is None or not cats.labels:
        return None
    plt = _pyplot()

    names = list(cats.labels)
    fig, ax = plt.subplots(figsize=(7.5, 0.3 * len(names) + 1.2))
    y = list(range(len(names)))[::-1]
    ax.barh([v + 0.2 for v in y], [cats.labels[n].precision for n in names], height=0.4,
            color="#4c78a8", label="precision")
    ax.barh([v - 0.2 for v in y], [cats.labels[n].recall for n in names], height=0.4,
            color="#f58518", label="recall")
    ax.set_yticks(y)
    ax.set_yticklabels([f"{n} ({cats.labels[n].support})" for n in names], fontsize=8)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("per label (gold criteria in brackets)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=.3)
    return _png(fig)


# ---------------------------------------------------------------- sections


def _prf_cells(p) -> list[str]:
    return [_f(p.precision), _f(p.recall), _f(p.f1), _ci(p.ci), f"{p.tp}/{p.fp}/{p.fn}"]


def _headline(report: Report) -> str:
    floors = {f.metric: f for f in report.floors}
    rows = []
    for name, h in report.headline.items():
        row = [escape(name), _f(h.value), _ci(h.ci)]
        if floors:
            f = floors.get(name)
            row += [_f(f.floor) if f else "", (f'<span class="{"bad" if f.status == "below" else "ok"}">'
                                              f"{escape(f.status)}</span>") if f else ""]
        rows.append(row)
    heads = ["metric", "value", "95% CI"] + (["floor", "status"] if floors else [])
    out = _table(heads, rows)
    extra = [f for f in report.floors if f.metric not in report.headline]
    if extra:
        out += "<p class=muted>Floors not computed for this gold: " + escape(", ".join(
            f.metric for f in extra)) + "</p>"
    return out


def _trials(report: Report) -> str:
    parts = []
    if report.missing:
        parts.append(f'<div class="warn"><b>{len(report.missing)} gold trials without a prediction</b> '
                     "(all their gold counts as false negatives): " + escape(" ".join(report.missing)) + "</div>")
    if report.unknown:
        parts.append(f'<div class="warn"><b>{len(report.unknown)} predicted trials not in the gold</b> '
                     "(not scored): " + escape(" ".join(report.unknown)) + "</div>")
    if report.warnings:
        items = "".join(f"<li>{escape(w)}</li>" for w in report.warnings[:200])
        more = f"<li>… {len(report.warnings) - 200} more (in --json)</li>" if len(report.warnings) > 200 else ""
        parts.append(f'<div class="warn"><b>{len(report.warnings)} warnings</b><ul>{items}{more}</ul></div>')
    return "".join(parts)


def _criteria_section(report: Report) -> str:
    seg = report.segmentation
    if seg is None:
        return ""
    out = ["<h2>Criteria</h2>",
           f"<p>{seg.gold} gold and {seg.pred} predicted criteria; split: <b>{seg.split}</b>, "
           f"merged: <b>{seg.merged}</b>.</p>",
           _table(["segmentation", "P", "R", "F1", "F1 95% CI", "TP/FP/FN"],
                  [["exact span"] + _prf_cells(seg.exact), ["≥50% overlap"] + _prf_cells(seg.overlap)])]
    rows = [[name, _f(a.accuracy), _ci(a.ci), f"{a.correct}/{a.total}"]
            for name, a in (("section", report.section), ("polarity", report.polarity),
                            ("negated", report.negated)) if a is not None]
    out.append(_table(["on matched criteria", "accuracy", "95% CI", "correct/total"], rows))
    cats = report.categories
    if cats is not None:
        out.append("<h3>Categories</h3>")
        out.append(_table(["", "P", "R", "F1", "F1 95% CI", "TP/FP/FN"],
                          [["micro"] + _prf_cells(cats.micro),
                           ["macro", _f(cats.macro.precision), _f(cats.macro.recall), _f(cats.macro.f1),
                            _ci(cats.macro.ci), ""]]))
        out.append(_table(["label", "P", "R", "F1", "TP/FP/FN", "gold support", "κ (matched)"],
                          [[escape(n), _f(s.precision), _f(s.recall), _f(s.f1), f"{s.tp}/{s.fp}/{s.fn}",
                            str(s.support), _f(s.kappa)] for n, s in cats.labels.items()]))
        for plot in (confusion_plot(report), label_bars_plot(report)):
            if plot:
                out.append(plot)
    return "".join(out)


def _facts_section(report: Report) -> str:
    out = ["<h2>Facts</h2>"]
    brat = report.format == "brat"
    heads = ["type", "gold", "pred", "strict P", "strict R", "strict F1", "strict F1 95% CI",
             "strict TP/FP/FN", "relaxed P", "relaxed R", "relaxed F1", "relaxed F1 95% CI"]
    heads += ["ignored gold/pred"] if brat else []
    rows = []
    for name, s in list(report.facts.items()) + [("all", report.facts_overall)]:
        row = [f"<b>{escape(name)}</b>" if name == "all" else escape(name), str(s.gold), str(s.pred),
               *_prf_cells(s.strict), _f(s.relaxed.precision), _f(s.relaxed.recall), _f(s.relaxed.f1),
               _ci(s.relaxed.ci)]
        rows.append(row + ([f"{s.ignored_gold}/{s.ignored_pred}"] if brat else []))
    out.append(_table(heads, rows))
    plot = fact_f1_plot(report)
    if plot:
        out.append(plot)
    if report.field_accuracy:
        out.append("<h3>Per-key agreement on matched facts</h3>")
        out.append(_table(["key", "accuracy", "agree/pairs"],
                          [[escape(k), _f(a.accuracy), f"{a.agree}/{a.total}"]
                           for k, a in report.field_accuracy.items()]))
        rows = [[escape(t), escape(k), _f(a.accuracy), f"{a.agree}/{a.total}"]
                for t, keys in report.field_accuracy_by_type.items() for k, a in keys.items()]
        out.append("<details><summary>by fact type</summary>"
                   + _table(["type", "key", "accuracy", "agree/pairs"], rows, numeric_from=2) + "</details>")
    return "".join(out)


def _marked(text: str, span, inner) -> str:
    """``text`` (starting at ``span[0]`` of its field) with ``inner`` span highlighted."""
    if not span or not inner:
        return escape(text)
    a, b = inner[0] - span[0], inner[1] - span[0]
    if not (0 <= a <= b <= len(text)):
        return escape(text)
    return escape(text[:a]) + "<mark>" + escape(text[a:b]) + "</mark>" + escape(text[b:])


def _fact_cell(fact: Optional[dict], differs: list[str]) -> str:
    if not fact:
        return '<span class="muted">—</span>'
    parts = [f"<b>{escape(repr(fact.get('text')))}</b>"]
    for k, v in fact.items():
        if k in HIDDEN_KEYS or v is None or v == [] or v == ():
            continue
        shown = escape(json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)
        parts.append(f'<span class="diff">{escape(k)}={shown}</span>' if k in differs
                     else f"{escape(k)}={shown}")
    return f'<div class="fact">{"<br>".join(parts)}</div>'


def _capped(items: list, what: str, cap: int) -> tuple[list, str]:
    shown = items[:cap]
    note = (f"{len(items)} in all" if len(items) <= cap
            else f"{len(items)} in all, first {cap} shown (all in --json)")
    return shown, f"<h3>{escape(what)} <span class=muted>({note})</span></h3>"


def _errors_section(report: Report, cap: int) -> str:
    out = ['<h2 id="errors">Errors</h2>']
    if report.segmentation is not None:
        titles = {"missed": "Missed criteria (gold, no ≥50% match)",
                  "spurious": "Spurious criteria (predicted, no ≥50% match)",
                  "split": "Split criteria (one gold criterion, several predicted)",
                  "merged": "Merged criteria (one predicted criterion, several gold)"}
        for kind, title in titles.items():
            items = [e for e in report.criterion_errors if e.kind == kind]
            shown, head = _capped(items, title, cap)
            out.append(head)
            if not items:
                continue
            rows = []
            for e in shown:
                def crits(refs):
                    return "<br>".join(f"<span class=muted>{r.span[0]}–{r.span[1]} "
                                       f"[{escape(', '.join(r.categories))}]</span> {escape(r.text)}"
                                       for r in refs) or '<span class="muted">—</span>'
                rows.append([escape(e.trial_id), escape(e.field), crits(e.gold), crits(e.pred)])
            out.append(_table(["trial", "field", "gold", "predicted"], rows, numeric_from=99))
    titles = {"mismatch": "Fact mismatches (found, but a key field differs)",
              "missed": "Missed facts (false negatives)", "spurious": "Spurious facts (false positives)"}
    for kind, title in titles.items():
        items = [e for e in report.fact_errors if e.kind == kind]
        shown, head = _capped(items, title, cap)
        out.append(head)
        if not items:
            continue
        rows = []
        for e in shown:
            fact = e.gold or e.pred
            crit = _marked(e.criterion, e.criterion_span, fact.get("span"))
            if e.pred_criterion is not None and e.pred_criterion != e.criterion:
                crit += ("<br><span class=muted>predicted criterion:</span> "
                         + _marked(e.pred_criterion, e.pred_criterion_span, e.pred.get("span")))
            rows.append([escape(e.trial_id), escape(e.type), f'<div class="crit">{crit}</div>',
                         _fact_cell(e.gold, e.differs), _fact_cell(e.pred, e.differs)])
        out.append(_table(["trial", "type", "criterion", "gold fact", "predicted fact"], rows,
                          numeric_from=99))
    return "".join(out)


def _per_trial(report: Report) -> str:
    rows = [[escape(t.trial_id), escape(t.status), "" if t.gold_criteria is None else str(t.gold_criteria),
             "" if t.pred_criteria is None else str(t.pred_criteria), _f(t.segmentation_f1_overlap),
             str(t.gold_facts), str(t.pred_facts), _f(t.fact_strict_f1)] for t in report.trials]
    return ("<details><summary>Per trial</summary>"
            + _table(["trial", "status", "gold criteria", "pred criteria", "segmentation F1 (overlap)",
                      "gold facts", "pred facts", "fact strict F1"], rows, numeric_from=2)
            + "</details>")


def render(report: Report, max_errors: int = MAX_ERRORS) -> str:
    """The whole page as a string; at most ``max_errors`` examples per error kind."""
    title = f"elig eval: {escape(report.pred_path or 'predictions')} against {escape(report.gold_path or 'gold')}"
    boot = (f"95% CIs: percentile bootstrap over gold trials, {report.bootstrap} resamples, seed {report.seed}"
            if report.bootstrap else "no bootstrap CIs (--bootstrap 0)")
    notes = "".join(f"<li>{escape(n)}</li>" for n in report.notes)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>{CSS}</style></head>
<body>
<h1>{title}</h1>
<p>Gold format <b>{escape(report.format)}</b>; {report.gold_trials} gold trials, {report.scored_trials} with a
prediction, {len(report.missing)} missing, {len(report.unknown)} unknown. {escape(boot)}.
<a href="#errors">Errors ↓</a></p>
{_trials(report)}
<h2>Headline</h2>
{_headline(report)}
{_criteria_section(report)}
{_facts_section(report)}
{_errors_section(report, max_errors)}
<h2>Trials</h2>
{_per_trial(report)}
<h2>How the scores are computed</h2>
<ul>{notes}</ul>
</body></html>
"""


def write_report(report: Report, path: str | Path, max_errors: int = MAX_ERRORS) -> None:
    Path(path).write_text(render(report, max_errors), encoding="utf-8")
