#!/usr/bin/env python3
"""Out of memory while the extension loads: never a crash later.

When an entry point fails halfway through registering (out of memory), what
it registered before stays in the connection, and SQLite dlclose()s the
library; calling those functions, or their destructors at sqlite3_close,
would then jump into unmapped code (seen: SIGSEGV at exit). The .so is linked
with -z nodelete so that it stays mapped. This sweep runs the real sqlite3 CLI
with `PRAGMA hard_heap_limit=N` before `.load`, for N from a limit at which
nothing loads up to one at which the load succeeds, then calls a function and
a table of every module and exits. Every run until the first that loads must
end by itself (no signal) and say why it did not load ("cannot register
..."); the statements after a failed load may fail ("no such function", out of
memory) but not crash, and neither may sqlite3_close.

Output is the unit-test protocol of tests/run.py. Usage:

  python3 tests/oom/load_heap_limit.py [--ext ./tokenledger.so]
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROBES = [
    "SELECT 'loaded ' || bucket_cost(1, 1);",  # registered last: the whole load
    "SELECT per_token(1), canonical_model('gpt-4o'), bucket_cost(1, 1e-6),"
    " genai_match('{\"equals\": \"a\"}', 'a');",
    "SELECT count(*) FROM resolve_model('gpt-4o');",
    "SELECT count(*) FROM pricing('fixtures/pricing.example.json');",
    "SELECT count(*) FROM csvfile('fixtures/models_normalized.csv');",
    "SELECT count(*) FROM benchmarks('fixtures/models_normalized.csv');",
    "SELECT count(*) FROM usage_events('fixtures/events.jsonl');",
    "SELECT count(*) FROM pareto('SELECT 1, 2', 'min');",
]
# up to twice what a load needs (about 210,000 bytes on 2026-12-02, most of it the
# canonical vocabulary's index, which grows with models.tsv)
LIMITS = range(10000, 420001, 2000)


def run(ext, limit, entry):
    load = ".load %s%s" % (ext, (" " + entry) if entry else "")
    script = "\n".join(["PRAGMA hard_heap_limit=%d;" % limit, load] + PROBES) + "\n"
    proc = subprocess.run(["sqlite3", ":memory:"], input=script.encode(), cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def sweep(ext, entry):
    """Every limit of LIMITS; the range must hold both failed and full loads."""
    name = "load %s" % (entry or "sqlite3_tokenledger_init")
    partial = loaded = 0
    for limit in LIMITS:
        rc, out, err = run(ext, limit, entry)
        if rc < 0:
            print("not ok - %s: killed by signal %d at hard_heap_limit=%d" % (name, -rc, limit))
            return 1
        partial += "error during initialization" in err
        loaded += "loaded " in out
    if not partial or not loaded:
        print("not ok - %s: the limits %d..%d saw %d failed and %d whole loads; both are needed"
              % (name, LIMITS[0], LIMITS[-1], partial, loaded))
        return 1
    print("ok - %s: %d limits (%d loads failed halfway, %d whole), no crash"
          % (name, len(LIMITS), partial, loaded))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext", default=os.path.join(ROOT, "tokenledger.so"))
    args = ap.parse_args()
    ext = args.ext if os.path.isabs(args.ext) else os.path.join(ROOT, args.ext)
    failures = sweep(ext, None) + sweep(ext, "sqlite3_tokenledger_nofs_init")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
