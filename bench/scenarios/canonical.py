"""canonical_model(x) over a million real model names against lower(x) over the same rows.

The names are every model name of the real sources a ledger joins (LiteLLM keys, OpenRouter
ids, Artificial Analysis slugs and display names, LMArena keys: about 4,000 distinct), repeated
to 1,000,000 rows in their file order, as a usage log repeats its few names. lower() is the floor
of any scalar function: one pass over the bytes and a copy. Aim (issue 3): within 3x of lower().
"""
import glob
import json
import os

ROWS = 1000000


def real_names(shared):
    names = []
    for f in sorted(glob.glob(os.path.join(shared, "litellm", "*2026-08-01.json"))):
        names += [k for k in json.load(open(f)) if k not in ("sample_spec", "last_updated")]
    for f in sorted(glob.glob(os.path.join(shared, "openrouter", "*.json"))):
        names += [d["id"] for d in json.load(open(f))["data"]]
    aa = json.load(open(os.path.join(shared, "artificial-analysis", "aa_v2_llms_models.2026-03-25.json")))
    names += [m["slug"] for m in aa["models"]] + [m["name"] for m in aa["models"]]
    lm = json.load(open(os.path.join(shared, "lmarena", "arena-catalog_leaderboard-text.2025-12-11.json")))
    names += sorted({k for cat in lm.values() for k in cat})
    return names


def run(ctx):
    if ctx.shared is None:
        return [{"scenario": "canonical_model vs lower", "note": "skipped: needs ../shared/data"}]
    names = real_names(ctx.shared)
    path = os.path.join(ctx.work, "canonical_names.json")
    with open(path, "w") as f:
        json.dump(names, f)
    setup = (
        "CREATE TABLE names(i INTEGER PRIMARY KEY, x TEXT);"
        "INSERT INTO names(x) SELECT value FROM json_each(readfile('%s'));"
        "CREATE TABLE t AS WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < %d)"
        " SELECT (SELECT x FROM names WHERE i = 1 + k %% (SELECT count(*) FROM names)) AS x FROM n;"
        % (path, ROWS - 1))
    res = ctx.time_sql(setup, {
        "canonical": "SELECT canonical_model(x) FROM t",
        "lower": "SELECT lower(x) FROM t",
        "canonical_distinct": "SELECT canonical_model(x) FROM names",
    }, reps=5)
    distinct = res["canonical_distinct"][1]
    note = "%d rows, %d distinct names; cold (every name once): %.0f ns/name" % (
        res["canonical"][1], distinct, res["canonical_distinct"][0] / max(distinct, 1) * 1e9)
    return [{"scenario": "canonical_model vs lower (1M real names)",
             "ours": "canonical_model(x)", "baseline": "lower(x)",
             "ours_s": res["canonical"][0], "baseline_s": res["lower"][0], "note": note}]
