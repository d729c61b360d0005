"""Run the command-line bad-input corpus (tests/bad_inputs.py) as subprocesses against a
source tree and count the clear errors.

    .venv/bin/python scripts/bad_inputs_count.py                 # this checkout
    .venv/bin/python scripts/bad_inputs_count.py --src /tmp/orig # another tree (e.g. a
                                                                 # `git archive` of main)

A case is *clear* when the exit status is non-zero, no traceback is printed and the output
names every expected token; *one-line* when, in addition, one stderr line starting with
``error:`` names them all. Prints one row per case that is not one-line, then the counts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bad_inputs import CASES, argv_for  # noqa: E402


def judge(case, rc: int, out: str, err: str) -> tuple[bool, bool]:
    expect = case[2]
    clear = rc != 0 and "Traceback" not in out + err and all(t in out + err for t in expect)
    one = clear and any(line.startswith("error:") and all(t in line for t in expect)
                        for line in err.splitlines())
    return clear, one


def run_case(case, src: Path, timeout: int) -> tuple[str, int, bool, bool, str]:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        env = {**os.environ, "PYTHONPATH": str(src)}
        env.pop("SIM_DEBUG", None)
        env.pop("HYDRA_FULL_ERROR", None)
        try:
            r = subprocess.run([sys.executable, "-m", "sim", *argv_for(case, tmp)],
                               capture_output=True, text=True, cwd=tmp, env=env,
                               timeout=timeout)
            rc, out, err = r.returncode, r.stdout, r.stderr
        except subprocess.TimeoutExpired:
            rc, out, err = -9, "", "timeout"
    clear, one = judge(case, rc, out, err)
    last = [ln for ln in err.strip().splitlines() if ln.strip()]
    return case[0], rc, clear, one, (last[-1] if last else out.strip()[-200:])[:160]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=ROOT, help="source tree to run")
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("-k", help="only cases whose id contains this")
    a = ap.parse_args()
    cases = [c for c in CASES if not a.k or a.k in c[0]]
    with ThreadPoolExecutor(a.jobs) as ex:
        rows = list(ex.map(lambda c: run_case(c, a.src.resolve(), a.timeout), cases))
    for cid, rc, clear, one, last in rows:
        if not one:
            print(f"{cid:34s} rc={rc:<3d} clear={clear!s:5s} | {last}")
    n_clear = sum(r[2] for r in rows)
    n_one = sum(r[3] for r in rows)
    print(f"cases {len(rows)}: clear {n_clear}, one-line error {n_one}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
