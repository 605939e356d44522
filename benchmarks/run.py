"""Speed and memory of `elig extract`: trials/s, criteria/s and peak memory, on one core.

    python benchmarks/run.py                    # ../shared/data (ctgov, LCT, CTP sample) and the seeds
    python benchmarks/run.py PATH [PATH ...]    # any input `elig extract` reads

Each input runs as its own `elig extract` process pinned to one core. Start-up (imports,
building the pipeline) is timed on an empty input and reported apart from the throughput.
"""
from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT = [SHARED / "data" / "ctgov", SHARED / "data" / "lct", SHARED / "data" / "ctp-sample" / "clinical_trials.csv",
           SHARED / "seeds"]


def _pin():
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def run(inputs: list[str], out: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one `elig extract` run."""
    # a middle process with this one child, so that RUSAGE_CHILDREN is this run's alone
    cmd = [sys.executable, __file__, "--child", str(out), *inputs]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"elig extract failed on {inputs}: {proc.stderr.strip()[-800:]}")
    wall, peak = proc.stdout.split()
    return float(wall), int(peak)


def child(out: str, inputs: list[str]) -> None:
    cmd = [sys.executable, "-m", "extract.cli", "extract", *inputs, "-o", out]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, preexec_fn=_pin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr)
        raise SystemExit(2)
    print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def count(out: Path) -> tuple[int, int]:
    trials = criteria = 0
    with open(out, encoding="utf-8") as fh:
        for line in fh:
            trials += 1
            criteria += len(json.loads(line)["criteria"])
    return trials, criteria


def main(argv: list[str]) -> None:
    inputs = [Path(a) for a in argv] or [p for p in DEFAULT if p.exists()]
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.txt"
        empty.write_text("no criteria here\n")
        startup, _ = run([str(empty)], Path(tmp) / "startup.jsonl")
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; one core per run")
        print(f"start-up (imports + pipeline): {startup:.2f} s")
        print(f"{'input':<45} {'trials':>7} {'criteria':>9} {'wall s':>7} {'trials/s':>9} {'crit/s':>8} {'peak MiB':>9}")
        for path in inputs:
            out = Path(tmp) / "out.jsonl"
            wall, peak = run([str(path)], out)
            trials, criteria = count(out)
            work = max(wall - startup, 1e-6)
            name = str(path.relative_to(SHARED.parent)) if SHARED.parent in path.resolve().parents else str(path)
            print(f"{name:<45} {trials:>7} {criteria:>9} {wall:>7.2f} {trials / work:>9.0f} {criteria / work:>8.0f} {peak / 1024:>9.0f}")
    print("throughput excludes start-up; peak memory is the run's maximum resident set size")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3:])
    else:
        main(sys.argv[1:])
