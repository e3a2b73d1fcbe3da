#!/usr/bin/env python3
"""tokenledger_build() from hosts other than the sqlite3 CLI, and the built ledger read by
hosts that do not load the extension (issue 12).

  1. Debian's /usr/bin/python3 (the pyenv python3 of these machines is built without
     loadable-extension support) loads the .so, builds the ledger of the bundled fixtures
     into a database file in one statement, and the record's sha256 of every file equals
     hashlib's, its size os.stat's.
  2. The same python3 without the extension reads it through a mode=ro and an
     immutable=1 URI connection; writing there fails.
  3. sqlite-utils (the Debian package) lists and reads the tables, and builds a second
     database with --load-extension: one statement, as the issue asked.
The expected figures are tests/sql/ledger.test's, worked out by hand from the fixtures:
22 ledger rows, the frontier gemini-2.5-flash, gemini-2.5-pro, claude-sonnet-4-5.
Run from the repository root: python3 tests/build/test_build_hosts.py --ext ./tokenledger
Prints `ok - NAME` / `not ok - NAME: DETAIL` / `skip - NAME: REASON` for tests/run.py."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tap  # noqa: E402  (tests/tap.py: the lines tests/run.py reads)
from tap import check, skip  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEBIAN_PYTHON = "/usr/bin/python3"
FRONTIER = ["claude-sonnet-4-5-20250929", "gemini-2.5-flash", "gemini-2.5-pro"]


# Runs under Debian's python3: builds DB from the fixtures' sources, returns what it read.
BUILD = r"""
import json, sqlite3, sys
ext, db, sources = sys.argv[1], sys.argv[2], sys.argv[3]
c = sqlite3.connect(db)
c.enable_load_extension(True)
c.load_extension(ext)
c.execute("SELECT tokenledger_init()")
with open(sources) as f:
    c.executescript(f.read())
c.execute("UPDATE ledger_sources SET path = ? || '/' || path", (sys.argv[4],))
c.commit()
summary = c.execute("SELECT tokenledger_build()").fetchone()[0]
files = c.execute("SELECT read_path, size_bytes, sha256 FROM ledger_build_files ORDER BY source").fetchall()
print(json.dumps({"summary": summary, "files": files}))
"""

# Runs under Debian's python3 without the extension: reads DB through URI.
READ = r"""
import json, sqlite3, sys
uri = sys.argv[1]
c = sqlite3.connect(uri, uri=True)
out = {"rows": c.execute("SELECT count(*) FROM unified_model_provider_ledger").fetchone()[0],
       "price_checks": c.execute("SELECT count(*) FROM price_checks").fetchone()[0],
       "rate_card_candidates": c.execute("SELECT count(*) FROM rate_card_candidates").fetchone()[0],
       "frontier": [r[0] for r in c.execute("SELECT model FROM unified_model_provider_ledger"
                                             " WHERE pareto_rank = 1 ORDER BY model")]}
try:
    c.execute("DELETE FROM rate_cards")
    out["write"] = "allowed"
except sqlite3.OperationalError as e:
    out["write"] = str(e)
print(json.dumps(out))
"""


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          cwd=ROOT, **kw)


def python_can_load(python):
    p = run([python, "-c", "import sqlite3; sqlite3.connect(':memory:').enable_load_extension(True)"])
    return p.returncode == 0


def test_python(ext, tmp):
    db = os.path.join(tmp, "ledger.db")
    p = run([DEBIAN_PYTHON, "-c", BUILD, ext, db, os.path.join(ROOT, "fixtures", "ledger.sources.sql"), ROOT])
    check("Debian python3 builds the ledger in one statement", p.returncode == 0, p.stderr.strip())
    if p.returncode != 0:
        return None
    got = json.loads(p.stdout)
    check("the build's summary", got["summary"].startswith("built 16 tables and 8 views from 7 sources")
          and got["summary"].endswith(": 22 ledger rows"), got["summary"])
    for read_path, size, digest in got["files"]:
        with open(read_path, "rb") as f:
            data = f.read()
        name = os.path.relpath(read_path, ROOT)
        check("sha256 and size of %s as hashlib and os.stat give them" % name,
              digest == hashlib.sha256(data).hexdigest() and size == os.stat(read_path).st_size,
              "%s %s" % (digest, size))
    for mode in ("mode=ro", "immutable=1"):
        p = run([DEBIAN_PYTHON, "-c", READ, "file:%s?%s" % (db, mode)])
        if p.returncode != 0:
            check("a %s connection reads the ledger" % mode, False, p.stderr.strip())
            continue
        out = json.loads(p.stdout)
        # (price_checks and rate_card_candidates are views kept in the database, joins by
        # rowid of price_check_values, rate_card_candidate_values and model_prices)
        check("a %s connection without the extension reads the ledger, its frontier and the "
              "views price_checks and rate_card_candidates" % mode,
              out["rows"] == 22 and out["price_checks"] == 24
              and out["rate_card_candidates"] == 24 and out["frontier"] == FRONTIER, str(out))
        check("a %s connection cannot write" % mode, "readonly" in out["write"], out["write"])
    return db


def test_sqlite_utils(ext, tmp, db):
    exe = shutil.which("sqlite-utils")
    if not exe:
        skip("sqlite-utils reads and builds the ledger", "needs sqlite-utils (Debian package; .ci/deps installs it)")
        return
    p = run([exe, "tables", db, "--counts"])
    check("sqlite-utils lists the built tables",
          p.returncode == 0 and '"table": "ledger_rows", "count": 22' in p.stdout,
          p.stdout[:300] + p.stderr)
    # the two ledger views: ledger_rows joined to its pareto ranks
    p = run([exe, "views", db, "--counts"])
    check("sqlite-utils lists the built views",
          p.returncode == 0 and '"view": "unified_model_provider_ledger", "count": 22' in p.stdout,
          p.stdout[:300] + p.stderr)
    p = run([exe, "rows", db, "unified_model_provider_ledger", "-c", "model", "--where", "pareto_rank = 1"])
    models = sorted(r["model"] for r in json.loads(p.stdout)) if p.returncode == 0 else p.stderr
    check("sqlite-utils reads the frontier", models == FRONTIER, str(models))
    # A second database, built by sqlite-utils itself: the sources first, then one statement.
    second = os.path.join(tmp, "second.db")
    ext_path = os.path.abspath(ext if ext.endswith(".so") else ext + ".so")
    sources = [("pricing", os.path.join(ROOT, "fixtures", "ledger.litellm.2025-05-01.json"), "litellm",
                "2025-05-01")]
    p = run([exe, "query", second, "SELECT tokenledger_init()", "--load-extension", ext_path])
    check("sqlite-utils makes the input tables", p.returncode == 0, p.stderr.strip())
    p = run([exe, "insert", second, "ledger_sources", "-", "--alter"],
            input=json.dumps([{"kind": k, "path": path, "format": f, "snapshot_date": d, "priority": 0}
                              for k, path, f, d in sources]))
    check("sqlite-utils inserts a source", p.returncode == 0, p.stderr.strip())
    p = run([exe, "query", second, "SELECT tokenledger_build() AS built", "--load-extension", ext_path])
    ok = p.returncode == 0 and "built 16 tables and 8 views from 1 source " in p.stdout
    check("sqlite-utils builds the ledger with one statement", ok, p.stdout + p.stderr)
    # the LiteLLM fixture's 13 rows (ledger.test: 11 of pricing.example.json and 13 of it)
    p = run([exe, "query", second, "SELECT count(*) AS n FROM model_prices"])
    check("what sqlite-utils built is there", p.returncode == 0 and '"n": 13' in p.stdout,
          p.stdout + p.stderr)


def main():
    ext = "./tokenledger"
    if "--ext" in sys.argv:
        ext = sys.argv[sys.argv.index("--ext") + 1]
    if not os.path.exists(DEBIAN_PYTHON) or not python_can_load(DEBIAN_PYTHON):
        skip("the build from Python and the hosts that read it",
             "needs Debian's /usr/bin/python3 with loadable extensions (the pyenv python3 cannot load them)")
        return 0
    tmp = tempfile.mkdtemp(prefix="tokenledger-hosts-")
    try:
        db = test_python(os.path.abspath(ext), tmp)
        if db:
            test_sqlite_utils(ext, tmp, db)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.exit_code()


if __name__ == "__main__":
    sys.exit(main())
