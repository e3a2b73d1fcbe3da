#!/usr/bin/env python3
"""tokenledger_build() over every real source of ../shared/data gives, table by table, the
rows of the TEMP views (issue 12).

The build computes some stages in forms of its own, faster than the views' (sql/ledger.sql:
`-- @build NAME ... from FORM`); the TEMP views compute everything live from the files, one
query per view: an independent path to the same rows. For every table the build wrote
(ledger_build_tables), and every view it kept (price_checks, rate_card_candidates, rate_timeline,
the ledger views, the routes),
the view's rows are stored once and compared both ways with EXCEPT, and the row counts must agree
too (EXCEPT alone would hide a duplicated row). A table with an mp_rid, pc_rid or rc_rid
(price_check_values: what the checks add to a model_prices row, by its rowid;
rate_card_candidate_values: what the ranking adds to a price_check_values row;
rate_timeline_values: a rate_cards row's period) is compared on its other columns, a rowid being
the build's alone (the TEMP view of the same name, or rate_timeline_live, gives the whole rows). The sources are
bench/scenarios/ledger.py's (every LiteLLM and OpenRouter snapshot, models.dev, genai-prices,
Artificial Analysis), so `make bench` times the build this test checks.
Run from the repository root: python3 tests/build/test_build_real.py --ext ./tokenledger
Prints `ok - NAME` / `not ok - NAME: DETAIL` / `skip - NAME: REASON` for tests/run.py."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tap  # noqa: E402  (tests/tap.py: the lines tests/run.py reads)
from tap import check, skip  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "bench", "scenarios"))
from ledger import sources_sql  # noqa: E402  (the real sources make bench builds)

SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
# The two stages the build writes under another name than their view's.
LIVE_NAME = {"rate_timeline": "rate_timeline_live", "rate_timeline_values": "rate_timeline_live",
             "rate_match_rules": "rate_match_rules_live"}


def sqlite(ext, script):
    proc = subprocess.run(["sqlite3", ":memory:", "-bail", "-cmd", ".load %s" % ext],
                          input=script, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, cwd=ROOT)
    return proc.returncode, proc.stdout, proc.stderr


def main():
    ext = "./tokenledger"
    if "--ext" in sys.argv:
        ext = sys.argv[sys.argv.index("--ext") + 1]
    if not os.path.isdir(SHARED):
        skip("the built tables equal the TEMP views over the real sources", "needs ../shared/data")
        return 0
    setup = "SELECT tokenledger_init();\n%s\nSELECT tokenledger_build();\n" % sources_sql(SHARED)
    rc, out, err = sqlite(ext, setup + "SELECT 'table:' || name || ':' || (SELECT"
                                       " group_concat(name, ', ') FROM pragma_table_info(t.name)"
                                       " WHERE name NOT IN ('mp_rid', 'pc_rid', 'rc_rid'))"
                                       " FROM ledger_build_tables t"
                                       " WHERE type IN ('table', 'view') ORDER BY position;")
    check("the build over the real sources", rc == 0, err or out)
    if rc != 0:
        return tap.exit_code()
    columns = dict(line[6:].split(":", 1) for line in out.splitlines()
                   if line.startswith("table:"))
    tables = list(columns)
    # one line per table: NAME|rows built|rows live|built EXCEPT live|live EXCEPT built
    script = [setup, "SELECT tokenledger_views();"]
    for t in tables:
        script.append(
            "CREATE TEMP TABLE live AS SELECT %s FROM temp.%s;\n"
            "SELECT '%s', (SELECT count(*) FROM main.%s), (SELECT count(*) FROM live),"
            " (SELECT count(*) FROM (SELECT %s FROM main.%s EXCEPT SELECT * FROM live)),"
            " (SELECT count(*) FROM (SELECT * FROM live EXCEPT SELECT %s FROM main.%s));\n"
            "DROP TABLE live;" % (columns[t], LIVE_NAME.get(t, t), t, t, columns[t], t,
                                  columns[t], t))
    rc, out, err = sqlite(ext, "\n".join(script))
    rows = {line.split("|")[0]: line.split("|")[1:] for line in out.splitlines() if "|" in line}
    check("every built table was compared", rc == 0 and sorted(rows) == sorted(tables),
          err or out)
    for t in tables:
        got = rows.get(t)
        check("%s: the built rows are the TEMP view's, both ways" % t,
              got is not None and got[0] == got[1] and got[2:] == ["0", "0"],
              "built, live, built-only, live-only: %s" % got)
    return tap.exit_code()


if __name__ == "__main__":
    sys.exit(main())
