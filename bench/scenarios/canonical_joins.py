"""Joins report: how many OpenRouter, Artificial Analysis and LMArena models find a price
entry (LiteLLM 2026-08-01 or models.dev api.json) through canonical_model, unmatched listed.

Runs the real sqlite3 CLI with the extension loaded and json_each(readfile(...)) over the
files in ../shared/data, as a user would. `make bench` prints the shares in its table (the
"ms" columns are not timings here: see the note); run this file alone for the full report
with every unmatched name:

    python3 bench/scenarios/canonical_joins.py
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PRICED = """
CREATE TEMP TABLE priced AS
  SELECT canonical_model(key) AS m FROM json_each(readfile('{S}/litellm/model_prices_and_context_window.2026-08-01.json'))
   WHERE key NOT IN ('sample_spec', 'last_updated')
  UNION
  SELECT canonical_model(m.key, p.key) FROM json_each(readfile('{S}/models-dev/api.json')) p, json_each(p.value, '$.models') m;
CREATE TEMP TABLE src(source, raw);
INSERT INTO src SELECT DISTINCT 'openrouter', value ->> 'id' FROM json_each(readfile('{S}/openrouter/api_v1_models.2026-08-01.json'), '$.data');
INSERT INTO src SELECT DISTINCT 'openrouter', value ->> 'id' FROM json_each(readfile('{S}/openrouter/api_v1_models.2026-05-15.json'), '$.data')
   WHERE value ->> 'id' NOT IN (SELECT raw FROM src WHERE source = 'openrouter');
INSERT INTO src SELECT DISTINCT 'artificial-analysis', value ->> 'slug' FROM json_each(readfile('{S}/artificial-analysis/aa_v2_llms_models.2026-03-25.json'), '$.models');
INSERT INTO src SELECT DISTINCT 'lmarena', k.key FROM json_each(readfile('{S}/lmarena/arena-catalog_leaderboard-text.2025-12-11.json')) c, json_each(c.value) k;
CREATE TEMP TABLE joined AS SELECT source, raw, canonical_model(raw) AS m, canonical_model(raw) IN (SELECT m FROM priced) AS hit FROM src;
"""

SUMMARY = "SELECT source, count(*), sum(hit) FROM joined GROUP BY source ORDER BY source;"
UNMATCHED = "SELECT source, raw, m FROM joined WHERE NOT hit ORDER BY source, raw;"


def query(shared, sql):
    script = PRICED.format(S=shared) + sql
    out = subprocess.run(["sqlite3", ":memory:", "-cmd", ".load %s" % os.path.join(ROOT, "tokenledger")],
                         input=script.encode(), stdout=subprocess.PIPE, check=True).stdout.decode()
    return [line.split("|") for line in out.splitlines() if line]


def summary(shared):
    return [(src, int(n), int(hit)) for src, n, hit in query(shared, SUMMARY)]


def run(ctx):
    if ctx.shared is None:
        return [{"scenario": "canonical joins", "note": "skipped: needs ../shared/data"}]
    rows = []
    for src, n, hit in summary(ctx.shared):
        rows.append({"scenario": "joins: %s priced via canonical_model" % src,
                     "note": "%d of %d models (%.1f%%) find a LiteLLM or models.dev entry; "
                             "list: python3 bench/scenarios/canonical_joins.py" % (hit, n, 100.0 * hit / n)})
    return rows


def main():
    shared = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
    for src, n, hit in summary(shared):
        print("%-20s %4d of %4d models find a price entry (%.1f%%)" % (src, hit, n, 100.0 * hit / n))
    print("\nunmatched (source, raw name, canonical_model):")
    for src, raw, m in query(shared, UNMATCHED):
        print("  %-20s %-60s %s" % (src, raw, m))


if __name__ == "__main__":
    sys.exit(main())
