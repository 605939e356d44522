"""Regression guard: extraction on the held-out gold test set must keep every headline score at or
above its floor in eval/floors.json (raise the floors as the scores rise)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_test_set_scores_stay_above_their_floors(tmp_path):
    pred = tmp_path / "test.jsonl"
    extract = subprocess.run([sys.executable, "-m", "extract.cli", "extract", "annotations/sources/test", "-o", str(pred)],
                             capture_output=True, text=True, cwd=ROOT)
    assert extract.returncode == 0, extract.stderr
    score = subprocess.run([sys.executable, "-m", "extract.cli", "eval", "--gold", "annotations/test", "--pred", str(pred),
                            "--floors", "eval/floors.json", "--bootstrap", "100"],
                           capture_output=True, text=True, cwd=ROOT)
    assert score.returncode == 0, score.stdout[-3000:] + score.stderr[-2000:]
