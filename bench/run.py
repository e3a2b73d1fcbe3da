#!/usr/bin/env python3
"""make bench: speed ratios of tokenledger against what a user would use instead.

Each scenario lives in bench/scenarios/NAME.py and defines
    run(ctx) -> list of result rows (dicts: scenario, ours, baseline, ours_s, baseline_s, note)
using ctx.time_sql(setup, {name: sql, ...}, reps) which runs bench/runner (one process,
medians over reps, statements rotated) and returns {name: (median_seconds, rows)}.
ctx.shared is ../shared/data (None when absent: a scenario then says what it skipped),
ctx.work a scratch directory for generated inputs.

The table printed at the end gives, per scenario, both medians and the ratio
baseline / ours (above 1: tokenledger is faster).
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNNER = os.path.join(ROOT, "build", "bench", "runner")
EXT = os.path.join(ROOT, "tokenledger")


class Context:
    def __init__(self, work):
        shared = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
        self.shared = shared if os.path.isdir(shared) else None
        self.work = work
        self.root = ROOT

    def time_sql(self, setup, statements, reps=7):
        args = [RUNNER, EXT, str(reps), setup] + ["%s=%s" % kv for kv in statements.items()]
        out = subprocess.run(args, stdout=subprocess.PIPE, check=True).stdout.decode()
        result = {}
        for line in out.splitlines():
            name, seconds, rows = line.split()
            result[name] = (float(seconds), int(rows))
        return result


def main():
    only = sys.argv[1:]
    scen_dir = os.path.join(ROOT, "bench", "scenarios")
    rows = []
    with tempfile.TemporaryDirectory(prefix="tokenledger-bench-") as work:
        ctx = Context(work)
        for fname in sorted(os.listdir(scen_dir)):
            if not fname.endswith(".py") or (only and not any(o in fname for o in only)):
                continue
            spec = importlib.util.spec_from_file_location(fname[:-3], os.path.join(scen_dir, fname))
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            print("running %s ..." % fname[:-3], file=sys.stderr, flush=True)
            rows += mod.run(ctx)
    print("%-44s %12s %12s %8s  %s" % ("scenario", "ours (ms)", "baseline(ms)", "ratio", "baseline / note"))
    for r in rows:
        if r.get("ours_s") is None:
            print("%-44s %12s %12s %8s  %s" % (r["scenario"], "-", "-", "-", r.get("note", "")))
            continue
        ratio = r["baseline_s"] / r["ours_s"] if r["ours_s"] > 0 else float("inf")
        print("%-44s %12.2f %12.2f %7.1fx  %s%s" % (
            r["scenario"], r["ours_s"] * 1e3, r["baseline_s"] * 1e3, ratio, r["baseline"],
            ("; " + r["note"]) if r.get("note") else ""))


if __name__ == "__main__":
    main()
