#!/usr/bin/env python3
"""tokenledger test runner.

Runs two kinds of tests and prints one closing line, `N passed, N failed, N skipped`:

* C unit tests: every executable in --unit (built by make from tests/unit/test_*.c).
  Each prints one line per check: `ok - NAME`, `not ok - NAME: DETAIL` or
  `skip - NAME: REASON`.
* Python test scripts: every tests/*/test_*.py (and the tests/oom/*_heap_limit.py
  sweeps), run as `python3 SCRIPT --ext EXT` from the repository root with the plain
  build, read like a unit test.
* Hosts (--host BIN, repeatable): C programs that embed SQLite themselves, such as
  tests/oom/oom_host.c; run as `BIN EXT` from the repository root and read like a unit
  test. --hosts-only runs nothing else (make test-oom).
* SQL tests: every tests/sql/*.test file, run through the real sqlite3 CLI with the
  extension loaded. A file is a list of cases, SQL in and expected rows out:

      # comment
      @setup                       (optional, once per file: SQL run before every case)
      CREATE VIRTUAL TABLE p USING pricing(file='$FIXTURES/pricing.example.json');
      @needs shared                (optional: the file needs ../shared/data)

      === per_token reads dollar strings
      SELECT per_token('$2.50', '1m');
      ---
      2.5e-06

  A case may also say `@needs shared` on the line after its `===` line, and `@heavy` for a
  case that works on files of many megabytes (skipped under --valgrind, which would take
  minutes on it; the ASan run covers it), and `@long-double` for a case whose printed doubles
  SQLite rounds to 15 digits through `long double`, which valgrind computes with 64 bits, so
  that the last digit can differ there (skipped under --valgrind; the native and ASan runs
  check it). Output is the
  CLI's list mode (`|` between columns, NULL printed as NULL); an error prints as
  `error: MESSAGE`, without the CLI's "Parse error near line N:" prefix.
  Placeholders: $SHARED (../shared/data), $FIXTURES, $ROOT (the repository), $TMP (a
  scratch directory for this run), $EXT (the extension under test). Every case runs in a
  fresh sqlite3 :memory:, with the extension loaded first unless the file says `@noload`
  (for cases about loading itself).
"""
import argparse
import collections
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
FIXTURES = os.path.join(ROOT, "fixtures")
NEEDS_SHARED = "needs ../shared/data"
VALGRIND = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
            "--errors-for-leak-kinds=definite"]
ERROR_PREFIX = re.compile(
    r"^(?:Parse error|Runtime error|Error)(?: near line \d+)?:\s*(?:in prepare, |stepping, )?")


class Case:
    def __init__(self, path, name, line):
        self.path, self.name, self.line = path, name, line
        self.sql, self.expected, self.needs_shared, self.heavy = [], [], False, False
        self.long_double = False

    def label(self):
        return "%s:%d: %s" % (os.path.relpath(self.path, ROOT), self.line, self.name)


def parse_test_file(path):
    """Split a .test file into its setup SQL and its cases."""
    setup, cases, file_needs_shared, noload = [], [], False, False
    section, case = None, None
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("=== "):
                case = Case(path, line[4:].strip(), lineno)
                cases.append(case)
                section = "sql"
            elif case is None:
                if line.strip() == "@setup":
                    section = "setup"
                elif line.strip() == "@needs shared":
                    file_needs_shared = True
                elif line.strip() == "@noload":
                    noload = True
                elif section == "setup":
                    setup.append(line)
            elif line.strip() == "@needs shared" and section == "sql" and not case.sql:
                case.needs_shared = True
            elif line.strip() == "@heavy" and section == "sql" and not case.sql:
                case.heavy = True
            elif line.strip() == "@long-double" and section == "sql" and not case.sql:
                case.long_double = True
            elif line == "---" and section == "sql":
                section = "expected"
            elif section == "sql":
                case.sql.append(line)
            else:
                case.expected.append(line)
    for c in cases:
        c.needs_shared = c.needs_shared or file_needs_shared
        c.noload = noload
        while c.expected and not c.expected[-1].strip():
            c.expected.pop()
    return setup, cases


def substitute(text, tmp, ext=""):
    for key, value in (("$SHARED", SHARED), ("$FIXTURES", FIXTURES),
                       ("$ROOT", ROOT), ("$TMP", tmp), ("$EXT", ext)):
        text = text.replace(key, value)
    return text


def normalize(stdout, stderr):
    lines = [l.rstrip() for l in stdout.splitlines()]
    err = stderr.splitlines()
    # The CLI follows an error with the statement and a caret line: keep the message.
    i = 0
    while i < len(err):
        if ERROR_PREFIX.match(err[i]):
            lines.append("error: " + ERROR_PREFIX.sub("", err[i]).strip())
        elif err[i].strip() and not err[i].startswith("  "):
            lines.append(err[i].rstrip())
        i += 1
    while lines and not lines[-1]:
        lines.pop()
    return lines


def run_case(case, setup, args, tmp):
    if case.needs_shared and not os.path.isdir(SHARED):
        return "skip", case, NEEDS_SHARED
    if case.heavy and args.valgrind:
        return "skip", case, "heavy: too slow under valgrind (the ASan run covers it)"
    if case.long_double and args.valgrind:
        return "skip", case, ("long-double: SQLite prints these doubles through long double,"
                              " which valgrind computes with 64 bits (the ASan run checks them)")
    load = "" if case.noload else ".load %s\n" % args.ext
    script = "%s.nullvalue NULL\n%s\n%s\n" % (
        load, substitute("\n".join(setup), tmp, args.ext), substitute("\n".join(case.sql), tmp, args.ext))
    cmd = (VALGRIND if args.valgrind else []) + ["sqlite3", "-batch", ":memory:"]
    proc = subprocess.run(cmd, input=script.encode(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=args.env, cwd=ROOT)
    stdout = proc.stdout.decode("utf-8", "replace")
    stderr = proc.stderr.decode("utf-8", "replace")
    if args.valgrind and proc.returncode == 99:
        return "fail", case, "valgrind reported errors:\n" + stderr
    if proc.returncode < 0 or "ERROR: AddressSanitizer" in stderr or "runtime error:" in stderr:
        return "fail", case, "crashed or sanitizer report (exit %d):\n%s" % (proc.returncode, stderr)
    got = normalize(stdout, stderr)
    expected = [substitute(l, tmp).rstrip() for l in case.expected]
    if got == expected:
        return "pass", case, None
    return "fail", case, "expected:\n  %s\ngot:\n  %s" % (
        "\n  ".join(expected) or "(nothing)", "\n  ".join(got) or "(nothing)")


def run_unit(path, args, host=False, sweep=False):
    """Run one C unit test binary; count its ok / not ok / skip lines.

    A host (--host) is run the same way with the extension's path as its argument,
    never under valgrind (it forks and brings its own allocator; ASan covers it).
    A sweep (tests/oom/*_heap_limit.py) or a test script (tests/*/test_*.py) is a
    python script run the same way, as SCRIPT --ext EXT."""
    env = dict(args.env, TL_SHARED=SHARED, TL_FIXTURES=FIXTURES, TL_ROOT=ROOT)
    if args.valgrind:
        env["TL_VALGRIND"] = "1"
    if sweep:
        # usage_heap_limit.py loads the library itself (ctypes): it needs the file name
        ext = args.ext if args.ext.endswith(".so") else args.ext + ".so"
        cmd = [sys.executable, path, "--ext", ext]
    elif host:
        cmd = [path, args.ext]
    else:
        cmd = (VALGRIND if args.valgrind else []) + [path]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    out = proc.stdout.decode("utf-8", "replace").splitlines()
    results = []
    name = os.path.basename(path)
    for line in out:
        if line.startswith("ok - "):
            results.append(("pass", "%s: %s" % (name, line[5:]), None))
        elif line.startswith("not ok - "):
            results.append(("fail", "%s: %s" % (name, line[9:]), None))
        elif line.startswith("skip - "):
            label, _, reason = line[7:].partition(": ")
            results.append(("skip", "%s: %s" % (name, label), reason or "no reason given"))
    if proc.returncode != 0 and not any(r[0] == "fail" for r in results):
        results.append(("fail", name, "exit %d\n%s" % (
            proc.returncode, proc.stderr.decode("utf-8", "replace")[-3000:])))
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext", default="./tokenledger", help="extension to .load")
    ap.add_argument("--unit", default="build/unit", help="directory of unit test binaries")
    ap.add_argument("--preload", default="", help="LD_PRELOAD for sqlite3 (sanitizer runtimes)")
    ap.add_argument("--valgrind", action="store_true")
    ap.add_argument("--host", action="append", default=[],
                    help="a test host binary (tests/oom/oom_host.c) run as HOST EXT, read like a unit test")
    ap.add_argument("--hosts-only", action="store_true", help="run the --host binaries and nothing else")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("only", nargs="*", help="run only .test files whose name contains one of these")
    args = ap.parse_args()
    args.env = dict(os.environ)
    if args.preload:
        args.env["LD_PRELOAD"] = args.preload
        args.env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        args.env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    if args.valgrind and not shutil.which("valgrind"):
        sys.exit("valgrind is not installed")

    passed = failed = skipped = 0
    skip_reasons = {}

    def record(status, label, detail):
        nonlocal passed, failed, skipped
        if status == "pass":
            passed += 1
        elif status == "skip":
            skipped += 1
            skip_reasons.setdefault(detail, []).append(label)
        else:
            failed += 1
            print("FAIL %s\n%s\n" % (label, detail or ""))

    unit_dir = os.path.join(ROOT, args.unit) if not os.path.isabs(args.unit) else args.unit
    units = sorted(os.path.join(unit_dir, f) for f in os.listdir(unit_dir)
                   if f.startswith("test_") and os.access(os.path.join(unit_dir, f), os.X_OK)) \
        if os.path.isdir(unit_dir) else []
    units = [u for u in units if not args.only or any(o in u for o in args.only)]
    sql_dir = os.path.join(ROOT, "tests", "sql")
    files = sorted(os.path.join(sql_dir, f) for f in os.listdir(sql_dir) if f.endswith(".test"))
    files = [f for f in files if not args.only or any(o in f for o in args.only)]
    hosts = [os.path.join(ROOT, h) if not os.path.isabs(h) else h for h in args.host]
    # The PRAGMA hard_heap_limit sweeps run with the plain build only: under ASan
    # the sanitizer owns the allocator (the ASan oom_host, make test-oom, covers
    # that run) and under valgrind they would take many minutes.
    oom_dir = os.path.join(ROOT, "tests", "oom")
    sweeps = [] if args.preload or args.valgrind or args.hosts_only else sorted(
        os.path.join(oom_dir, f) for f in os.listdir(oom_dir) if f.endswith("_heap_limit.py"))
    # Python test scripts (tests/*/test_*.py: the vocabulary generator's checks,
    # the held-out alias set) print ok / not ok / skip lines like a unit test;
    # they test answers, not memory, so they too run with the plain build only.
    if not (args.preload or args.valgrind or args.hosts_only):
        sweeps += sorted(glob.glob(os.path.join(ROOT, "tests", "*", "test_*.py")))
    sweeps = [w for w in sweeps if not args.only or any(o in w for o in args.only)]
    if args.hosts_only:
        units, files = [], []

    # Every job belongs to a group (a binary, a script, a .test file); a group's
    # progress line is printed when its last job ends, so a long run shows
    # what has finished (the closing line stays the last one).
    with tempfile.TemporaryDirectory(prefix="tokenledger-test-") as tmp, \
            concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        groups = {}  # future -> group name
        for u in units:
            groups[pool.submit(run_unit, u, args)] = u
        for h in hosts:
            groups[pool.submit(run_unit, h, args, True)] = h
        for w in sweeps:
            groups[pool.submit(run_unit, w, args, False, True)] = w
        for path in files:
            setup, cases = parse_test_file(path)
            for c in cases:
                groups[pool.submit(run_case, c, setup, args, tmp)] = path
        pending = collections.Counter(groups.values())
        tally = {g: collections.Counter() for g in pending}
        started = time.monotonic()
        for done_n, job in enumerate(concurrent.futures.as_completed(groups), 1):
            group = groups[job]
            result = job.result()
            if isinstance(result, list):
                rows = result
            else:
                status, case, detail = result
                rows = [(status, case.label(), detail)]
            for status, label, detail in rows:
                record(status, label, detail)
                tally[group][status] += 1
            pending[group] -= 1
            if pending[group] == 0:
                t = tally[group]
                print("[%3d%%] %-52s %d passed%s%s (%.0f s)" % (
                    100 * done_n // len(groups), os.path.relpath(group, ROOT), t["pass"],
                    ", %d FAILED" % t["fail"] if t["fail"] else "",
                    ", %d skipped" % t["skip"] if t["skip"] else "",
                    time.monotonic() - started), flush=True)

    for reason, labels in sorted(skip_reasons.items()):
        print("skipped: %s (%d: %s%s)" % (reason, len(labels), ", ".join(labels[:3]),
                                          ", ..." if len(labels) > 3 else ""))
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
