#!/usr/bin/env python3
"""Out-of-memory sweep for csvfile (both forms) and benchmarks.

For each query below, the script runs the real sqlite3 CLI with the extension
loaded, once without a limit (the reference output), then once per heap limit
N in a range that starts at the memory already in use and ends where the query
first succeeds, under `PRAGMA hard_heap_limit=N`. Every limited run must give

  * the reference output exactly, with nothing on stderr; or
  * an out-of-memory error (SQLITE_NOMEM: the CLI's "... out of memory", not a
    module's own message) after a prefix of the reference rows: a row may never
    come out different (a NULL where the file has a value) or be left out;

and never crash, nor trip ASan/UBSan. After the query the limit is lifted and
the number of outstanding SQLite allocations must be back where it was after
an unconstrained run of the same query: a leak of one block fails the case.
(At the lowest limits lifting the limit fails too; those runs are checked for
crashes and output only, and ASan's leak check at exit still covers them.)

Output is the unit-test protocol of tests/run.py: one `ok - NAME`, `not ok -
NAME: DETAIL` line per query. Usage:

  python3 tests/oom/csv_heap_limit.py [--ext ./tokenledger] [--preload LIBS]
                                      [--points 120] [--jobs 2]

--preload is tests/run.py's (the sanitizer runtimes for build/asan); it is
given to sqlite3 only, never to this script's own interpreter.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "fixtures")
MODELS = os.path.join(FIXTURES, "models_normalized.csv")

# (name, setup run before the query, the query, cleanup after the limit is
# lifted). The CREATE form is two statements: when CREATE runs out of memory,
# the SELECT after it can only say that the table does not exist.
AFTER_FAILED_CREATE = re.compile(r"^Parse error near line \d+: no such table: m$")
QUERIES = [
    ("csvfile table-valued", "",
     "SELECT line, row FROM csvfile('%s');" % MODELS, ""),
    ("csvfile table-valued, every argument", "",
     "SELECT line, row, file, delimiter, header, \"null\" FROM "
     "csvfile('%s', ',', 'yes', '28,meta');" % MODELS, ""),
    ("csvfile CREATE form", "",
     "CREATE VIRTUAL TABLE temp.m USING csvfile(file='%s', null='N/A,-');\n"
     "SELECT rowid, * FROM m;" % MODELS, "DROP TABLE IF EXISTS temp.m;"),
    ("benchmarks wide CSV", "",
     "SELECT *, file, format, model_column, keep_unmeasured FROM benchmarks('%s');" % MODELS, ""),
    ("benchmarks Elo CSV", "",
     "SELECT * FROM benchmarks('%s');" % os.path.join(FIXTURES, "ledger.arena.csv"), ""),
    ("benchmarks aa_scores JSON", "",
     "SELECT * FROM benchmarks('%s', NULL, NULL, 1);"
     % os.path.join(FIXTURES, "ledger.aa_scores.2025-09-01.json"), ""),
]

OOM_LINE = re.compile(
    r"^(?:Parse error|Runtime error|Error)(?: near line (\d+))?:\s*(?:in prepare, |stepping, )?"
    r"out of memory(?: \(7\))?$")
STATS = re.compile(r"^(Memory Used|Number of Outstanding Allocations):\s+(\d+)")
# SQLite keeps the last error message in one value allocated at the first
# error: the warm run makes one, so that an error under the limit does not
# count as a leak.
WARM_ERROR = "SELECT * FROM tl_oom_warm_error;\n"
WARM_ERROR_LINE = re.compile(r"^Parse error near line \d+: no such table: tl_oom_warm_error$")
SANITIZER = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def run_cli(args, script):
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    if args.preload:
        env["LD_PRELOAD"] = args.preload
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    proc = subprocess.run(["sqlite3", "-batch", ":memory:"], input=script.encode(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def stats_block(tag):
    """The allocation counters between two markers (`.stats` runs no SQL)."""
    return ".print @@%s\n.stats\n.print @@%s_end\n" % (tag, tag)


def script_for(args, query, limit):
    """Warm run (connects the eponymous tables, creates temp), counters, then
    the query under `limit` (None: no limit) between markers, counters again.
    Also returns the range of script lines that hold the query, so that the
    CLI's "near line N" tells a query error from a failure to lift the limit."""
    _, setup, sql, cleanup = query
    head = "".join([".load %s\n.nullvalue NULL\n" % args.ext, setup, "\n", WARM_ERROR,
                    ".output /dev/null\n", sql, "\n", cleanup, "\n.output stdout\n",
                    stats_block("before"), ".output /dev/null\n",
                    "PRAGMA hard_heap_limit=%d;\n" % limit if limit is not None else "",
                    ".output stdout\n.print @@query\n"])
    first = head.count("\n") + 1
    body = sql + "\n"
    tail = "".join([".print @@query_end\n.output /dev/null\nPRAGMA hard_heap_limit=0;\n",
                    cleanup, "\n.output stdout\n", stats_block("after")])
    return head + body + tail, range(first, first + body.count("\n"))


def section(stdout, tag):
    lines = stdout.splitlines()
    try:
        start = lines.index("@@" + tag)
    except ValueError:
        return None
    end = lines.index("@@%s_end" % tag) if "@@%s_end" % tag in lines else len(lines)
    return lines[start + 1:end]


def counters(stdout, tag):
    found = {}
    for line in section(stdout, tag) or []:
        m = STATS.match(line)
        if m:
            found[m.group(1)] = int(m.group(2))
    return found


def run_limited(args, query, limit, reference):
    """None if the run at this limit is acceptable, else what went wrong."""
    script, query_lines = script_for(args, query, limit)
    rc, out, err = run_cli(args, script)
    if rc < 0 or any(s in err for s in SANITIZER):
        return "limit %d: crashed or sanitizer report (exit %d):\n%s" % (limit, rc, err[-3000:])
    rows = section(out, "query")
    errors = [l for l in err.splitlines()
              if l.strip() and not l.startswith("  ") and not WARM_ERROR_LINE.match(l)]
    if errors and OOM_LINE.match(errors[0]):
        errors = [errors[0]] + [l for l in errors[1:] if not AFTER_FAILED_CREATE.match(l)]
    if not all(OOM_LINE.match(l) for l in errors):
        return "limit %d: an error other than out of memory: %s" % (limit, " / ".join(errors))
    if rows is None:
        # The CLI's own allocations failed before the query (it then exits).
        return None if errors else "limit %d: no output at all (exit %d)" % (limit, rc)
    in_query = [l for l in errors if not OOM_LINE.match(l).group(1)
                or int(OOM_LINE.match(l).group(1)) in query_lines]
    if not in_query and rows != reference:
        return "limit %d: no error but different rows:\n  %s" % (limit, "\n  ".join(rows[:20]))
    if rows != reference[:len(rows)]:
        return "limit %d: rows before the error differ from the reference:\n  %s" % (
            limit, "\n  ".join(rows[:20]))
    if len(in_query) < len(errors) or "@@after_end" not in out:
        return None  # the limit could not be lifted (or the CLI gave up): no leak count
    before = counters(out, "before").get("Number of Outstanding Allocations")
    after = counters(out, "after").get("Number of Outstanding Allocations")
    if before is None or after is None:
        return "limit %d: allocation counters missing" % limit
    if after > before:
        return "limit %d: %d allocations still outstanding after the query (leak)" % (
            limit, after - before)
    return None


def sweep(args, query):
    rc, out, err = run_cli(args, script_for(args, query, None)[0])
    reference = section(out, "query")
    err = "\n".join(l for l in err.splitlines() if not WARM_ERROR_LINE.match(l)
                    and not l.startswith("  "))
    if rc < 0 or err.strip() or not reference:
        return "the unconstrained run failed (exit %d): %s" % (rc, err.strip()[:500])
    in_use = counters(out, "before").get("Memory Used")
    if not in_use:
        return "no memory counters from .stats"
    # The smallest limit that lets the query through, found by doubling: the
    # sweep covers [in use, that limit], where every allocation of the query
    # can be the one that fails.
    step, hi = 1024, None
    while step <= 64 << 20:
        rc, out, err = run_cli(args, script_for(args, query, in_use + step)[0])
        if not [l for l in err.splitlines() if l.strip() and not WARM_ERROR_LINE.match(l)] \
                and section(out, "query") == reference:
            hi = in_use + step
            break
        step *= 2
    if hi is None:
        return "the query never succeeded under a limit up to %d bytes" % (in_use + step)
    stride = max(8, (hi - in_use) // args.points)
    limits = list(range(in_use, hi + stride, stride))
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for problem in pool.map(lambda n: run_limited(args, query, n, reference), limits):
            if problem:
                return problem
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext", default="./tokenledger")
    ap.add_argument("--preload", default="")
    ap.add_argument("--points", type=int, default=120, help="limits per query")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    failed = 0
    for query in QUERIES:
        problem = sweep(args, query)
        label = "csv_heap_limit: %s" % query[0]
        if problem:
            failed += 1
            print("not ok - %s: %s" % (label, problem))
        else:
            print("ok - %s" % label)
        sys.stdout.flush()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
