#!/usr/bin/env python3
"""sql/gen_sql.py's stage marks `-- @build-from VIEW`, `-- @build-then` and `-- @build-inline`
above `-- @build-as`, and the CTE hints of a `-- @build view`: what each compiles to, and the
FILE:LINE: message of each misuse.

Each case writes a small ledger file, runs the generator on it and reads the C it writes
back into text (the byte arrays). Prints `ok - NAME` / `not ok - NAME: DETAIL` lines for
tests/run.py."""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEN = os.path.join(ROOT, "sql", "gen_sql.py")
failures = 0


def check(name, ok, detail=""):
    global failures
    print("ok - %s" % name if ok else "not ok - %s: %s" % (name, detail))
    failures += not ok


def generate(text):
    """(exit status, stderr, {array name: its text}) of gen_sql.py over text."""
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "ledger.sql"), os.path.join(d, "ledger_sql.c")
        open(src, "w").write(text)
        p = subprocess.run([sys.executable, GEN, src, out], capture_output=True, text=True)
        arrays = {}
        if p.returncode == 0:
            c = open(out).read()
            for name, body in re.findall(r"static const char (\w+)\[\] = \{([^}]*)\}", c):
                arrays[name] = bytes(int(b) for b in body.split(",")[:-1]).decode()
            arrays["stages"] = c[c.index("aBuildStage[]"):]
        return p.returncode, p.stderr.replace(src, "FILE"), arrays


BASE = """CREATE TEMP VIEW rows_v AS
SELECT 1 AS k, 'a' AS name;
-- @build fixed (k)
-- @build-from rows_v
CREATE TEMP VIEW fixed AS
SELECT k, upper(name) AS name FROM rows_v;
-- @build temp fixes
-- @build-then
--   UPDATE main.fixed SET name = upper(name)
--   WHERE k IN (SELECT k FROM fixes);
CREATE TEMP VIEW fixes AS
WITH m AS (
  -- @build-inline
  -- @build-as
  --   SELECT k FROM main.fixed
  SELECT k FROM rows_v)
SELECT k FROM m WHERE k > 0;
"""

rc, err, arrays = generate(BASE)
check("a ledger with the three marks compiles", rc == 0, err)
if rc == 0:
    check("@build-from: the table is written from the named view's SELECT",
          arrays["zStage0"] == "SELECT 1 AS k, 'a' AS name", repr(arrays["zStage0"]))
    check("@build-then: the SQL lines are run after the stage, in order",
          arrays.get("zStage1Then") == "UPDATE main.fixed SET name = upper(name)\n"
                                       "WHERE k IN (SELECT k FROM fixes);\n",
          repr(arrays.get("zStage1Then")))
    check("a stage with no @build-then has none", '{"fixed", STAGE_TABLE, zStage0, {"k"}, NULL, 0, NULL}'
          in arrays["stages"], arrays["stages"])
    check("@build-inline above @build-as: the build form, not materialized",
          arrays["zStage1"].startswith("WITH m AS NOT MATERIALIZED (\nSELECT k FROM main.fixed\n)"),
          repr(arrays["zStage1"]))

VIEW = """CREATE TEMP VIEW ranks AS
SELECT 1 AS k, 2 AS r;
-- @build view joined
CREATE TEMP VIEW joined AS
WITH fr AS MATERIALIZED (
  SELECT k, r FROM ranks),
other AS NOT MATERIALIZED (
  SELECT k FROM ranks)
SELECT fr.r FROM other LEFT JOIN fr ON fr.k = other.k;
"""
rc, err, arrays = generate(VIEW)
check("a view kept in the database loses its CTEs' MATERIALIZED hints (SQLite 3.35 syntax)",
      rc == 0 and arrays["zStage0"] == "WITH fr AS (\n  SELECT k, r FROM ranks),\n"
      "other AS (\n  SELECT k FROM ranks)\nSELECT fr.r FROM other LEFT JOIN fr ON fr.k = other.k",
      err or repr(arrays.get("zStage0")))

MISUSES = [
    ("@build-from naming no view above", BASE.replace("-- @build-from rows_v", "-- @build-from nowhere"),
     "FILE:4: expected '-- @build-from VIEW', VIEW a view above this one"),
    ("@build-from on a TEMP table", BASE.replace("-- @build temp fixes\n",
                                                 "-- @build temp fixes\n-- @build-from rows_v\n"),
     "FILE:8: @build-from makes a table, not a view or TEMP table"),
    ("@build-then without SQL lines", BASE.replace("--   UPDATE", "UPDATE").replace(
        "--   WHERE", "WHERE").replace("UPDATE main.fixed SET name = upper(name)\nWHERE k IN (SELECT k FROM fixes);\n", ""),
     "FILE:8: expected '-- @build-then' and then '--   SQL' lines"),
    ("@build-then away from its mark", BASE.replace("-- @build temp fixes\n",
                                                   "-- @build temp fixes\n-- (a comment)\n"),
     "FILE:9: expected '-- @build-from' and '-- @build-then' right below a '-- @build NAME' line"),
]
for name, text, message in MISUSES:
    rc, err, _ = generate(text)
    check("refused: " + name, rc == 1 and err.strip() == message, "rc %d: %s" % (rc, err.strip()))

sys.exit(1 if failures else 0)
