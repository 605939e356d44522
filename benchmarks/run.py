"""Speed and memory of `elig extract`: trials/s, criteria/s and peak memory, on one core.

    python benchmarks/run.py                    # ../shared/data (ctgov, LCT, CTP sample) and the seeds
    python benchmarks/run.py PATH [PATH ...]    # any input `elig extract` reads
    python benchmarks/run.py --repeat 5 PATH    # best of 5 runs per input (default 3)

Each input runs as its own `elig extract` process pinned to one core, `--repeat` times; the
fastest run is reported, as timeit does, since a shared machine only ever adds time. Start-up
(imports, building the pipeline) is reported apart from the throughput.
"""
from __future__ import annotations

import json
import os
import platform
import re
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
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})


def run(inputs: list[str], out: Path) -> tuple[float, float, int]:
    """Wall seconds, seconds after start-up and peak resident memory (KiB) of one `elig extract` run."""
    # a middle process with this one child, so that RUSAGE_CHILDREN is this run's alone
    cmd = [sys.executable, __file__, "--child", str(out), *inputs]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"elig extract failed on {inputs}: {proc.stderr.strip()[-800:]}")
    wall, work, peak = proc.stdout.split()
    return float(wall), float(work), int(peak)


def child(out: str, inputs: list[str]) -> None:
    cmd = [sys.executable, "-m", "extract.cli", "extract", *inputs, "-o", out]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, preexec_fn=_pin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr)
        raise SystemExit(2)
    # the CLI's closing line: "... in 1.23 s after start-up, ..."
    work = float(re.search(r"in ([0-9.]+) s after start-up", proc.stderr).group(1))
    print(wall, work, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def count(out: Path) -> tuple[int, int]:
    trials = criteria = 0
    with open(out, encoding="utf-8") as fh:
        for line in fh:
            trials += 1
            criteria += len(json.loads(line)["criteria"])
    return trials, criteria


def main(argv: list[str]) -> None:
    repeat = 3
    if argv[:1] == ["--repeat"]:
        repeat, argv = int(argv[1]), argv[2:]
    inputs = [Path(a) for a in argv] or [p for p in DEFAULT if p.exists()]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"machine: {_cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
              f"each run pinned to one core, best of {repeat}")
        print(f"{'input':<45} {'trials':>7} {'criteria':>9} {'wall s':>7} {'work s':>7} {'trials/s':>9} {'crit/s':>8} {'peak MiB':>9}")
        total = [0, 0, 0.0]
        for path in inputs:
            out = Path(tmp) / "out.jsonl"
            runs = [run([str(path)], out) for _ in range(repeat)]
            wall, work, _ = min(runs, key=lambda r: r[1])
            peak = max(r[2] for r in runs)
            trials, criteria = count(out)
            work = max(work, 1e-6)
            total = [total[0] + trials, total[1] + criteria, total[2] + work]
            name = str(path.relative_to(SHARED.parent)) if SHARED.parent in path.resolve().parents else str(path)
            print(f"{name:<45} {trials:>7} {criteria:>9} {wall:>7.2f} {work:>7.2f} {trials / work:>9.0f} {criteria / work:>8.0f} {peak / 1024:>9.0f}")
        print(f"{'all':<45} {total[0]:>7} {total[1]:>9} {'':>7} {total[2]:>7.2f} {total[0] / total[2]:>9.0f} {total[1] / total[2]:>8.0f}")
    print("work s: reading, splitting and writing, after start-up (imports, pipeline); trials/s and crit/s are over work s;")
    print("wall s includes start-up; peak MiB is the run's maximum resident set size")


def _cpu() -> str:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3:])
    else:
        main(sys.argv[1:])
