"""Training examples from gold files: each gold criterion with what the rules find in it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..components import make_doc
from ..segment import Item
from ..textview import make_view


@dataclass
class Example:
    trial_id: str
    text: str          # the criterion's clean text
    section: str
    facts: list[str]   # fact types the rule components found in it
    rules: list[str]   # categories the rules give it
    gold: list[str]    # gold categories


def load_golds(folders) -> list:
    """Gold files under a folder or a list of folders (and files)."""
    from eval.gold import gold_files, load_gold  # the harness owns the gold format

    paths = [folders] if isinstance(folders, (str, Path)) else list(folders)
    return [load_gold(p) for p in gold_files(paths)]


def examples(nlp, golds) -> list[Example]:
    """Run the pipeline's fact and category components on the gold criterion spans."""
    out: list[Example] = []
    docs, metas = [], []
    for g in golds:
        for field, text in g.fields.items():
            crits = [c for c in g.trial.criteria if c.field == field]
            if not crits:
                continue
            view = make_view(text)
            items = []
            for c in crits:
                a, b = view.to_clean(*c.span)
                items.append(Item(a, b, c.section))
            doc = make_doc(nlp, view.clean)
            doc.user_data["elig_items"] = items
            docs.append(doc)
            metas.append((g.trial.trial_id, crits))
    for doc, (trial_id, crits) in zip(nlp.pipe(docs), metas):
        for item, c in zip(doc._.criteria, crits):
            out.append(Example(trial_id, doc.text[item.start:item.end], c.section,
                               sorted({f.type for f in item.facts}), list(item.categories), list(c.categories)))
    return out
